"""MkDocs hook: citation marks. One job: each citation block becomes one small numbered mark.

Before mkdocs-bibtex (priority 0) replaces the blocks with "(W. Li 2025, sec. 4.2)¹", this hook
replaces each block with a footnote reference and appends its note: a short label with the locator
and the full reference that pandoc formatted (hooks/citations.py ran pandoc on every block and every
entry in on_files). mkdocs-bibtex then finds no block on the page and leaves it alone. The logic is
in primer.citation_marks (scripts/citation_marks.py); docs/javascripts/citation-popup.js shows a note beside its mark on
hover, tap and keyboard focus.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from primer import bibtex_adapter, citation_marks
from primer.citation_marks import Cited

_labels: dict[Cited, str] = {}
_works: dict[str, str] = {}
_sections: dict[str, str] = {}


@event_priority(40)  # after hooks/citations.py (50) had pandoc format every block and entry
def on_files(files, config):
    global _sections
    root = Path(config.config_file_path).resolve().parent
    _sections = citation_marks.section_labels(root)
    registry = bibtex_adapter.registry(config)
    _labels.clear()
    _works.clear()
    for key, entry in bibtex_adapter.known_keys(registry).items():
        _works[key] = citation_marks.work_label(entry, bibtex_adapter.style_citation(registry, key))
    return files


def _blocks(text: str):
    for block, offset in bibtex_adapter.citation_blocks(text):
        yield block.raw, offset, [Cited(c.key, " ".join(c.suffix.split())) for c in block.citations]


@event_priority(10)  # after the hooks that add citation blocks to a page (charts, ledger), before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    marked = citation_marks.mark(markdown, list(_blocks(markdown)))
    if not marked.notes:
        return markdown
    registry = bibtex_adapter.registry(config)
    references = {}
    notes = []
    for name, citations in marked.notes:
        for cited in citations:
            if cited.key not in _works:
                raise PluginError(f"{page.file.src_uri}: unknown citation key {cited.key!r}; add it to references.bib")
            if cited not in _labels:
                _labels[cited] = citation_marks.label(cited, _works[cited.key], _sections)
            references.setdefault(cited.key, bibtex_adapter.reference_text(registry, cited.key))
        notes.append(f"[^{name}]: {citation_marks.note_text(citations, _labels, references)}")
    return marked.text + "\n\n" + "\n".join(notes) + "\n"
