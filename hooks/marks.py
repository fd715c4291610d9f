"""MkDocs hook: citation marks. One job: each citation block becomes one small numbered mark.

Before mkdocs-bibtex (priority 0) replaces the blocks with "(W. Li 2025, sec. 4.2)¹", this hook
replaces each block with a footnote reference and appends its note: a short label with the locator
and the full reference that pandoc formatted (hooks/citations.py ran pandoc on every block and every
entry in on_files). mkdocs-bibtex then finds no block on the page and leaves it alone. The logic is
in primer.citation_marks (scripts/citation_marks.py); docs/javascripts/citation-popup.js shows a note beside its mark on
hover, tap and keyboard focus.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from primer import bibtex_adapter, citation_marks, figures, passages
from primer.citation_marks import Cited

_labels: dict[Cited, str] = {}
_works: dict[str, str] = {}
_sections: dict[str, str] = {}
_state: dict = {}   # this build's ResultCache (each claim's passage) and the manifest's entries by file


@event_priority(40)  # after hooks/citations.py (50) had pandoc format every block and entry
def on_files(files, config):
    global _sections
    root = Path(config.config_file_path).resolve().parent
    _sections = citation_marks.section_labels(root)
    _state["cache"] = figures.ResultCache(root / ".cache/figures", root)   # hooks/ledger.py's CACHE
    _state["docs"] = Path(config.docs_dir).resolve().relative_to(root).as_posix() if Path(config.docs_dir).resolve().is_relative_to(root) else "docs"
    _state["entries"] = {str(e["file"]): e for e in passages.read_manifest(root)}
    _state["slots"], _state["anchors"] = {}, {}
    registry = bibtex_adapter.registry(config)
    _labels.clear()
    _works.clear()
    for key, entry in bibtex_adapter.known_keys(registry).items():
        _works[key] = citation_marks.work_label(entry, bibtex_adapter.style_citation(registry, key))
    return files


def _blocks(text: str):
    for block, offset in bibtex_adapter.citation_blocks(text):
        yield block.raw, offset, [Cited(c.key, " ".join(c.suffix.split())) for c in block.citations]


def _claims(markdown: str, page) -> dict:
    """{(offset of a citation's "@", key, locator): Claim} of the page as it stands now (the figure check's
    claims, from its cache when this text was checked before)."""
    text = markdown
    try:  # the page as written, when hooks only appended to it (the glossary's abbreviations): the ledger's result
        original = page.file.content_string.replace("\r\n", "\n")
        if original and markdown.startswith(original) and "@" not in markdown[len(original):]:
            text = original
    except (OSError, UnicodeDecodeError, AttributeError):
        pass
    try:
        result = _state["cache"].check_markdown(text, page.file.src_uri, f"{_state['docs']}/{page.file.src_uri}")
    except (KeyError, figures.BadInput):
        return {}
    starts = [0] + [i + 1 for i, ch in enumerate(markdown) if ch == "\n"]
    out = {}
    for claim in result.claims:
        for place in claim.cites.split():
            line, col = map(int, place.split(":"))
            out[(starts[line - 1] + col - 1, claim.key, claim.locator)] = claim
    return out


def _passage(claim, page, files) -> str:
    """A claim's passage as the note shows it: quoted, marked, with a link to it where there is one. The note
    holds a slot (an empty span: Python-Markdown has nothing to parse in it) that on_page_content fills with
    this HTML; a link into a source-text page is the URL MkDocs writes, its anchor handed to MkDocs' own
    anchor validation, as a Markdown link's would be."""
    if claim is None:
        return ""
    entry = _state["entries"].get(claim.source_file, {})
    quoted = passages.passage_html(claim.passage, claim.highlight)
    href = passages.passage_link(entry, claim) if entry else ""
    where = f"line {claim.source_lines}" if "-" not in claim.source_lines else f"lines {claim.source_lines}"
    if href and entry.get("republish") == "whole":
        path, anchor = href.split("#", 1)
        target = files.get_file_from_path(path)
        if target is None:
            href = ""
        else:
            href = f"{target.url_relative_to(page.file)}#{anchor}"
            _state["anchors"].setdefault(page.file.src_uri, []).append((target, anchor, href))
    if href:
        label = "in the source text" if entry.get("republish") == "whole" else "at the original"
        where = f'<a href="{html.escape(href)}">{where}, {label}</a>'
    slots = _state["slots"].setdefault(page.file.src_uri, [])
    slots.append(f'<q class="cite-passage">{quoted}</q> <span class="cite-where">({where})</span>')
    return f'<span class="cite-passage-slot" data-slot="{len(slots) - 1}"></span>'


@event_priority(10)  # after the hooks that add citation blocks to a page (charts, ledger), before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    _state["slots"].pop(page.file.src_uri, None)
    _state["anchors"].pop(page.file.src_uri, None)
    claims = _claims(markdown, page)
    blocks = []
    for raw, offset, citations in _blocks(markdown):
        ats = [offset + 1 + m.start() for m in citation_marks.AT_RE.finditer(raw)]
        found = tuple(claims.get((at, c.key, c.locator)) for at, c in zip(ats, citations))
        blocks.append((raw, offset, citations, tuple((c.source_file, c.sentences) if c else None for c in found), found))
    marked = citation_marks.mark(markdown, [b[:4] for b in blocks])
    by_note = {}
    for _raw, _offset, citations, where, found in blocks:
        by_note.setdefault((tuple(citations), where), found)
    if not marked.notes:
        return markdown
    registry = bibtex_adapter.registry(config)
    references = {}
    notes = []
    for (name, citations), where in zip(marked.notes, marked.passages):
        found = by_note.get((tuple(citations), where), ())
        for cited in citations:
            if cited.key not in _works:
                raise PluginError(f"{page.file.src_uri}: unknown citation key {cited.key!r}; add it to references.bib")
            if cited not in _labels:
                _labels[cited] = citation_marks.label(cited, _works[cited.key], _sections)
            references.setdefault(cited.key, bibtex_adapter.reference_text(registry, cited.key))
        notes.append(f"[^{name}]: {citation_marks.note_text(citations, _labels, references, [_passage(c, page, files) for c in found])}")
    return marked.text + "\n\n" + "\n".join(notes) + "\n"


_SLOT = re.compile(r'<span class="cite-passage-slot" data-slot="(\d+)"></span>')


@event_priority(-110)  # after the reading time (-100) has counted the page: the passages are notes, not the text
def on_page_content(html_text, page, config, files):
    # The notes (labels, passages, references) stay out of the search index: a search finds the primer's
    # own text, and the search plugin does not segment ~1,200 passages again on every build.
    html_text = html_text.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)
    slots = _state.get("slots", {}).pop(page.file.src_uri, None)
    if not slots:
        return html_text
    if page.links_to_anchors is not None:  # MkDocs checks these anchors as those of the page's Markdown links
        for target, anchor, link in _state["anchors"].pop(page.file.src_uri, []):
            page.links_to_anchors.setdefault(target, {}).setdefault(anchor, link)
    return _SLOT.sub(lambda m: slots[int(m.group(1))], html_text)
