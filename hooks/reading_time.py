"""MkDocs hook: reading time. One job: each page says at its top how long it takes to read.

The count is scripts/primer/site/reading.py's, the same that the reading budgets (tests/test_reading.py) and
`make bench` use: the article's own text, without the notes, the cite block or the corrections note.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

from primer.site import reading

_lines: dict[str, tuple[str, str]] = {}  # by page: (its content, its line), kept for `mkdocs serve`'s next rebuild


@event_priority(-100)  # last: after every hook that adds to the page's content
def on_page_content(html, page, config, files):
    kept = _lines.get(page.file.src_uri)
    line = kept[1] if kept and kept[0] == html else reading.reading_time_html(reading.read_html(html))
    _lines[page.file.src_uri] = (html, line)
    end = html.find("</h1>")
    if end < 0:
        return line + html
    end += len("</h1>")
    return html[:end] + "\n" + line + html[end:]
