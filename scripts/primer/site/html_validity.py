"""HTML the W3C Nu validator accepts: two repairs to what Markdown and the theme write.

``escape_stray_ampersands(html)``  an ``&`` that starts no character reference ("R&D;" in a table
                                   cell: Python-Markdown leaves ``&D;`` as if it were an entity) is
                                   written ``&amp;``; scripts and styles are left as they are.
``drop_empty_tabindex(html)``      Material 9.8.1 writes ``tabindex=""`` on the navigation's section
                                   labels (partials/nav-item.html); browsers treat it as absent, the
                                   validator as an error. It is removed.

Left as Material writes them (README: HTML validity): ``autocomplete="off"`` on its toggle checkboxes
(Firefox would otherwise restore an open drawer on reload) and ``autocorrect`` on the search field
(Safari reads it).
"""
from __future__ import annotations

import re
from html.entities import html5

_AMPERSAND_RE = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;)([A-Za-z][A-Za-z0-9]*;)?")
_RAW_TEXT_RE = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.S | re.I)
EMPTY_TABINDEX = ' tabindex=""'


def _escape(text: str) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name and name in html5:
            return match.group(0)          # a real named reference: &amp; &ndash; …
        return "&amp;" + (name or "")
    return _AMPERSAND_RE.sub(one, text)


def escape_stray_ampersands(html: str) -> str:
    parts = _RAW_TEXT_RE.split(html)
    out = []
    i = 0
    while i < len(parts):
        out.append(_escape(parts[i]))          # text and markup
        if i + 1 < len(parts):
            out.append(parts[i + 1])           # a script or style element, as it is
        i += 3
    return "".join(out)


def drop_empty_tabindex(html: str) -> str:
    return html.replace(EMPTY_TABINDEX, "")
