"""Tables a phone can read: a table of three columns or more becomes one card per row on a narrow screen (each
cell under its column's name), instead of a strip cut off at the right edge (docs/stylesheets/primer.css,
`table.cards-narrow`). Applied to the tables Python-Markdown writes from the chapters' Markdown; the ledgers'
tables are cards already (primer.site.claims_pages.card_table). No MkDocs import."""
from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td(\b[^>]*)>")
_TAGS = re.compile(r"<[^>]+>")
MIN_COLUMNS = 3


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub("", fragment)).split())


def as_cards(content: str) -> str:
    """CONTENT with each plain table of MIN_COLUMNS columns or more marked to become cards on a narrow screen,
    each data cell carrying its column's name (data-label)."""
    def table(match):
        inner = match.group(1)
        head = inner.split("</thead>", 1)
        if len(head) != 2:
            return match.group(0)
        names = [_text(h) for h in _HEADER.findall(head[0])]
        if len(names) < MIN_COLUMNS:
            return match.group(0)

        def row(row_match):
            cells = iter(names)
            return "<tr>" + _CELL.sub(lambda c: f'<td{c.group(1)} data-label="{html.escape(next(cells, ""), quote=True)}">',
                                      row_match.group(1)) + "</tr>"
        return '<table class="cards-narrow">' + head[0] + "</thead>" + _ROW.sub(row, head[1]) + "</table>"
    return _TABLE.sub(table, content)
