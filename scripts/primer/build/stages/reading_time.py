"""Stage 5: each page says at its top how long it takes to read.

The count is primer.site.reading's, the same that the reading budgets (tests/test_reading.py) and `make bench`
use: the article's own text, without the notes, the cite block or the corrections note; the speed is the
primer plugin's `reading.words_per_minute`.
"""
from __future__ import annotations

from primer.site import reading

PROSE_GENERATED = {"reference/glossary.md"}


class ReadingTime:
    def __init__(self, words_per_minute: int, kept: dict):
        """KEPT: by page, (its content, its line), kept across `mkdocs serve`'s rebuilds: an unchanged page
        keeps its line."""
        self.words_per_minute = words_per_minute
        self.kept = kept

    def add_line(self, html: str, page) -> str:
        """The page's reading time under its title: a page of prose only (written in docs/, or the glossary), not
        a generated list or ledger, whose tables are put in later and are looked up, not read."""
        if page.file.generated_by and page.file.src_uri not in PROSE_GENERATED:
            return html
        kept = self.kept.get(page.file.src_uri)
        if kept and kept[0] == html:
            line = kept[1]
        else:
            line = reading.reading_time_html(reading.read_html(html, self.words_per_minute))
        self.kept[page.file.src_uri] = (html, line)
        end = html.find("</h1>")
        if end < 0:
            return line + html
        end += len("</h1>")
        return html[:end] + "\n" + line + html[end:]
