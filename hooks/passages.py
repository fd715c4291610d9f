"""MkDocs hook: passages. One job: publish what a reader needs to check a claim against its source.

From this build's figure check (primer.build.build_state, hooks/ledger.py), which also finds each claim's passage
and verifies its quotations: the claims ledger (claims.json, claims.csv, reference/claims-ledger.md and a
page per chapter, each claim a card on a phone) and, for each source whose licence allows it
(`republish: whole` in sources/manifest.yaml), its source-text page with an anchor per line and section.
A source whose licence is unknown gets no page: its passages show only in the citations' popups
(hooks/marks.py). The logic is in primer.site.passages and primer.site.claims_pages.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from primer.build import build_state
from primer.checks.figures import claims as claims_mod
from primer.site import claims_pages, passages

log = logging.getLogger("mkdocs.hooks.passages")
_tables: dict[str, str] = {}


@event_priority(-45)  # after hooks/ledger.py (-40) ran this build's check
def on_files(files, config):
    root = Path(config.config_file_path).resolve().parent
    entries = passages.read_manifest(root)
    for problem in passages.manifest_problems(entries):
        raise PluginError(problem)
    for entry in entries:
        if entry.get("republish") == "whole":
            text = (root / entry["file"]).read_text(encoding="utf-8").replace("\r\n", "\n")
            files.append(File.generated(config, passages.text_page(entry), content=passages.render_text_page(entry, text)))
    try:
        result = build_state.figure_check(config)
    except build_state.NotRun as err:
        raise PluginError(str(err)) from None
    _tables.clear()
    if result is None:
        return files
    here = {}

    def page_url(target: str, from_page: str) -> str:
        target_file = files.get_file_from_path(target)
        if target_file is None:
            return target
        if from_page not in here:
            here[from_page] = File(from_page, None, config.site_dir, config.use_directory_urls)
        return target_file.url_relative_to(here[from_page])

    by_file = {str(e["file"]): e for e in entries}
    titles = claims_pages.chapter_titles(Path(config.docs_dir), {c.page for c in result.claims})
    pages, tables = claims_pages.render(result.claims, by_file, titles, page_url)
    _tables.update(tables)
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, "claims.json", content=claims_mod.to_json(result.claims, {"quotations": result.quotations})))
    files.append(File.generated(config, "claims.csv", content=claims_mod.to_csv(result.claims)))
    return files


def on_post_page(output, page, config):
    """The claims' cards in place of their marker in the finished page: after the search plugin and the
    reading time have read the page (the ledger pages are kept out of search; ~1,200 cards would cost
    each of them a parse, about a second a build)."""
    table = _tables.get(page.file.src_uri)
    if table is None:
        return output
    return output.replace(claims_pages.MARKER, table)
