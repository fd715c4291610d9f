"""MkDocs hook: citation marks. One job: each citation block becomes one small numbered mark.

Before mkdocs-bibtex (priority 0) replaces the blocks with "(W. Li 2025, sec. 4.2)¹", this hook
replaces each block with a footnote reference and appends its note: a short label with the locator
and the full reference that pandoc formatted (hooks/citations.py ran pandoc on every block and every
entry in on_files). mkdocs-bibtex then finds no block on the page and leaves it alone. The logic is
in scripts/citation_marks.py; docs/javascripts/citation-popup.js shows a note beside its mark on
hover, tap and keyboard focus.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import citation_marks  # noqa: E402
from citation_marks import Cited  # noqa: E402

from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, Citation  # noqa: E402

_labels: dict[Cited, str] = {}
_works: dict[str, str] = {}
_sections: dict[str, str] = {}


@event_priority(40)  # after hooks/citations.py (50) had pandoc format every block and entry
def on_files(files, config):
    global _sections
    root = Path(config.config_file_path).resolve().parent
    _sections = citation_marks.section_labels(root)
    registry = config.plugins["bibtex"].registry
    _labels.clear()
    _works.clear()
    for key, entry in registry.bib_data.entries.items():
        _works[key] = citation_marks.work_label(entry, registry._inline_cache.get(f"[@{key}]", ""))
    return files


def _blocks(text: str):
    for match in CITATION_BLOCK_REGEX.finditer(text):
        citations = Citation.from_markdown(match.group(1))
        if citations:
            yield match.group(1), match.start(), [Cited(c.key, " ".join(c.suffix.split())) for c in citations]


@event_priority(10)  # after the hooks that add citation blocks to a page (charts, ledger), before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    marked = citation_marks.mark(markdown, list(_blocks(markdown)))
    if not marked.notes:
        return markdown
    registry = config.plugins["bibtex"].registry
    references = {}
    notes = []
    for name, citations in marked.notes:
        for cited in citations:
            if cited.key not in _works:
                raise PluginError(f"{page.file.src_uri}: unknown citation key {cited.key!r}; add it to references.bib")
            if cited not in _labels:
                _labels[cited] = citation_marks.label(cited, _works[cited.key], _sections)
            references.setdefault(cited.key, registry._reference_cache[cited.key])
        notes.append(f"[^{name}]: {citation_marks.note_text(citations, _labels, references)}")
    return marked.text + "\n\n" + "\n".join(notes) + "\n"
