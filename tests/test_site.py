"""Checks on the built HTML of the real site: citations processed, locators
rendered, no stray escapes, the bibliography complete, nothing fetched from a
third-party host."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from conftest import ROOT
from pybtex.database import parse_file

from primer.build.bibtex_adapter import citation_blocks
from primer.site import marks as citation_marks

SECTION_LABELS = citation_marks.section_labels(ROOT)

DOCS = ROOT / "docs"


class _Text(HTMLParser):
    """The article's text, without code (where `[@` or a backslash may be meant) and
    without verbatim quotations of a source (class "source-verbatim": the figure
    ledger quotes the vendored text with its extraction artefacts, such as "US \\$")."""

    SKIPPED = ("code", "pre", "script", "style")
    VOID = ("area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._in_article, self._stack = [], 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._in_article += 1
        if tag in self.VOID:
            return
        skip = tag in self.SKIPPED or "source-verbatim" in (dict(attrs).get("class") or "")
        self._stack.append((tag, skip))
        self._skip += skip

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        while self._stack:  # HTML may leave tags unclosed: unwind to the matching one
            opened, skip = self._stack.pop()
            self._skip -= skip
            if opened == tag:
                break

    def handle_data(self, data):
        if self._in_article and not self._skip:
            self.parts.append(data)


def article_text(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def html_page_for(md: Path, site: Path) -> Path:
    rel = md.relative_to(DOCS).with_suffix("")
    if rel.name == "index":
        return site / rel.parent / "index.html"
    return site / rel / "index.html"


def markdown_pages():
    return sorted(DOCS.rglob("*.md"))


def test_every_page_was_built(built_site):
    for md in markdown_pages():
        assert html_page_for(md, built_site).is_file(), f"{md.relative_to(ROOT)} has no page in the site"


def test_no_unprocessed_citation_and_no_stray_backslash(built_site):
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        text = article_text(page)
        rel = page.relative_to(built_site)
        for match in re.finditer(r"\[@|@[a-z]+(?:\d{4}|nd)[a-z0-9]+", text):
            problems.append(f"{rel}: unprocessed citation near {text[max(0, match.start() - 30):match.end() + 30]!r}")
        for match in re.finditer(r"\\[^\s\w]|\\ ", text):
            problems.append(f"{rel}: stray backslash near {text[max(0, match.start() - 30):match.end() + 30]!r}")
    assert not problems, "\n".join(problems)


def _locator_form(text: str) -> str:
    """CSL pluralises a label before a range ("paras. 1–19") and prints ranges with an en dash."""
    text = re.sub(r"\b(para|sec|fig)s\.", r"\1.", text)
    return re.sub(r"(?<=\d)-(?=\d)", "–", text)


def test_every_locator_in_markdown_appears_in_html(built_site):
    """Every locator reaches the reader, in the note of its citation's mark ("sec. 4.2" as "§4.2")."""
    checked, problems = 0, []
    for md in markdown_pages():
        source = md.read_text(encoding="utf-8")
        text = article_text(html_page_for(md, built_site))
        for block, offset in citation_blocks(source):
            for citation in block.citations:
                locator = " ".join(citation.suffix.split())
                if not locator:
                    continue
                checked += 1
                if _locator_form(citation_marks.locator_label(locator, SECTION_LABELS)) not in _locator_form(text):
                    line = source.count("\n", 0, offset) + 1
                    problems.append(f"docs/{md.relative_to(DOCS)}:{line}: locator {locator!r} of "
                                    f"@{citation.key} is missing from the HTML")
    assert checked > 0, "no locator found in docs/: the test would pass vacuously"
    assert not problems, "\n".join(problems)


def test_bibliography_page_has_an_anchor_for_every_entry(built_site):
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    keys = parse_file(str(ROOT / "references.bib")).entries.keys()
    missing = [key for key in keys if f'id="{key}"' not in page]
    assert not missing, f"bibliography page lacks anchors for: {missing}"
    assert len(keys) >= 4 + 10  # the four sources and Li's ten references at least


def test_bib_file_is_downloadable_unchanged(built_site):
    assert (built_site / "references.bib").read_bytes() == (ROOT / "references.bib").read_bytes()


class _Requests(HTMLParser):
    """Every URL a browser would fetch when showing the page (not mere links)."""

    FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                "audio": "src", "embed": "src", "object": "data", "track": "src"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.FETCHING and attrs.get(self.FETCHING[tag]):
            self.urls.append(attrs[self.FETCHING[tag]])
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(word in rel for word in ("stylesheet", "preload", "preconnect", "icon", "manifest",
                                            "modulepreload", "dns-prefetch", "prefetch")):
                self.urls.append(attrs["href"])
        if attrs.get("srcset"):
            self.urls.extend(part.split()[0] for part in attrs["srcset"].split(","))
        if attrs.get("style"):
            self.urls.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs["style"]))


def _third_party(url: str) -> bool:
    parsed = urlparse(html.unescape(url))
    return bool(parsed.netloc) and parsed.hostname not in ("127.0.0.1", "localhost")


def test_no_page_fetches_from_a_third_party_host(built_site):
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(built_site)}: fetches {url}" for url in parser.urls if _third_party(url)]
    for css in sorted(built_site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if _third_party(url):
                problems.append(f"{css.relative_to(built_site)}: fetches {url}")
    for path in sorted(built_site.rglob("*")):
        if path.suffix in (".html", ".css", ".js") and re.search(
                r"fonts\.(googleapis|gstatic)\.com", path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{path.relative_to(built_site)}: refers to Google Fonts")
    assert not problems, "\n".join(problems)


def test_third_party_detector_catches_a_planted_request(tmp_path):
    """The check above must see what it claims to see."""
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                    '<script src="//cdn.example.com/x.js"></script><img src="img/ok.png">'
                    '<a href="https://example.org/">a link is not a request</a>', encoding="utf-8")
    parser = _Requests()
    parser.feed(page.read_text(encoding="utf-8"))
    flagged = [url for url in parser.urls if _third_party(url)]
    assert flagged == ["https://fonts.googleapis.com/css?family=Roboto", "//cdn.example.com/x.js"]


def test_the_search_dialog_has_an_accessible_name_on_every_page(built_site):
    """primer.build.stages.repairs names Material's search dialog; if Material's markup changes, this says so
    before the browser's accessibility test does."""
    from conftest import built_pages

    for path, index in built_pages(built_site).items():
        text = index.read_text(encoding="utf-8")
        dialog = re.search(r'<div class="md-search"[^>]*role="dialog"[^>]*>', text)
        assert dialog, f"/{path}: no search dialog found (has Material's partials/search.html changed?)"
        assert 'aria-label="Search"' in dialog.group(0), f"/{path}: {dialog.group(0)} has no accessible name"
