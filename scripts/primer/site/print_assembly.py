"""The print edition: the whole primer on one page, and its PDF.

    python -m primer.site.print_assembly site/dual-circulation-primer.pdf   # pages and outline of a built PDF

How it is made (primer.build.stages.print_edition is the MkDocs side). The print page is assembled from
the pages as MkDocs and mkdocs-bibtex rendered them (each page's article HTML, citations,
footnotes, glossary tooltips and charts included), never from their Markdown, so nothing is
rendered twice or differently. `assemble()` takes the navigation (parts and pages, in order)
and, for each page:
- wraps it in `<section class="print-page" id="SLUG">`, SLUG being its URL path with `/` as `-`
  (`primer/domestic-circulation/` -> `primer-domestic-circulation`, the home page `home`);
- prefixes every id with `SLUG--` (and every reference to an id: `href="#…"`, `for`,
  `aria-labelledby`, `aria-describedby`, `aria-controls`, `headers`, `url(#…)`, radio-group
  `name`s), so ids stay unique: each page keeps its own footnotes, whose ids (`fn:x`, `fnref:x`)
  would otherwise be duplicated, as mkdocs-print-site-plugin duplicates them;
- rewrites every link to a page of the print edition into a link within it
  (`../domestic-circulation/#consumption` -> `#primer-domestic-circulation--consumption`), and
  every other relative link (downloads, pages outside the navigation) so that it still resolves
  from the print page's own address;
- replaces the page's "Cite this page" block (scripts/primer/site/citation_formats.py) by one line with the page's online
  address and its dates: the print edition has one citation of its own.
It returns the contents list and the pages' HTML; the build puts them into the print page.

`pdf_html()` makes the document WeasyPrint prints: a title page (title, edition, date, the
print edition's citation), the contents with page numbers, then the same pages, styled by
styles/print-pdf.css alone (Material's stylesheet is not print-ready for WeasyPrint). Links that
lead outside the document become absolute when site_url is known, and plain text otherwise: the
PDF holds no link to a file on the machine that built it.

`weasyprint_status()` says whether WeasyPrint and its system libraries (Debian's pango and
harfbuzz) are there; the build makes no PDF, and says so, when they are not.
`pdf_facts()` reads a PDF's page count, outline titles and named destinations with the standard
library alone (the tests use it; the PDF's text itself is compressed glyph codes).
"""
from __future__ import annotations

from primer import ROOT

import argparse
import html
import logging
import posixpath
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

PDF_NAME = "dual-circulation-primer.pdf"
STYLESHEET = ROOT / "styles" / "print-pdf.css"
SEP = "--"  # between a page's slug and one of its ids
_BASE = "https://primer.invalid/"  # a stand-in origin to resolve relative URLs against

# A start tag, with quoted or bare attribute values (values never contain a raw "<" or ">" in
# what Python-Markdown, pandoc or matplotlib write: they escape them).
TAG_RE = re.compile(r"""<([A-Za-z][\w:.-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>""")
ATTR_RE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
ID_REF_ATTRS = {"for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details",
                "headers", "list", "form"}
URL_ATTRS = {"href", "src", "xlink:href", "poster", "data", "action", "cite"}
NAME_TAGS = {"a", "input", "map"}  # a `name` is an anchor (a), a radio group (input) or an image map
_URL_ID_RE = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]+)\1\s*\)")
# A tag with none of these attributes (most tags: class and style only) is left as it is, unparsed.
_REWRITTEN_RE = re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, sorted(
    {"id", "name", "srcset", "imagesrcset", *ID_REF_ATTRS, *URL_ATTRS}))) + r")\s*=|url\(", re.I)
_CITE_BLOCK_RE = re.compile(r"<section\b(?P<attrs>[^>]*\bclass=\"cite-block\"[^>]*)>(?P<body>.*?)</section>", re.S)
_FIRST_P_RE = re.compile(r"<p>(.*?)</p>", re.S)
_COINS_RE = re.compile(r"\s*<span class=\"Z3988\"[^>]*>\s*</span>")
_HEADERLINK_RE = re.compile(r"<a class=\"headerlink\"[^>]*>.*?</a>", re.S)
# What a page shows on a screen only: its notes' passages (a disclosure), the works it cites with their "Cite
# this source" (the bibliography at the end lists every work), the notes' ways back to the text, the reading
# time, and the bibliography's boxes for citing a source. Print keeps each note's one line: label and locator.
_NOTE_RE = re.compile(r'<details class="cite-note"><summary>(.*?)</summary>.*?</details>(?:&#160;)?', re.S)
_SCREEN_ONLY_RE = re.compile(
    r'<div class="works-cited">.*?</ul></div>'
    r'|<div class="screen-only">.*?</div>|<span class="screen-only">.*?</span>'
    r'|<a class="footnote-backref"[^>]*>.*?</a>'
    r'|<p class="reading-time">.*?</p>'
    r'|<div class="source-cite"(?:[^>"]|"[^"]*")*>\s*<details>.*?</details>\s*</div>'
    r'|<a class="cite-source-link"[^>]*>.*?</a>', re.S)


# Words of a screen's controls that a printed page must not carry (tests/test_print.py reads the PDF's text).
SCREEN_ONLY = ("Cite this source", "Cite this page", "Jump back", "passage ▸", "min read", "Copy APA",
               "Copy Chicago", "Copy BibTeX", "in the source text", "read it at the original", "tap ", "hover",
               "click ", "Works cited")
MAX_PAGES = 80   # A4 pages of the PDF, at most (issue #21: a CRS In Focus prints in 2-4; the whole primer in 80)


def screen_words(text: str) -> list[str]:
    """The SCREEN_ONLY words in TEXT (a printed page's text), each once."""
    flat = " ".join(text.split())
    return [word for word in SCREEN_ONLY if word.strip().lower() in flat.lower()]


def for_print(content: str) -> str:
    """A page's content without what only a screen needs (_SCREEN_ONLY_RE)."""
    content = _NOTE_RE.sub(lambda m: f"<p>{m.group(1)}</p>", content)
    return _SCREEN_ONLY_RE.sub("", content).replace("&#160;</p>", "</p>")


class PrintEditionError(ValueError):
    """The print edition cannot be assembled as asked (the message says why)."""


@dataclass(frozen=True)
class Chapter:
    """One page of the primer as MkDocs rendered it."""
    url: str  # its URL path from the site's root: "" for the home page, "primer/domestic-circulation/"
    title: str  # its title in the navigation
    content: str  # the article's HTML (MkDocs' page.content)


@dataclass(frozen=True)
class Part:
    """A section of the navigation: a title and its pages and sub-sections, in order."""
    title: str
    children: list = field(default_factory=list)  # Chapter | Part


@dataclass(frozen=True)
class Assembled:
    contents: str  # the contents list (HTML), linking to each page within the print page
    pages: str  # every page, in order (HTML)
    chapters: list[tuple[str, str]]  # (slug, title), in order


def slug(url: str) -> str:
    """The id of a page within the print edition, from its URL path."""
    path = url.removesuffix("index.html").strip("/")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-") or "home"


def _chapters(items) -> list[Chapter]:
    found = []
    for item in items:
        found.extend(_chapters(item.children) if isinstance(item, Part) else [item])
    return found


def _normal(path: str) -> str:
    """A site-relative path as a page's URL path: `x/index.html` -> `x/`."""
    if path == "index.html" or path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def _relative(target: str, start_dir: str) -> str:
    """`target` (site-relative) as a link written on a page whose URL path is `start_dir`."""
    rel = posixpath.relpath(target or ".", start_dir.rstrip("/") or ".")
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


class _Rewriter:
    """Rewrites one page's HTML for the print page (ids, references to ids, links)."""

    def __init__(self, page_url: str, page_slugs: dict[str, str], print_url: str, top_id: str):
        self.page_url = page_url
        self.prefix = slug(page_url) + SEP
        self.page_slugs = page_slugs  # URL path -> slug, for every page of the print edition
        self.print_url = print_url
        self.top_id = top_id
        self._urls: dict[str, str] = {}

    def ident(self, value: str) -> str:
        return self.prefix + value

    def url(self, value: str) -> str:
        if value not in self._urls:  # a page links to the same few addresses again and again
            self._urls[value] = self._url(value)
        return self._urls[value]

    def _url(self, value: str) -> str:
        raw = value.strip()
        if not raw:
            return value
        if raw.startswith("#"):
            return "#" + self.ident(raw[1:]) if len(raw) > 1 else raw
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", raw) or raw.startswith("/"):
            return value  # another scheme (https:, mailto:, data:), or root-relative (the link check flags it)
        resolved = urlparse(urljoin(_BASE + self.page_url, raw))
        path = _normal(resolved.path[len(urlparse(_BASE).path):])
        fragment = resolved.fragment
        if path in self.page_slugs and not resolved.query:
            target = self.page_slugs[path]
            return "#" + (target + SEP + fragment if fragment else target)
        if path == self.print_url and not resolved.query:
            return "#" + (fragment or self.top_id)
        rel = _relative(path, self.print_url)
        return rel + (f"?{resolved.query}" if resolved.query else "") + (f"#{fragment}" if fragment else "")

    def tag(self, match: re.Match) -> str:
        name, attrs, close = match.group(1), match.group(2), match.group(3)
        if not attrs or not _REWRITTEN_RE.search(attrs):
            return match.group(0)
        out = []
        for attr in ATTR_RE.finditer(attrs):
            key, quoted = attr.group(1), attr.group(2)
            if quoted is None:
                out.append(key)
                continue
            value = html.unescape(quoted[1:-1] if quoted[:1] in "\"'" else quoted)
            lower = key.lower()
            new = value
            if lower == "id" or (lower == "name" and name.lower() in NAME_TAGS):
                new = self.ident(value)
            elif lower in ID_REF_ATTRS:
                new = " ".join(self.ident(token) for token in value.split())
            elif lower in URL_ATTRS:
                new = self.url(value)
            elif lower in ("srcset", "imagesrcset"):
                new = ", ".join(" ".join([self.url(part.split()[0]), *part.split()[1:]])
                                for part in value.split(",") if part.strip())
            if "url(" in new and "#" in new:
                new = _URL_ID_RE.sub(lambda m: f"url({m.group(1)}#{self.ident(m.group(2))}{m.group(1)})", new)
            if new == value:
                out.append(attr.group(0))
            else:
                out.append(f'{key}="{html.escape(new, quote=True)}"')
        return f"<{name} {' '.join(out)}{' /' if close else ''}>"

    def rewrite(self, content: str) -> str:
        return TAG_RE.sub(self.tag, content)


def _page_meta(content: str) -> tuple[str, str]:
    """(content without its "Cite this page" block, the block's one line for print: address, dates)."""
    match = _CITE_BLOCK_RE.search(content)
    if not match:
        return content, ""
    url_match = re.search(r'data-cite-url="([^"]*)"', match.group("attrs"))
    address = html.unescape(url_match.group(1)) if url_match else ""
    first = _FIRST_P_RE.search(match.group("body"))
    dates = _COINS_RE.sub("", first.group(1)).strip() if first else ""
    # the page's address when the primer has a public one (site_url); a copy without one prints no
    # placeholder ("[site URL]/…", which only a browser's script fills in), only the dates
    online = (f'Online: <a href="{html.escape(address, quote=True)}">{html.escape(address)}</a>. '
              if re.match(r"^https?://", address) else "")
    line = f'<p class="print-page__meta">{online}{dates}</p>' if address or dates else ""
    return content[: match.start()] + line + content[match.end():], line


def assemble(items: list, print_url: str, top_id: str, memo: dict | None = None) -> Assembled:
    """The print edition's contents and pages from the navigation's `items` (Chapter | Part), in order.

    `print_url` is the print page's own URL path (it is left out if listed); `top_id` the id of its
    heading, where a link to the print page itself leads. `memo` (the caller's: the build plugin keeps one
    across `mkdocs serve`'s rebuilds) holds each page's latest section by URL, with what it was made from,
    so a page unchanged since the last rebuild is not rewritten."""
    kept_pages = {} if memo is None else memo
    chapters = [c for c in _chapters(items) if c.url != print_url]
    slugs: dict[str, str] = {}
    for chapter in chapters:
        name = slug(chapter.url)
        if chapter.url in slugs:
            raise PrintEditionError(f"the page {chapter.url or '/'} is listed twice in the navigation; "
                                    "the print edition holds each page once")
        if name in slugs.values():
            raise PrintEditionError(f"two pages share the print-edition id {name!r}; rename one")
        slugs[chapter.url] = name
    pages = []
    every = tuple(sorted(slugs.items()))
    for chapter in chapters:
        key = (chapter.content, every, print_url, top_id)
        kept = kept_pages.get(chapter.url)
        if kept is None or kept[0] != key:   # `mkdocs serve`: a page unchanged since the last rebuild is kept
            content, _ = _page_meta(for_print(chapter.content))
            body = _Rewriter(chapter.url, slugs, print_url, top_id).rewrite(content)
            kept = kept_pages[chapter.url] = (key, f'<section class="print-page" id="{slugs[chapter.url]}" '
                                               f'data-print-page="{html.escape(chapter.url or "./", quote=True)}">'
                                               f'\n{body}\n</section>')
        pages.append(kept[1])

    def listing(nodes) -> str:
        rows = []
        for node in nodes:
            if isinstance(node, Part):
                inner = listing(node.children)
                if inner:
                    rows.append(f'<li class="print-contents__part"><span>{html.escape(node.title)}</span>{inner}</li>')
            elif node.url in slugs:
                rows.append(f'<li><a href="#{slugs[node.url]}">{html.escape(node.title)}</a></li>')
        return f"<ol>{''.join(rows)}</ol>" if rows else ""

    contents = (f'<nav class="print-contents" aria-labelledby="print-contents-title">'
                f'<p class="print-contents__title" id="print-contents-title"><strong>Contents</strong></p>'
                f"{listing(items)}</nav>")
    return Assembled(contents, "\n".join(pages), [(slugs[c.url], c.title) for c in chapters])


# --------------------------------------------------------------------------- the PDF

def weasyprint_status() -> tuple[object | None, str]:
    """(the weasyprint module, "") when it can render; (None, why not) otherwise."""
    try:
        import weasyprint
    except ImportError as err:
        return None, f"WeasyPrint is not installed ({err})"
    except OSError as err:  # its system libraries: pango, pangoft2, harfbuzz-subset
        return None, (f"WeasyPrint cannot load its system libraries ({err}); on Debian install "
                      "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
    return weasyprint, ""


# The colours the charts take from Material's CSS variables, for the PDF (light palette, print).
PDF_COLOURS = {
    "--md-default-fg-color": "#222222",
    "--md-default-fg-color--light": "#666666",
    "--md-default-fg-color--lighter": "#999999",
    "--md-default-fg-color--lightest": "#dddddd",
    "--md-primary-fg-color": "#c62828",
}
_SVG_RE = re.compile(r"<svg\b.*?</svg>", re.S)
_VAR_RE = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)")
_STYLE_ATTR_RE = re.compile(r'\sstyle="([^"]*)"')


def _svg_for_pdf(svg: str) -> str:
    """Inline SVG as WeasyPrint draws it: each `style` becomes presentation attributes (its SVG
    renderer reads those; its HTML style parser warns on every SVG property), CSS variables resolved."""
    def colour(match: re.Match) -> str:
        return PDF_COLOURS.get(match.group(1)) or (match.group(2) or "currentColor").strip()

    def attrs(match: re.Match) -> str:
        pairs = []
        for declaration in html.unescape(match.group(1)).split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() and value.strip():
                pairs.append(f' {name.strip()}="{html.escape(_VAR_RE.sub(colour, value.strip()), quote=True)}"')
        return "".join(pairs)

    def tag(match: re.Match) -> str:
        text = match.group(0)
        style = _STYLE_ATTR_RE.search(text)
        if not style:
            return text
        rest = text[: style.start()] + text[style.end():]
        for name in re.findall(r'\s([\w-]+)="', attrs(style)):  # the style wins over an attribute
            rest = re.sub(rf'\s{name}="[^"]*"', "", rest)
        return rest.replace(">", attrs(style) + ">", 1) if not rest.endswith("/>") else rest[:-2] + attrs(style) + "/>"

    return TAG_RE.sub(tag, svg)


def for_pdf(pages: str, print_url: str, site_url: str | None) -> str:
    """The print page's HTML as the PDF holds it: no permalink signs, charts drawable by WeasyPrint,
    and every link that leaves the document absolute (site_url known) or plain text (unknown):
    never a file path of the build machine."""
    pages = _HEADERLINK_RE.sub("", pages)
    pages = _SVG_RE.sub(lambda m: _svg_for_pdf(m.group(0)), pages)
    base = (site_url.rstrip("/") + "/") if site_url else None

    def link(match: re.Match) -> str:
        tag = match.group(0)
        href = re.search(r'\shref="([^"]*)"', tag)
        if not href:
            return tag
        value = html.unescape(href.group(1))
        if value.startswith("#") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            return tag
        target = urljoin(_BASE + print_url, value)[len(_BASE):]
        if base:
            return tag.replace(href.group(0), f' href="{html.escape(base + target, quote=True)}"')
        return tag.replace(href.group(0), f' data-site-path="{html.escape(target, quote=True)}"')

    return re.sub(r"<a\b[^>]*>", link, pages)


def pdf_html(*, title: str, description: str, version: str, edition_status: str, generated: str,
             citations: list[tuple[str, str]], citation_help: str, licence: str, pdf_address: str,
             contents: str, pages: str, author: str, language: str = "en", top_id: str = "print-edition") -> str:
    """The whole document WeasyPrint renders (its stylesheet is added by `write_pdf`)."""
    e = html.escape
    cites = "".join(f'<p class="title-page__format">{e(name)}</p><pre>{e(text)}</pre>' for name, text in citations)
    return f"""<!DOCTYPE html>
<html lang="{e(language)}">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<meta name="author" content="{e(author)}">
<meta name="description" content="{e(description)}">
<meta name="dcterms.created" content="{e(generated)}">
<meta name="generator" content="hooks/print_edition.py (WeasyPrint)">
</head>
<body>
<section class="title-page" id="{e(top_id)}">
<p class="title-page__kicker">Print edition</p>
<h1 class="title-page__title">{e(title)}</h1>
<p class="title-page__description">{e(description)}</p>
<p class="title-page__edition"><span class="title-page__edition-number">Edition {e(version)}</span> ({e(edition_status)}).
This PDF was generated on {e(generated)}; its address is {e(pdf_address)}.</p>
<div class="title-page__cite">
<p class="title-page__cite-title">Cite this edition</p>
{cites}
<p class="title-page__help">{e(citation_help)}</p>
</div>
<p class="title-page__licence">{e(licence)}</p>
</section>
{contents}
<main class="print-pages">
{pages}
</main>
</body>
</html>
"""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(" ".join(record.getMessage().split()))


def write_pdf(weasyprint, document: str, base_url: str, target: Path,
              stylesheet: Path = STYLESHEET) -> tuple[int, list[str]]:
    """Render `document` to `target` with the print stylesheet: (number of pages, WeasyPrint's warnings)."""
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        rendered = weasyprint.HTML(string=document, base_url=base_url).render(
            stylesheets=[weasyprint.CSS(filename=str(stylesheet))])
        rendered.write_pdf(str(target))
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    return len(rendered.pages), collect.messages


# --------------------------------------------------------------------------- reading a PDF back

@dataclass(frozen=True)
class PdfFacts:
    pages: int  # from the page tree's /Count
    page_objects: int  # objects of /Type /Page
    outline: list[str]  # bookmark titles, in file order
    destinations: set[str]  # named destinations (WeasyPrint makes one per id)
    info: dict[str, str]  # /Title, /Author, … of the document information


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        data = bytes.fromhex(token[1:-1].decode("ascii"))
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
    body = token[1:-1]
    body = re.sub(rb"\\([nrtbf()\\])", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
                  .get(m.group(1), m.group(1)), body)
    body = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8) & 0xFF]), body)
    return body[2:].decode("utf-16-be") if body.startswith(b"\xfe\xff") else body.decode("latin-1")


_PAREN_STRING_RE = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_STRING = rb"(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)"


def _dict_rest(text: bytes, start: int) -> bytes:
    """The rest of the dictionary that `start` is inside: up to its closing `>>`, strings skipped."""
    depth, i = 0, start
    while i < len(text):
        two = text[i:i + 2]
        if text[i:i + 1] == b"(":
            match = _PAREN_STRING_RE.match(text, i)
            i = match.end() if match else i + 1
        elif two == b"<<":
            depth, i = depth + 1, i + 2
        elif two == b">>":
            if depth == 0:
                return text[start:i]
            depth, i = depth - 1, i + 2
        else:
            i += 1
    return text[start:]


def pdf_facts(path: Path | str) -> PdfFacts:
    """What a PDF holds, read with the standard library: its streams are inflated (object streams
    hold the page, outline and name objects when the PDF is compressed) and searched."""
    raw = Path(path).read_bytes()
    if not raw.startswith(b"%PDF-"):
        raise ValueError(f"{path}: not a PDF")
    chunks = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        start = match.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            continue
        try:
            chunks.append(zlib.decompressobj().decompress(raw[start:end]))
        except zlib.error:
            continue
    text = b"\n".join(chunks)
    counts = [int(m.group(1)) for m in re.finditer(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", text)]
    counts += [int(m.group(1)) for m in re.finditer(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    page_objects = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text))
    outline = []
    for match in re.finditer(rb"/Title\s*" + _STRING, text):
        whole = text[text.rfind(b"<<", 0, match.start()):match.start()] + _dict_rest(text, match.end())
        if re.search(rb"/Parent\b", whole):
            outline.append(_pdf_string(match.group(1)))  # an outline item: << /Title … /Parent … >>
    producer = re.search(rb"/Producer\b", text)
    info_dict = _dict_rest(text, text.rfind(b"<<", 0, producer.start()) + 2) if producer else b""
    destinations = {_pdf_string(m.group(1)) for m in re.finditer(_STRING + rb"\s*\[\s*\d+\s+\d+\s+R\s*/XYZ", text)}
    info = {}
    for key in ("Title", "Author", "Subject", "Creator", "Producer"):
        found = re.search(rb"/" + key.encode() + rb"\s*" + _STRING, info_dict)
        if found:
            info[key] = _pdf_string(found.group(1))
    return PdfFacts(max(counts) if counts else page_objects, page_objects, outline, destinations, info)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Show what a built PDF of the primer holds")
    parser.add_argument("pdf", nargs="?", default=f"site/{PDF_NAME}")
    args = parser.parse_args(argv)
    if not Path(args.pdf).is_file():
        print(f"{args.pdf}: no such file; `make build` makes it when WeasyPrint is installed", file=sys.stderr)
        return 2
    facts = pdf_facts(args.pdf)
    print(f"{args.pdf}: {facts.pages} pages; title {facts.info.get('Title', '?')!r}; "
          f"{len(facts.outline)} bookmarks; {len(facts.destinations)} named destinations")
    for title in facts.outline:
        print(f"  {title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
