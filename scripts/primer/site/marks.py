"""Citation marks: what a reader sees of a citation is one small numbered mark.

A chapter cites with mkdocs-bibtex's syntax, `[@li2025twoway, sec. 4.2]`. Left to mkdocs-bibtex, each
block became a parenthetical and a superscript ("(W. Li 2025, sec. 4.2)¹"), a fifth to a third of a
chapter's visible text. Here each block becomes a Markdown footnote reference instead: one number,
the same number for the same block anywhere on the page, in the order first cited. Its note in the
numbered list at the foot of the page (and in print) is one line: the short label with the locator
("Li 2025, §4.2"), linking to the passage the claim rests on, in a disclosure that opens in place; the
popup on hover, tap and focus shows the passage itself. Each work's full reference (pandoc's, through
mkdocs-bibtex) is listed once per page, under "Works cited".

Labels, one form of each name everywhere:
- the work: the first author's family name ("Li"; "Lin and Wang" for two; "Javed et al." for more),
  an organisation's name as written, or, for a work without an author, its `shorttitle` in
  references.bib ("Guangdong brief"); then the year as the CSL style gives it ("2023a"), or nothing
  when the year is unknown (the style's "n.d." stays in the full reference);
- the locator: "sec. 4.2" is "§4.2", "para. 9" is "¶9", a named section is the short `label` it has
  in sources/manifest.yaml ("Case study"), "table 1" and "fig. 1" as written.

No MkDocs import: primer.build.stages.marks gives this module the page's text, its citation blocks and the
formatted references.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pybtex.database import Entry

# A footnote label this module owns; mkdocs-bibtex's own labels are bare citation keys.
LABEL_PREFIX = "cite-"
# Whitespace before a citation block goes with it: "growth [@li2025twoway, sec. 1]." -> "growth[^cite-1]."
_BEFORE = re.compile(r"[ \t]+$")
_LINE_START = re.compile(r"(?:\A|\n)[ \t]*\Z")
# each citation's "@" in a block as written (its key follows), in the order of the block's citations
AT_RE = re.compile(r"(?:(?<=[\s\[;-])|^)@(?=[A-Za-z0-9_])")
_LOCATOR = re.compile(r"^(?P<kind>sec|secs|para|paras|table|fig|figure|p|pp)\.?\s+(?P<where>.+)$", re.I)
_SYMBOLS = {"sec": "§", "secs": "§§", "para": "¶", "paras": "¶¶", "p": "p.\u00a0", "pp": "pp.\u00a0"}
_YEAR = re.compile(r"(\d{4}[a-z]?|n\.\s?d\.(?:[a-z])?|forthcoming)\)?$")


def section_labels(root) -> dict[str, str]:
    """Each named section's short label from sources/manifest.yaml (`label:`), by its id in lower case."""
    from pathlib import Path

    from primer.checks.figures import load_yaml
    manifest = load_yaml((Path(root) / "sources/manifest.yaml").read_text(encoding="utf-8"))
    out = {}
    for source in manifest.get("sources", []):
        for section in (source.get("locators") or {}).get("sections") or []:
            if section.get("label"):
                out[str(section["id"]).casefold()] = str(section["label"])
    return out


@dataclass(frozen=True)
class Cited:
    """One citation of a block: the key and its locator as written (empty when none)."""
    key: str
    locator: str = ""


def _family(person) -> str:
    return " ".join(person.last_names) or " ".join(person.first_names)


def work_label(entry: Entry, inline: str) -> str:
    """'Li 2025', 'Lin and Wang 2022', 'Javed et al. 2021', 'Guangdong brief'. INLINE is the style's own
    in-text citation of the work alone, e.g. '(W. Li 2025)', from which the year and its suffix are taken."""
    people = entry.persons.get("author", [])
    short = entry.fields.get("shortauthor") or entry.fields.get("shorttitle")
    others = any(str(p) == "others" for p in people)
    people = [p for p in people if str(p) != "others"]
    if entry.fields.get("shortauthor") or not people:
        name = str(short or entry.fields.get("title", entry.key))
    elif len(people) == 1 and not others:
        name = _family(people[0])
    elif len(people) == 2 and not others:
        name = f"{_family(people[0])} and {_family(people[1])}"
    else:
        name = f"{_family(people[0])} et al."
    name = name.replace("{", "").replace("}", "").replace("\\&", "&")
    year = _YEAR.search(inline.strip())
    if year and year.group(1)[0].isdigit():
        return f"{name} {year.group(1)}"
    return name


def locator_label(locator: str, section_labels: dict[str, str]) -> str:
    """'sec. 4.2' -> '§4.2'; 'para. 9' -> '¶9'; 'sec. Case Study: …' -> its short label; else as written."""
    locator = " ".join(locator.split())
    match = _LOCATOR.match(locator)
    if not match:
        return locator
    kind, where = match.group("kind").lower(), match.group("where")
    if kind in ("sec", "secs") and not where[0].isdigit():
        return section_labels.get(where.casefold(), where)
    if kind in _SYMBOLS:
        return f"{_SYMBOLS[kind]}{where}"
    return f"{'fig.' if kind == 'figure' else kind} {where}"


def label(cited: Cited, work: str, section_labels: dict[str, str]) -> str:
    if not cited.locator:
        return work
    return f"{work}, {locator_label(cited.locator, section_labels)}"


@dataclass
class Marked:
    """A page's text with its citation blocks as footnote references, and the notes to append."""
    text: str
    notes: list[tuple[str, list[Cited]]]   # (footnote label, the block's citations), first cited first
    passages: list[tuple] = None           # each note's passages (what blocks gave), in the order of notes

    @property
    def count(self) -> int:
        return len(self.notes)


def mark(text: str, blocks) -> Marked:
    """Replace each citation block in TEXT by a footnote reference. BLOCKS: (raw, offset, [Cited, …]) in
    order of offset, raw being the block as written without its brackets, optionally with a fourth item:
    the passage each citation rests on there (hashable, None for none). The same citations (same keys and
    locators, in the same order) resting on the same passages share one note."""
    out, notes, passages, seen, last = [], [], [], {}, 0
    for raw, offset, citations, *rest in blocks:
        written = f"[{raw}]"
        if text[offset:offset + len(written)] != written:
            raise ValueError(f"citation block [{raw}] is not at offset {offset}")
        where = tuple(rest[0]) if rest else ()
        ident = (tuple(citations), where)
        if ident not in seen:
            seen[ident] = f"{LABEL_PREFIX}{len(seen) + 1}"
            notes.append((seen[ident], list(citations)))
            passages.append(where)
        before = _BEFORE.sub("", text[last:offset])
        if text.startswith(":", offset + len(written)) and _LINE_START.search(before):
            before = before.rstrip()       # "[^cite-3]:" starting a line would be a footnote's definition
        out.append(before)
        out.append(f"[^{seen[ident]}]")
        last = offset + len(written)
    out.append(text[last:])
    return Marked("".join(out), notes, passages)


NOTE_SLOT = '<span class="cite-note-slot" data-slot="{}"></span>'  # a note's place in the page until it is filled
_NOTE_SLOT = re.compile(r'<p><span class="cite-note-slot" data-slot="(\d+)"></span>(.*?)</p>', re.S)
WORKS_TITLE = "Works cited"


def fill_notes(html_text: str, notes: list[tuple[str, str]]) -> str:
    """HTML_TEXT with each note slot's paragraph replaced by its note (NOTES, by slot number: its one line and its
    passages). A note with passages is a disclosure whose summary is its line: a tap on the line opens the
    passages in place. The ways back to the text follow the disclosure, not inside its summary: a link inside a
    summary is a control inside a control (axe-core: nested-interactive)."""
    if not notes:
        return html_text

    def fill(match):
        line, passages = notes[int(match.group(1))]
        if not passages:
            return f"<p>{line}{match.group(2)}</p>"
        return f'<details class="cite-note"><summary>{line}</summary>{passages}</details>{match.group(2)}'
    return _NOTE_SLOT.sub(fill, html_text)


def note_parts(name: str, citations: list[Cited], labels: dict[Cited, str], passages: list[str]) -> tuple[str, str]:
    """One note as the list at the foot of the page shows it: (its one line, its passages).

    The line is each citation's short label with its locator ("Li 2025, §4.2"). The passages (PASSAGES: each
    citation's, HTML, "" for a citation with none) each carry the citation's label, and its key and locator as
    data for the popup's "Cite this source". The note is HTML, not Markdown: the page's Markdown holds only a
    slot for it."""
    items, shown = [], []
    for i, cited in enumerate(citations, start=1):
        label = html.escape(labels[cited], quote=False)
        items.append(f'<span class="cite-item" data-cite-key="{html.escape(cited.key)}"><span class="cite-label">'
                     f'{label}</span></span>')
        passage = passages[i - 1] if i - 1 < len(passages) else ""
        if passage:
            shown.append(f'<p class="cite-passage-item" id="{name}-{i}" data-cite-key="{html.escape(cited.key)}" '
                         f'data-cite-locator="{html.escape(cited.locator, quote=True)}">'
                         f'<span class="cite-label">{label}</span> {passage}</p>')
    return "; ".join(items), "".join(shown)


def works_cited(keys: list[str], references: dict[str, str], cite_links: dict[str, str]) -> str:
    """Each work the page cites, its full reference once (REFERENCES: HTML), in the order first cited; a source
    document's "Cite this source" link once (CITE_LINKS: key -> the link's HTML)."""
    rows = [f'<li id="work-{html.escape(key)}">{references.get(key, "")}'
            + (f" {cite_links[key]}" if key in cite_links else "") + "</li>" for key in keys]
    return (f'<div class="works-cited"><p class="works-cited__title"><strong>{WORKS_TITLE}</strong></p>'
            f'<ul>{"".join(rows)}</ul></div>')
