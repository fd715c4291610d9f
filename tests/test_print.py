"""The print edition (primer.build.stages.print_edition, scripts/primer/site/print_assembly.py): every page of the
navigation once, in order, on one page whose ids are unique and whose links and anchors all
resolve (checked by scripts/primer/checks/links.py like every page); each page keeps its own footnotes.
And its PDF, when WeasyPrint is installed: it exists, has pages, holds the bibliography (as
bookmarks and named destinations, read back from the PDF itself), and its title page carries the
edition and the citation. Without WeasyPrint the build passes and the site says there is no PDF."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import ROOT, mkdocs_build
from pybtex.database import parse_file

from primer.build.stages.print_edition import printed
from primer.checks.links import _mkdocs_config, check_site
from primer.site import print_assembly as edition
from primer.site.citation_formats import url_path

CONFIG = _mkdocs_config(ROOT)
DOCS = ROOT / "docs"
PRINT_SRC = "reference/print-edition.md"
PRINT_URL = url_path(PRINT_SRC)
PDF = edition.PDF_NAME
WEASYPRINT, WHY_NOT = edition.weasyprint_status()
PDF_OFF = os.environ.get("PRIMER_PDF", "").strip().lower() in ("0", "no", "off", "false")
NO_PDF = ("no PDF in this build: " + (f"PRIMER_PDF={os.environ.get('PRIMER_PDF')} in the environment" if PDF_OFF
          else f"{WHY_NOT}. Install WeasyPrint (PyPI `weasyprint`) in this environment, and on Debian "
                    "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk, to test the PDF"))


def printed_pages() -> list[str]:
    """The nav's pages that the print edition holds (primer.build.stages.print_edition.printed), in order."""
    return [src for src in nav_pages() if printed(src)]


def nav_pages(nav=None) -> list[str]:
    """The Markdown files of mkdocs.yml's nav, in order."""
    found = []
    for item in CONFIG["nav"] if nav is None else nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            found.extend(nav_pages(value) if isinstance(value, list) else [value])
    return found


class _Page(HTMLParser):
    """Ids, links, the print edition's page sections and headings, footnotes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter = Counter()
        self.hrefs: list[str] = []  # inside <article>: the page's own links, not Material's navigation
        self._article = 0
        self.sections: list[str] = []  # ids of section.print-page, in order
        self.h1: dict[str, str] = {}  # section id (or "") -> text of its first h1
        self.footnotes: Counter = Counter()  # section id -> footnote items
        self.cite_blocks = 0
        self._section = ""
        self._h1: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "article":
            self._article += 1
        if tag == "a" and attrs.get("href") is not None and self._article:
            self.hrefs.append(attrs["href"])
        if tag == "section" and "print-page" in classes:
            self._section = attrs["id"]
            self.sections.append(attrs["id"])
        if "cite-block" in classes:
            self.cite_blocks += 1
        if tag == "h1" and self._section not in self.h1:
            self._h1 = []
        if tag == "li" and re.search(r"(^|--)fn:", attrs.get("id") or ""):
            self.footnotes[self._section] += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        if tag == "h1" and self._h1 is not None:
            self.h1[self._section] = " ".join("".join(self._h1).replace("¶", "").split())
            self._h1 = None

    def handle_data(self, data):
        if self._h1 is not None:
            self._h1.append(data)


def parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def built(site: Path, src: str) -> Path:
    return site / url_path(src) / "index.html"


@pytest.fixture(scope="module")
def print_page(built_site) -> _Page:
    return parse(built(built_site, PRINT_SRC))


# --------------------------------------------------------------------------- the print page

def test_print_page_holds_every_printed_page_once_in_nav_order(built_site, print_page):
    expected = [edition.slug(url_path(src)) for src in printed_pages()]
    assert PRINT_SRC in nav_pages(), "the print edition is listed in the navigation"
    assert PRINT_SRC not in printed_pages() and "reference/figure-ledger.md" not in printed_pages()
    assert {"index.md", "primer/what-is-dual-circulation.md", "sources/li-2025-two-way-internationalization.md",
            "reference/glossary.md", "reference/timeline.md", "reference/source-notes.md",
            "reference/bibliography.md"} <= set(printed_pages())
    assert print_page.sections == expected
    for src in printed_pages():
        own = parse(built(built_site, src)).h1.get("")
        assert print_page.h1[edition.slug(url_path(src))] == own, f"{src}: heading differs in the print edition"


def test_print_page_has_no_duplicate_id(print_page):
    duplicates = {ident: count for ident, count in print_page.ids.items() if count > 1}
    assert not duplicates, duplicates
    assert len(print_page.ids) > 1000, "the print page should hold every page's ids"


def test_each_page_keeps_its_own_footnotes_once(built_site, print_page):
    problems, total = [], 0
    for src in printed_pages():
        own = parse(built(built_site, src)).footnotes[""]
        total += own
        section = edition.slug(url_path(src))
        if print_page.footnotes[section] != own:
            problems.append(f"{src}: {own} footnotes on the page, {print_page.footnotes[section]} in the print edition")
    assert total > 50, "footnotes were not found: the test would pass vacuously"
    assert not problems, "\n".join(problems)


def test_links_between_pages_lead_within_the_print_page(print_page):
    """No link leaves the print page for a page it holds; every fragment link has its target."""
    held = {url_path(src) for src in printed_pages()}
    leaving = []
    for href in print_page.hrefs:
        if href.startswith("#"):
            continue
        parsed = urlparse(urljoin("https://x.invalid/" + PRINT_URL, href))
        if parsed.netloc == "x.invalid" and parsed.path.lstrip("/") in held:
            leaving.append(href)
    assert not leaving, f"links to pages the print edition holds: {leaving[:10]}"
    fragments = [href[1:] for href in print_page.hrefs if href.startswith("#") and len(href) > 1]
    assert len(fragments) > 1000
    missing = sorted({f for f in fragments if f not in print_page.ids})
    assert not missing, missing[:10]


def test_print_page_has_one_cite_block_its_own(built_site, print_page):
    text = built(built_site, PRINT_SRC).read_text(encoding="utf-8")
    assert print_page.cite_blocks == 1
    assert f'data-page-path="{PRINT_URL}"' in text
    assert text.count('class="print-page__meta"') == len(print_page.sections), "each page keeps its address and dates"


def test_link_check_covers_the_print_page_and_finds_it_clean(built_site, print_page, tmp_path):
    """scripts/primer/checks/links.py (lychee offline + our HTML pass) on the built site, print page
    included; and a broken in-document link planted in the print page is caught."""
    problems = check_site(built_site, docs_dir=DOCS, site_url=CONFIG.get("site_url"))
    on_print = [p for p in problems if p.page.startswith(PRINT_URL)]
    assert not problems, "\n".join(map(str, problems))
    assert not on_print
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = built(site, PRINT_SRC)
    text = page.read_text(encoding="utf-8")
    # a footnote of a chapter, as the print edition renames it, loses its target
    anchor = next(href[1:] for href in print_page.hrefs if re.match(r"#primer-[\w-]+--fn:", href))
    assert text.count(f'id="{anchor}"') == 1
    page.write_text(text.replace(f'id="{anchor}"', 'id="gone"'), encoding="utf-8")
    found = {(p.page, p.link) for p in check_site(site, docs_dir=DOCS)}
    assert (f"{PRINT_URL}index.html", f"#{anchor}") in found, found


def test_downloads_page_lists_the_print_edition_and_the_pdf_or_says_there_is_none(built_site):
    text = built(built_site, "reference/downloads.md").read_text(encoding="utf-8")
    assert 'href="../print-edition/"' in text
    assert "<!-- print-edition -->" not in text
    if (built_site / PDF).is_file():
        assert f'href="../../{PDF}"' in text
        assert "Not available in this build" not in text
    else:
        assert PDF not in text and ".pdf" not in text, "no link to a PDF that is not there"
        assert "Not available in this build of the site" in text


# --------------------------------------------------------------------------- assembling, in isolation

PAGE_A = """<h1 id="a">A<a class="headerlink" href="#a">¶</a></h1>
<p>See <a href="../b/#sec">B's section</a>, <a href="../b/">B</a>, <a href="#fn:1">1</a>,
<a href="../../figures.csv">CSV</a>, <a href="../../reference/print-edition/#contents">here</a>,
<a href="https://example.org/x#y">out</a>, <a href="mailto:a@b.c">mail</a>.</p>
<input id="__tabbed_1_1" name="__tabbed_1" type="radio" checked><label for="__tabbed_1_1">Tab</label>
<svg><clipPath id="clip"></clipPath><path clip-path="url(#clip)" style="fill: var(--md-primary-fg-color)"/></svg>
<img src="../img/x.png" srcset="../img/x.png 1x, ../img/x2.png 2x" alt="">
<div class="footnote"><ol><li id="fn:1"><p>Note.<a class="footnote-backref" href="#fnref:1">↩</a></p></li></ol></div>
<section class="cite-block" data-cite-section="…" data-cite-url="[site URL]/primer/a/" data-page-path="primer/a/">
<p>Last revised: <time datetime="2026-01-01">2026-01-01</time>; first published: x. <span class="Z3988" title="t"></span></p>
<details class="quote"><summary>Cite this page</summary><pre>…</pre></details></section>
"""
PAGE_B = '<h1 id="b">B</h1><h2 id="sec">Sec</h2><div class="footnote"><ol><li id="fn:1">Other note</li></ol></div>'


def _assembled():
    items = [edition.Part("The primer", [edition.Chapter("primer/a/", "A", PAGE_A), edition.Chapter("primer/b/", "B", PAGE_B)]),
             edition.Chapter(PRINT_URL, "Print edition", "<p>itself</p>")]
    return edition.assemble(items, PRINT_URL, "print-edition")


def test_assemble_prefixes_ids_and_rewrites_links():
    pages = _assembled().pages
    for expected in ('<section class="print-page" id="primer-a"', 'id="primer-a--a"', 'href="#primer-b--sec"',
                     'href="#primer-b"', 'href="#primer-a--fn:1"', 'id="primer-a--fn:1"', 'id="primer-b--fn:1"',
                     'href="../../figures.csv"', 'href="#contents"', 'href="https://example.org/x#y"',
                     'href="mailto:a@b.c"', 'id="primer-a--__tabbed_1_1"', 'name="primer-a--__tabbed_1"',
                     'for="primer-a--__tabbed_1_1"', 'clip-path="url(#primer-a--clip)"',
                     'src="../../primer/img/x.png"', 'srcset="../../primer/img/x.png 1x, ../../primer/img/x2.png 2x"'):
        assert expected in pages, expected
    assert "cite-block" not in pages and "Z3988" not in pages and "Cite this page" not in pages
    assert ('<p class="print-page__meta">Last revised: '   # no public address: no "[site URL]" placeholder
            '<time datetime="2026-01-01">2026-01-01</time>; first published: x.</p>') in pages
    published = edition.assemble([edition.Chapter("primer/a/", "A", PAGE_A.replace(
        "[site URL]/primer/a/", "https://example.org/primer/a/"))], PRINT_URL, "print-edition").pages
    assert ('<p class="print-page__meta">Online: <a href="https://example.org/primer/a/">https://example.org/primer/a/'
            '</a>. Last revised: ') in published
    assert "itself" not in pages, "the print page does not hold itself"


def test_assemble_lists_the_contents_by_part():
    assembled = _assembled()
    assert assembled.chapters == [("primer-a", "A"), ("primer-b", "B")]
    assert ('<li class="print-contents__part"><span>The primer</span><ol><li><a href="#primer-a">A</a></li>'
            '<li><a href="#primer-b">B</a></li></ol></li>') in assembled.contents


def test_assemble_refuses_a_page_listed_twice():
    chapter = edition.Chapter("primer/a/", "A", PAGE_A)
    with pytest.raises(edition.PrintEditionError, match="listed twice"):
        edition.assemble([chapter, chapter], PRINT_URL, "top")


def test_slugs():
    assert [edition.slug(u) for u in ("", "primer/", "primer/domestic-circulation/", "a/index.html")] == [
        "home", "primer", "primer-domestic-circulation", "a"]


def test_the_pdf_holds_no_link_to_the_build_machine():
    pages = _assembled().pages
    without = edition.for_pdf(pages, PRINT_URL, None)
    assert 'href="../../figures.csv"' not in without and 'data-site-path="figures.csv"' in without
    assert 'href="#primer-b--sec"' in without and 'href="https://example.org/x#y"' in without
    assert "headerlink" not in without
    assert 'fill="#c62828"' in without and "var(--" not in without, "chart colours resolved for WeasyPrint"
    absolute = edition.for_pdf(pages, PRINT_URL, "https://primer.example.org/dc/")
    assert 'href="https://primer.example.org/dc/figures.csv"' in absolute


# --------------------------------------------------------------------------- reading a PDF back

def _pdf(objects: list[bytes], compress: bool) -> bytes:
    """A small PDF; with `compress`, every object but the catalog sits in a Flate object stream."""
    if not compress:
        body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (number, obj) for number, obj in enumerate(objects, 1))
        return b"%PDF-1.7\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    inner = b"\n".join(objects[1:])
    stream = zlib.compress(inner)
    return (b"%PDF-1.7\n1 0 obj\n" + objects[0] + b"\nendobj\n2 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length "
            + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF\n")


PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 3 0 R /Outlines 6 0 R /Names << /Dests << /Names [(home) [4 0 R /XYZ 0 0 0] "
    b"(reference-bibliography--li2025twoway) [5 0 R /XYZ 0 10 0]] >> >> >>",
    b"<< /Producer (WeasyPrint 70.0) /Title <feff00440043002053cc5faa73af> /Author (Contributors) >>",
    b"<< /Type /Pages /Kids [4 0 R 5 0 R] /Count 2 >>",
    b"<< /Type /Page /Parent 3 0 R >>",
    b"<< /Type /Page /Parent 3 0 R >>",
    b"<< /Type /Outlines /First 7 0 R /Count 1 >>",
    b"<< /Title (Bibliography) /Parent 6 0 R /Dest [5 0 R /XYZ 0 0 0] >>",
]


@pytest.mark.parametrize("compress", [False, True])
def test_pdf_facts_reads_pages_outline_destinations_and_title(tmp_path, compress):
    path = tmp_path / "x.pdf"
    path.write_bytes(_pdf(PDF_OBJECTS, compress))
    facts = edition.pdf_facts(path)
    assert (facts.pages, facts.page_objects) == (2, 2)
    assert facts.outline == ["Bibliography"]
    assert facts.destinations == {"home", "reference-bibliography--li2025twoway"}
    assert facts.info["Title"] == "DC 双循环" and facts.info["Author"] == "Contributors"


# --------------------------------------------------------------------------- the PDF

@pytest.fixture(scope="module")
def pdf(built_site) -> Path:
    path = built_site / PDF
    if WEASYPRINT is None or PDF_OFF:
        assert not path.exists(), f"{PDF} exists though the build could not make it"
        pytest.skip(NO_PDF)
    assert path.is_file(), f"WeasyPrint is installed but the build made no {PDF}"
    return path


def test_pdf_exists_has_pages_and_holds_every_page_and_the_bibliography(pdf, built_site):
    facts = edition.pdf_facts(pdf)
    assert facts.pages > 1 and facts.pages == facts.page_objects
    assert facts.info.get("Title") == CONFIG["site_name"]
    # The bookmarks are the pages' headings: the bibliography's among them.
    assert "Bibliography" in facts.outline and "Contents" in facts.outline
    for src in printed_pages():
        heading = parse(built(built_site, src)).h1[""]
        assert heading in facts.outline, f"{src}: its heading {heading!r} is not a bookmark of the PDF"
    # Every id becomes a named destination: each bibliography entry is in the PDF.
    keys = parse_file(str(ROOT / "references.bib")).entries.keys()
    missing = [key for key in keys if f"reference-bibliography--{key}" not in facts.destinations]
    assert not missing, f"bibliography entries missing from the PDF: {missing}"
    assert "print-edition" in facts.destinations, "the title page (a link to the print edition leads there)"


def test_pdf_text_has_title_page_citation_page_numbers_and_bibliography(pdf, built_site):
    """With poppler's pdftotext (Debian `poppler-utils`), read the PDF's text itself."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not found (Debian package poppler-utils): the PDF's text cannot be read; "
                    "its structure is checked above")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first = "".join(pages[0].split())  # without spaces: lines wrap inside the citations
    version = CONFIG["extra"]["primer"]["version"]
    for expected in (CONFIG["site_name"].split(":")[0], f"Edition {version}", "Cite this edition",
                     f"{CONFIG['site_name']}. {CONFIG['extra']['primer']['institution']}",
                     "@manual{dcprimer-reference-print-edition"):
        assert "".join(expected.split()) in first, f"title page lacks {expected!r}: {pages[0][:800]}"
    # the same citation as the print page's own "Cite this page" block (primer.build.stages.cite)
    head = re.search(r'<section class="cite-block".*?<code[^>]*>([^<]*)</code>',
                     built(built_site, PRINT_SRC).read_text(encoding="utf-8"), re.S)  # its Chicago tab
    assert "".join(html.unescape(head.group(1)).split()) in first, head.group(1)
    assert f"Page 2 of {len(pages) - 1}" in pages[1], pages[1][-300:]
    assert any("Bibliography" in page and "Li, Wenqi" in page for page in pages), "the bibliography's text"


# --------------------------------------------------------------------------- without a PDF

def test_without_weasyprint_the_build_passes_and_says_so(project_copy, tmp_path):
    """The build without a PDF (WeasyPrint missing, or PRIMER_PDF=0, as here): one INFO line, no
    PDF, and the downloads page says there is none, with no link to it."""
    result = mkdocs_build(project_copy, tmp_path / "site")  # PRIMER_PDF=0 (tests/conftest.py)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "print edition:" in line]
    assert lines == ["INFO    -  print edition: PRIMER_PDF=0 turns it off; no PDF made"], lines
    site = tmp_path / "site"
    assert not (site / PDF).exists()
    downloads = built(site, "reference/downloads.md").read_text(encoding="utf-8")
    assert "Not available in this build of the site" in downloads and ".pdf" not in downloads
    assert "There is no PDF of this edition in this build" in built(site, PRINT_SRC).read_text(encoding="utf-8")


def test_serve_never_makes_the_pdf():
    from primer.build.stages.print_edition import PrintEdition
    stage = PrintEdition("serve", "auto", {})
    assert stage.weasyprint is None and "mkdocs serve" in stage.why_not


# --------------------------------------------------------------------------- a print edition people print

def _pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not found (Debian package poppler-utils): the PDF's text cannot be read")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_is_at_most_80_pages_with_one_line_endnotes_and_no_screen_words(pdf, built_site):
    facts = edition.pdf_facts(pdf)
    assert facts.pages <= edition.MAX_PAGES, f"the PDF has {facts.pages} pages; at most {edition.MAX_PAGES}"
    text = _pdf_text(pdf)
    assert edition.screen_words(text) == [], f"screen-only words in the PDF: {edition.screen_words(text)}"
    # each endnote of the print edition (the PDF's pages) is its labels and locators: no passage, no reference
    html_text = built(built_site, PRINT_SRC).read_text(encoding="utf-8")
    notes = re.findall(r'<li id="[\w-]+--fn:cite-\d+">(.*?)</li>', html_text, re.S)
    assert len(notes) > 300, "the endnotes were not found: the test would pass vacuously"
    long = [n for n in notes if re.search(r"<q\b|cite-reference|<details|cite-passage|<a ", n)]
    assert not long, long[:3]


def test_the_screen_word_check_catches_a_planted_control():
    assert edition.screen_words("Li 2025, §4.2. Cite this source") == ["Cite this source"]
    assert edition.screen_words("6 min read · 1,342 words") == ["min read"]
    assert edition.screen_words("Li 2025, §4.2; Zhao, ¶9") == []


def test_print_keeps_each_notes_line_and_drops_its_passages_and_controls():
    page = ('<div class="footnote"><ol><li id="fn:cite-1"><details class="cite-note"><summary><span class="cite-item">'
            '<span class="cite-label">Li 2025, §4.2</span></span></summary><p class="cite-passage-item" id="cite-1-1">'
            '<q>A passage.</q></p></details>&#160;<a class="footnote-backref" href="#fnref:cite-1">↩</a></li></ol>'
            '<div class="works-cited"><p><strong>Works cited</strong></p><ul><li>Li. <a class="cite-source-link" '
            'href="x">Cite this source</a></li></ul></div></div><p class="reading-time">6 min read</p>')
    printed_page = edition.for_print(page)
    assert '<p><span class="cite-item"><span class="cite-label">Li 2025, §4.2</span></span></p>' in printed_page
    for gone in ("A passage", "Works cited", "Cite this source", "footnote-backref", "min read", "<details"):
        assert gone not in printed_page, gone
