"""MkDocs hook: corrections. One job: each page's corrections log and how to report an error.

- Config: read CHANGELOG.md (scripts/primer/site/changelog.py). A malformed entry, or a newest edition
  that is not mkdocs.yml's extra.primer.version, fails the build with one line per problem naming
  CHANGELOG.md:LINE. extra.report_error_url, when set, must be an https:// or mailto: address.
- Files (after every hook that generates a page): an entry naming a page that is not a page of
  the site fails the build the same way (a moved page is followed through mkdocs-redirects' redirect_maps).
- Page Markdown (after mkdocs-bibtex, before hooks/cite.py appends the "Cite this page" block):
  a "Corrections" note listing the entries that name the page, by edition ("No corrections since
  first publication" when none), and a "Report an error" link to extra.report_error_url; while
  that is unset, the note says what a report should quote, with no link. A page whose front
  matter says `corrections: false` (the print edition, whose pages keep their own notes) has none.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from primer.site import (
    changelog,  # (scripts/primer/site/changelog.py, scripts/primer/site/redirects.py)
    redirects,
)

_state: dict = {}


def _docs_prefix(config) -> str:
    root = Path(config.config_file_path).resolve().parent
    try:
        return Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return "docs/"


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    editions, problems = changelog.load(root / changelog.FILE)
    problems += changelog.check_version(editions, changelog.edition_of(config.extra))
    url_problem = changelog.check_report_url(config.extra.get("report_error_url"))
    if url_problem:
        problems.append(url_problem)
    if problems:
        raise PluginError("\n".join(problems))
    _state.update(editions=editions, redirects=redirects.in_config(config), prefix=_docs_prefix(config))
    return config


@event_priority(-90)  # after the hooks that generate pages (bibliography, glossary, ledger, print edition)
def on_files(files, config):
    pages = {file.src_uri for file in files.documentation_pages()}
    problems = changelog.check_pages(_state["editions"], pages, _state["redirects"], docs_prefix=_state["prefix"])
    if problems:
        raise PluginError("\n".join(problems))
    return files


@event_priority(-90)  # after mkdocs-bibtex (0), before hooks/cite.py (-100) appends the cite block
def on_page_markdown(markdown, page, config, files):
    if page.meta.get("corrections") is False:
        return markdown
    log = changelog.page_log(_state["editions"], page.file.src_uri, _state["redirects"], _state["prefix"])
    title = page.meta.get("title") or page.title or page.file.src_uri
    return markdown + "\n" + changelog.note(log, page_path=page.url, title=title,
                                            version=str(changelog.edition_of(config.extra)),
                                            report=config.extra.get("report_error_url"))
