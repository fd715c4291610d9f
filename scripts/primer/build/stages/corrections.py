"""Stage 5: each page's corrections log and how to report an error (the logic: primer.site.changelog).

- `Corrections(config, root)`: read CHANGELOG.md. A malformed entry, or a newest edition that is not
  mkdocs.yml's extra.primer.version, fails the build with one line per problem naming CHANGELOG.md:LINE.
  extra.report_error_url, when set, must be an https:// or mailto: address.
- `check_pages` (files, after every generated page is added): an entry naming a page that is not a page of
  the site fails the build the same way (a moved page is followed through mkdocs-redirects' redirect_maps).
- `add_note` (page Markdown, before the cite block): a "Corrections" note listing the entries that name the
  page, by edition ("No corrections since first publication" when none), and a "Report an error" link to
  extra.report_error_url; while that is unset, the note says what a report should quote, with no link. A
  page whose front matter says `corrections: false` (the print edition, whose pages keep their own notes)
  has none.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from primer.site import changelog, redirects

REPORT_MARKER = "<!-- primer:report-error -->"   # where a page says how to report an error (the landing page)


def _docs_prefix(config, root: Path) -> str:
    try:
        return Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return "docs/"


class Corrections:
    def __init__(self, config, root: Path):
        editions, problems = changelog.load(root / changelog.FILE)
        problems += changelog.check_version(editions, changelog.edition_of(config.extra))
        url_problem = changelog.check_report_url(config.extra.get("report_error_url"))
        if url_problem:
            problems.append(url_problem)
        if problems:
            raise PluginError("\n".join(problems))
        self.editions = editions
        self.report = config.extra.get("report_error_url") or changelog.issues_url(config.repo_url)
        self.redirects = redirects.in_config(config)
        self.prefix = _docs_prefix(config, root)

    def check_pages(self, files) -> None:
        pages = {file.src_uri for file in files.documentation_pages()}
        problems = changelog.check_pages(self.editions, pages, self.redirects, docs_prefix=self.prefix)
        if problems:
            raise PluginError("\n".join(problems))

    def add_note(self, markdown: str, page, config) -> str:
        if page.meta.get("corrections") is False:
            return markdown
        log = changelog.page_log(self.editions, page.file.src_uri, self.redirects, self.prefix)
        title = page.meta.get("title") or page.title or page.file.src_uri
        return markdown + "\n" + changelog.note(log, page_path=page.url, title=title,
                                                version=str(changelog.edition_of(config.extra)),
                                                report=self.report)

    def report_line(self, markdown: str, page, config) -> str:
        """The landing page's REPORT_MARKER: how to report an error, as every page's corrections note says it."""
        if REPORT_MARKER not in markdown:
            return markdown
        title = page.meta.get("title") or page.title or page.file.src_uri
        if self.report:
            url = changelog.report_url(self.report, page.url, title, str(changelog.edition_of(config.extra)))
            line = f"To report an error, [write to the editors]({url}), quoting the page, section and passage."
        else:
            line = ("The primer has no address for reports yet; to report an error, quote the page, section and "
                    "passage.")
        return markdown.replace(REPORT_MARKER, line)
