"""Stage 4: what a reader needs to check a claim against its source.

From this build's figure check, which also finds each claim's passage and verifies its quotations: the
claims ledger (claims.json, claims.csv, reference/claims-ledger.md and a page per chapter, each claim a card
on a phone) and, for each source whose licence allows it (`republish: whole` in sources/manifest.yaml), its
source-text page with an anchor per line and section. A source whose licence is unknown gets no page: its
passages show only in the citations' popups (the marks stage). The logic is in primer.site.passages and
primer.site.claims_pages.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from primer.checks.figures import claims as claims_mod
from primer.site import claims_pages, passages


def add_source_texts(files, config, root: Path) -> int:
    """The manifest checked; the source-text page of each source republished whole. Returns how many sources
    the manifest lists."""
    entries = passages.read_manifest(root)
    for problem in passages.manifest_problems(entries):
        raise PluginError(problem)
    for entry in entries:
        if entry.get("republish") == "whole":
            text = (root / entry["file"]).read_text(encoding="utf-8").replace("\r\n", "\n")
            files.append(File.generated(config, passages.text_page(entry), content=passages.render_text_page(entry, text)))
    return len(entries)


class ClaimsLedger:
    def __init__(self):
        self.tables: dict[str, str] = {}   # ledger page: its cards, put in place of its marker

    def add_pages(self, files, config, root: Path, result, excerpts, label=None, reuse=None) -> None:
        """The claims ledger's pages and downloads, from the check's RESULT; of a source whose licence is unknown,
        each passage as EXCERPTS allows (primer.site.excerpts). REUSE (primer.build.stage_memo): under `mkdocs
        serve`, a chapter's page and the downloads made from the same parts by the last rebuild."""
        reuse = reuse or (lambda parts, make: make())
        here = {}

        def page_url(target: str, from_page: str) -> str:
            target_file = files.get_file_from_path(target)
            if target_file is None:
                return target
            if from_page not in here:
                here[from_page] = File(from_page, None, config.site_dir, config.use_directory_urls)
            return target_file.url_relative_to(here[from_page])

        by_file = passages.by_file(root)
        titles = claims_pages.chapter_titles(Path(config.docs_dir), {c.page for c in result.claims})
        pages, self.tables = claims_pages.render(result.claims, by_file, titles, page_url, excerpts.for_claim, label,
                                                 reuse)
        unkept_titles = claims_pages.chapter_titles(Path(config.docs_dir), {u[0] for u in result.unkept})
        pages[claims_pages.PAGE] += claims_pages.unkept_section(result.unkept, unkept_titles, label)
        for path, content in pages.items():
            files.append(File.generated(config, path, content=content))
        published = excerpts.published_claims(result.claims)   # the downloads show what the pages show of each source
        json_text, csv_text = reuse(["claims ledger downloads", repr(published), repr(result.quotations)],
                                    lambda: (claims_mod.to_json(published, {"quotations": result.quotations}),
                                             claims_mod.to_csv(published)))
        files.append(File.generated(config, "claims.json", content=json_text))
        files.append(File.generated(config, "claims.csv", content=csv_text))

    def put_cards(self, output: str, page) -> str:
        """The claims' cards in place of their marker in the finished page: after the search plugin and the
        reading time have read the page (the ledger pages are kept out of search; ~1,200 cards would cost
        each of them a parse, about a second a build)."""
        table = self.tables.get(page.file.src_uri)
        if table is None:
            return output
        return output.replace(claims_pages.MARKER, table)
