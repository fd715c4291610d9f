"""MkDocs hook: print edition. One job: the whole primer on one page, and its PDF.

- Startup: remember the command; `mkdocs serve` never makes the PDF (not on every reload), nor
  does a build with PRIMER_PDF=0 in its environment (the tests' throw-away builds: it takes ~20 s).
- Files: the page reference/print-edition.md is generated (an introduction and two markers);
  when the PDF will be made (a build with WeasyPrint and its system libraries importable), the
  PDF is announced as a file, so the links to it validate like any other.
- Page Markdown: the `<!-- print-edition -->` line of reference/downloads.md becomes the rows
  that list the print page and the PDF (or say the PDF is not in this build, with no link).
- Env (every page rendered, none yet written): the print page gets its contents and every
  page of the navigation, in order, from their rendered HTML (scripts/primer/site/print_assembly.py).
- Post-build (`mkdocs build` only): WeasyPrint renders the PDF with styles/print-pdf.css: a title
  page with the edition, the date and the print edition's citation, page numbers, bookmarks.
  Without WeasyPrint the build passes, and logs one INFO line saying why there is no PDF.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from primer.build import build_state
from primer.site import changelog
from primer.site import citation_formats as cite
from primer.site import print_assembly as edition

log = logging.getLogger("mkdocs.hooks.print_edition")

PAGE = "reference/print-edition.md"
DOWNLOADS = "reference/downloads.md"
DOWNLOADS_MARKER = "<!-- print-edition -->"
CONTENTS_MARKER = "<!-- print-edition:contents -->"
PAGES_MARKER = "<!-- print-edition:pages -->"
TOP_ID = "print-edition"
SKIP_ENV = "PRIMER_PDF"  # PRIMER_PDF=0: no PDF (the tests' throw-away builds, which need none)
TITLE = "Print edition"
DESCRIPTION = ("The whole primer on one page, in reading order, for printing or saving as PDF; "
               "links between its pages lead within this page.")

_state: dict = {"command": None}


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    if _state["command"] == "serve":
        module, why = None, "`mkdocs serve` does not make it (`make build` does)"
    elif os.environ.get(SKIP_ENV, "").strip().lower() in ("0", "no", "off", "false"):
        module, why = None, f"{SKIP_ENV}={os.environ[SKIP_ENV]} turns it off"
    else:
        module, why = edition.weasyprint_status()
    _state.update(weasyprint=module, why_not=why, nav=None)
    return config


def _page_markdown(config) -> str:
    version = changelog.edition_of(config.extra)
    if _state["weasyprint"]:
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


def on_files(files, config):
    files.append(File.generated(config, PAGE, content=_page_markdown(config)))
    if _state["weasyprint"]:
        # A stand-in until on_post_build writes the PDF over it; links to it then validate.
        files.append(File.generated(config, edition.PDF_NAME, content=b""))
    return files


def on_nav(nav, config, files):
    _state["nav"] = nav
    return nav


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != DOWNLOADS:
        return markdown
    if DOWNLOADS_MARKER not in markdown:
        raise PluginError(f"docs/{DOWNLOADS}: no `{DOWNLOADS_MARKER}` line; it marks where the print edition and "
                          "its PDF are listed (a row of the downloads table)")
    rows = [f"| [Print edition]({PAGE.removeprefix('reference/')}) | The whole primer on one page, in reading "
            "order, for printing: links between pages lead within it, and each page keeps its footnotes, dates "
            "and corrections. |"]
    if _state["weasyprint"]:
        rows.append(f"| [{edition.PDF_NAME}](../{edition.PDF_NAME}) | The print edition as a PDF: a title page "
                    f"with the edition ({changelog.edition_of(config.extra)}), its date and its citation; the contents, "
                    "page numbers and bookmarks. |")
    else:
        rows.append("| PDF | Not available in this build of the site: there is no PDF of this edition to link to. "
                    "Your browser can print the print edition, or save it as a PDF. |")
    return markdown.replace(DOWNLOADS_MARKER, "\n".join(rows))


def _tree(items) -> list:
    nodes = []
    for item in items:
        if isinstance(item, Section):
            nodes.append(edition.Part(item.title, _tree(item.children)))
        elif isinstance(item, Page):
            nodes.append(edition.Chapter(item.url, item.title or item.file.src_uri, build_state.with_notes(item)))
    return nodes


def on_env(env, config, files):
    page = files.get_file_from_path(PAGE).page
    try:
        assembled = edition.assemble(_tree(_state["nav"].items), page.url, TOP_ID)
    except edition.PrintEditionError as err:
        raise PluginError(f"print edition: {err}") from None
    for marker in (CONTENTS_MARKER, PAGES_MARKER):
        if marker not in page.content:
            raise PluginError(f"print edition: the marker {marker} is missing from the rendered {PAGE}")
    page.content = page.content.replace(CONTENTS_MARKER, assembled.contents).replace(PAGES_MARKER, assembled.pages)
    top = AnchorLink(page.title, TOP_ID, 1)
    top.children = [AnchorLink(title, anchor, 2) for anchor, title in assembled.chapters]
    page.toc = TableOfContents([top])
    _state.update(assembled=assembled, page=page)
    return env


def _generated_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    return day.isoformat()


def on_post_build(config):
    module = _state.get("weasyprint")
    if not module:
        if _state["command"] != "serve":
            log.info("print edition: %s; no PDF made", _state["why_not"])
        return
    started = time.monotonic()
    site = cite.Site.from_config(config.site_name, config.site_url, config.extra, config.theme.get("language") or "en")
    page = _state["page"]
    # The print edition's citation, exactly as hooks/cite.py builds it for the print page (its
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
        contents=_state["assembled"].contents,
        pages=edition.for_pdf(_state["assembled"].pages, page.url, site.url), author=site.author,
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
