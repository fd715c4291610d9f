"""Stage 6: the print edition, the whole primer on one page, and its PDF.

- `PrintEdition(command, pdf)`: whether the PDF is made. `mkdocs serve` never makes it (not on every
  reload), nor does a build with the plugin's `pdf: false` or PRIMER_PDF=0 in its environment (the tests'
  throw-away builds: it takes ~20 s); `pdf: auto` makes it where WeasyPrint and its libraries import.
- `add_page` (files): the page reference/print-edition.md is generated (an introduction and two
  markers); when the PDF will be made, the PDF is announced as a file, so the links to it validate.
- `list_downloads` (page Markdown): the `<!-- print-edition -->` line of reference/downloads.md becomes
  the rows that list the print page and the PDF (or say the PDF is not in this build, with no link).
- `assemble` (env: every page rendered, none yet written): the print page gets its contents and every
  page of the navigation, in order, from their rendered HTML (primer.site.print_assembly).
- `write_pdf` (post-build, `mkdocs build` only): WeasyPrint renders the PDF with styles/print-pdf.css: a
  title page with the edition, the date and the print edition's citation, page numbers, bookmarks.
  Without WeasyPrint the build passes, and logs one INFO line saying why there is no PDF.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import html
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from primer.site import changelog
from primer.site import citation_formats as cite
from primer.site import print_assembly as edition

log = logging.getLogger("mkdocs.plugins.primer.print_edition")

PAGE = "reference/print-edition.md"
DOWNLOADS = "reference/downloads.md"
DOWNLOADS_MARKER = "<!-- print-edition -->"
CONTENTS_MARKER = "<!-- print-edition:contents -->"
PAGES_MARKER = "<!-- print-edition:pages -->"
TOP_ID = "print-edition"
SKIP_ENV = "PRIMER_PDF"  # PRIMER_PDF=0: no PDF (the tests' throw-away builds, which need none), whatever mkdocs.yml says
TITLE = "Print edition"
# The pages printed, in the order of the navigation: the landing page, the thematic chapters, the source
# chapters, and the reference pages a reader of paper needs (the ledgers and downloads are online only).
PRINTED = ("index.md", "primer/*.md", "sources/*.md", "reference/glossary.md", "reference/timeline.md",
           "reference/source-notes.md", "reference/bibliography.md")
DESCRIPTION = ("The whole primer on one page, in reading order, for printing or saving as PDF; "
               "links between its pages lead within this page.")

class PrintEdition:
    def __init__(self, command: str | None, pdf, memo: dict):
        """COMMAND: MkDocs' ("serve", "build", …); PDF: the plugin's option (auto, True, False); MEMO: each page's
        section, kept across `mkdocs serve`'s rebuilds (primer.site.print_assembly.assemble)."""
        if command == "serve":
            module, why = None, "`mkdocs serve` does not make it (`make build` does)"
        elif os.environ.get(SKIP_ENV, "").strip().lower() in ("0", "no", "off", "false"):
            module, why = None, f"{SKIP_ENV}={os.environ[SKIP_ENV]} turns it off"
        elif pdf is False:
            module, why = None, "the primer plugin's `pdf: false` in mkdocs.yml turns it off"
        else:
            module, why = edition.weasyprint_status()
            if module is None and pdf is True:
                raise PluginError(f"mkdocs.yml asks for the PDF (the primer plugin's `pdf: true`), but {why}; "
                                  "install it, or set `pdf: auto` to build without it")
        self.command, self.weasyprint, self.why_not, self.memo = command, module, why, memo
        self.nav = None
        self.assembled = None
        self.page = None

    def add_page(self, files, config) -> None:
        files.append(File.generated(config, PAGE, content=_page_markdown(config, self.weasyprint)))
        if self.weasyprint:
            # A stand-in until write_pdf writes the PDF over it; links to it then validate.
            files.append(File.generated(config, edition.PDF_NAME, content=b""))

    def list_downloads(self, markdown, page, config) -> str:
        if page.file.src_uri != DOWNLOADS:
            return markdown
        if DOWNLOADS_MARKER not in markdown:
            raise PluginError(f"docs/{DOWNLOADS}: no `{DOWNLOADS_MARKER}` line; it marks where the print edition and "
                              "its PDF are listed (a row of the downloads table)")
        rows = [f"| [Print edition]({PAGE.removeprefix('reference/')}) | The whole primer on one page, in reading "
                "order, for printing: links between pages lead within it, and each page keeps its footnotes, dates "
                "and corrections. |"]
        if self.weasyprint:
            rows.append(f"| [{edition.PDF_NAME}](../{edition.PDF_NAME}) | The print edition as a PDF: a title page "
                        f"with the edition ({changelog.edition_of(config.extra)}), its date and its citation; the contents, "
                        "page numbers and bookmarks. |")
        else:
            rows.append("| PDF | Not available in this build of the site: there is no PDF of this edition to link to. "
                        "Your browser can print the print edition, or save it as a PDF. |")
        return markdown.replace(DOWNLOADS_MARKER, "\n".join(rows))

    def assemble(self, files, with_notes) -> None:
        """The print page's contents and pages, from every page of the navigation (WITH_NOTES(page): its content
        with its citation notes)."""
        page = files.get_file_from_path(PAGE).page
        try:
            assembled = edition.assemble(_tree(self.nav.items, with_notes), page.url, TOP_ID, memo=self.memo)
        except edition.PrintEditionError as err:
            raise PluginError(f"print edition: {err}") from None
        for marker in (CONTENTS_MARKER, PAGES_MARKER):
            if marker not in page.content:
                raise PluginError(f"print edition: the marker {marker} is missing from the rendered {PAGE}")
        page.content = page.content.replace(CONTENTS_MARKER, assembled.contents).replace(PAGES_MARKER, assembled.pages)
        top = AnchorLink(page.title, TOP_ID, 1)
        # the contents' titles are text (primer.site.print_assembly escapes them); the toc prints HTML
        top.children = [AnchorLink(html.escape(title, quote=False), anchor, 2) for anchor, title in assembled.chapters]
        page.toc = TableOfContents([top])
        self.assembled, self.page = assembled, page

    def write_pdf(self, config) -> None:
        module = self.weasyprint
        if not module:
            if self.command != "serve":
                log.info("print edition: %s; no PDF made", self.why_not)
            return
        started = time.monotonic()
        site = cite.Site.from_config(config.site_name, config.site_url, config.extra, config.theme.get("language") or "en")
        page = self.page
        # The print edition's citation, exactly as the cite stage builds it for the print page (its
        # dates span every page's: cite.whole_dates).
        citation = cite.cite(site, cite.Page(title=page.meta.get("title") or TITLE, path=page.url,
                                             description=DESCRIPTION, dates=page.meta["cite"]["dates"]))
        editions, _ = changelog.load(Path(config.config_file_path).resolve().parent / changelog.FILE)
        current = next((e for e in editions if e.version == site.version), None)
        status = (f"released {current.released}" if current and current.released
                  else (current.status if current else "not recorded in CHANGELOG.md"))
        help_text = (f"Replace {cite.ACCESSED_PLACEHOLDER} with the date you read it."
                     + ("" if citation.absolute else f" The primer has no public address yet: "
                        f"{cite.SITE_URL_PLACEHOLDER.rstrip('/')} stands for the address you read it at."))
        document = edition.pdf_html(
            title=site.title, description=config.site_description or "", version=site.version, edition_status=status,
            generated=_generated_date(), citations=[("Chicago", citation.chicago), ("APA", citation.apa),
                                                    ("BibTeX", citation.bibtex)],
            citation_help=help_text, licence=config.copyright or "", pdf_address=cite.page_url(site, edition.PDF_NAME),
            contents=self.assembled.contents,
            pages=edition.for_pdf(self.assembled.pages, page.url, site.url), author=site.author,
            language=site.language, top_id=TOP_ID)
        target = Path(config.site_dir) / edition.PDF_NAME
        base = (Path(config.site_dir) / page.url / "index.html").as_uri()
        try:
            pages, warnings = edition.write_pdf(module, document, base, target)
        except Exception as err:  # noqa: BLE001 - WeasyPrint raises many kinds; any is a failed PDF
            raise PluginError(f"print edition: WeasyPrint could not make {edition.PDF_NAME}: "
                              f"{err.__class__.__name__}: {err}") from None
        for message in warnings:  # a strict build fails on them: styles/print-pdf.css or a page needs fixing
            log.warning("print edition: WeasyPrint: %s", message)
        log.info("print edition: %s, %d pages, in %.1f s", edition.PDF_NAME, pages, time.monotonic() - started)


def _page_markdown(config, weasyprint) -> str:
    version = changelog.edition_of(config.extra)
    if weasyprint:
        pdf = (f"The same pages as a PDF, with page numbers and the citation on its title page: "
               f"[{edition.PDF_NAME}](../{edition.PDF_NAME}).")
    else:
        pdf = "There is no PDF of this edition in this build of the site; your browser can save this page as one."
    return "\n".join([
        f"---\ntitle: {TITLE}\ndescription: {DESCRIPTION}\ncorrections: false\ngathers_every_page: true\nsearch:\n  exclude: true\n---\n",
        f"# The whole primer {{#{TOP_ID}}}\n",
        f"Every page of the primer, edition {version}, on one page and in the order of the navigation, for "
        "printing. It is put together when the site is built, from the pages themselves. A link to another "
        "page of the primer leads to that page here; after each page come its online address, its dates and "
        f"its corrections. Cite the page you used, from its own address, or this edition as a whole (below). {pdf}\n",
        CONTENTS_MARKER, "",
        PAGES_MARKER, "",
    ])


def printed(src_uri: str) -> bool:
    """Whether a page is in the print edition: the primer itself (PRINTED), not its tools (ledgers, downloads,
    how to cite, charts) nor the sections' own contents pages."""
    return any(fnmatch.fnmatch(src_uri, pattern) for pattern in PRINTED) and not src_uri.endswith("/index.md")


def _tree(items, with_notes) -> list:
    nodes = []
    for item in items:
        if isinstance(item, Section):
            children = _tree(item.children, with_notes)
            if children:
                nodes.append(edition.Part(item.title, children))
        elif isinstance(item, Page) and printed(item.file.src_uri):
            # a page's title is HTML (MkDocs: its first heading's; primer.build.stages.safety: its front matter's)
            title = html.unescape(str(item.title)) if item.title else item.file.src_uri
            nodes.append(edition.Chapter(item.url, title, with_notes(item)))
    return nodes


def _generated_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    return day.isoformat()
