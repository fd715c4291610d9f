"""Text from the project's data files, written into HTML as text: never as markup (no MkDocs import).

Every text that comes from a data file (glossary.yaml, charts.yaml, sources/manifest.yaml, references.bib, a
page's front matter, a source's text) is escaped where it is written into HTML or into Markdown that holds HTML,
so that `<img src=x onerror=…>` in a definition is shown as those characters and never runs:

- `text(value)`: a plain text as HTML (or Markdown) text: `&`, `<` and `>` as character references.
- `title_as_html(title)`: a page's front-matter `title` as Material's templates print it. MkDocs hands the
  templates `page.title` as HTML (a title taken from the first heading is the heading's HTML) and Material prints
  it unescaped (in <title>, the header, the navigation, the search index); where it escapes it (`| e`, in the
  footer's aria-label) a `Markup` is left as it is, so the title is escaped exactly once everywhere.
- `tooltips_as_text(html)`: every `title` attribute of a page's content, escaped for a second parse. Material's
  tooltips (`content.tooltips`) read an element's `title` and append it to the tooltip with `innerHTML +=`
  (material/templates/assets/javascripts/utilities/h/index.ts, `appendChild`, called by `mountInlineTooltip2`
  in components/tooltip2 for every `[title]` of the content), so the attribute's value is parsed as HTML again
  on hover: a definition holding `&lt;img …&gt;`, correctly escaped once, would become an element. Escaped
  twice, the second parse gives back the text. A value without `&`, `<` or `>` is unchanged (what a reader
  sees without script, in the browser's own tooltip, is the same). COinS spans (class="Z3988") keep theirs:
  reference managers read it as a query string, and it holds no `<`.
- `unsafe_urls(html)`: every URL of a page's tags that is neither relative nor http:, https: or mailto:
  (`javascript:` runs as script when followed; `data:` and `vbscript:` are no page to cite), read as a browser
  reads it: character references decoded, tabs and line breaks dropped, leading spaces and control characters
  stripped (`jav&#x09;ascript:` is `javascript:`). The page's Content-Security-Policy would refuse a
  `javascript:` link; the build refuses to publish one (primer.build.stages.safety).
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup


def text(value) -> str:
    """VALUE as HTML text (also safe in Markdown, where a character reference stays what it is)."""
    return html.escape(str(value), quote=False)


def title_as_html(title) -> Markup:
    """A front-matter title as HTML that Jinja's `| e` leaves as it is (see the module's docstring)."""
    if isinstance(title, Markup):
        return title
    # the double quote too (Material prints `| e` values in attributes); the apostrophe stays (no attribute of
    # Material's is single-quoted)
    return Markup(html.escape(str(title), quote=False).replace('"', "&quot;"))


_TITLE = re.compile(r'(<[a-zA-Z][^<>]*?\stitle=")([^"]*)(")')
_COINS = re.compile(r'\sclass="Z3988"')


def tooltips_as_text(content: str) -> str:
    """Every title="…" in CONTENT escaped for the second parse Material's tooltips make (module docstring)."""

    def twice(match):
        if _COINS.search(match.group(1)):
            return match.group(0)
        value = html.unescape(match.group(2))
        if not any(c in value for c in "&<>"):
            return match.group(0)
        return match.group(1) + html.escape(html.escape(value, quote=False), quote=True) + match.group(3)

    return _TITLE.sub(twice, content)


SAFE_SCHEMES = ("http", "https", "mailto")
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_URL_ATTRIBUTE = re.compile(r"""\s(href|src|action|formaction|poster|data|xlink:href|background)\s*=\s*"""
                            r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def unsafe_urls(page: str) -> list[tuple[int, str, str]]:
    """(line, attribute, URL) for every URL of PAGE's tags with a scheme other than SAFE_SCHEMES (docstring)."""
    found = []
    for tag in _TAG.finditer(page):
        for attribute in _URL_ATTRIBUTE.finditer(tag.group(0)):
            raw = next(value for value in attribute.groups()[1:] if value is not None)
            url = re.sub(r"[\t\n\r]", "", html.unescape(raw)).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                                  "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                                                  "\x1a\x1b\x1c\x1d\x1e\x1f ")
            scheme = _SCHEME.match(url)
            if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                found.append((page.count("\n", 0, tag.start()) + 1, attribute.group(1).lower(), url))
    return found
