"""Citing a source document: its in-text citation and its reference, rendered together by the CSL processor.

    source_templates(keys) -> {key: {...}}    each document's "Cite this source" box and printed reference
    source_citations(key, locator) -> {"apa", "chicago", "bibtex"}   the box as a reader's locator fills it

ONE pandoc run (primer.site.csl_render.render_with_html: pandoc's citeproc with styles/apa.csl and
styles/chicago-author-date.csl) renders, from each document's entry in references.bib (one record):

- its reference in APA and Chicago, as text (what the box holds and a reader copies) and, in Chicago, as
  HTML (what the bibliography page and a chapter's "Works cited" print): the same rendering, so the two
  agree string for string;
- its in-text citation, without a locator and with each kind of locator a reader may give (LOCATOR_LABELS),
  passed to citeproc as a CSL locator with a placeholder for its value, so that each style words the label
  its own way (APA "Section 4.2", "Table 1", "paras. 1–21"; Chicago "sec. 4.2", "tbl. 1"). A value is a
  number ("4.2"), a range ("1–21": a plural label) or a name ("Historical Context"): one template each,
  since the styles word them differently; docs/javascripts/cite.js, and `source_citations` here, put the
  reader's value in place of the placeholder.

What the record holds beyond the .bib entry as written:
- a work without a title, whose title is a bracketed description ("[Policy brief on …]"), is cited in text by
  that description, as APA 7 asks, not by its `shorttitle` (which remains the primer's own short label in
  its citation marks, primer.site.marks): the in-text citation and the reference begin alike;
- an undated work read online is cited with the day a reader read it (APA "Retrieved …, from", Chicago
  "Accessed …"): only the reader knows it, so the box's reference renders the record with ACCESSED_SENTINEL
  as its access date, shown as "[date accessed]" (BibTeX "[date]") for cite.js to fill in. The printed
  reference is the same record without it: the primer did not record when it read the page, and never
  invents a date.
"""
from __future__ import annotations

import re
from pathlib import Path

from primer import ROOT

BIB = ROOT / "references.bib"
LOCATOR_PLACEHOLDER = "LOCATORX"  # in a template: a locator that is a name ("Historical Context")
LOCATOR_NUMBER_PLACEHOLDER = "8642097"  # a locator that is a number ("4.2")
LOCATOR_RANGE_PLACEHOLDER = "8642097–8642098"  # a range ("1–21"): the label in the plural
PLACEHOLDERS = {"text": LOCATOR_PLACEHOLDER, "number": LOCATOR_NUMBER_PLACEHOLDER, "range": LOCATOR_RANGE_PLACEHOLDER}
# The kinds of locator a reader can give, each with the term the chapters write it with ("sec. 4.2", "table 1"),
# which pandoc's citeproc reads as that CSL locator type (a table through csl_render.TABLE_AS).
LOCATOR_LABELS = {"section": "sec.", "paragraph": "para.", "line": "line", "table": "table", "figure": "fig.",
                  "page": "p."}
ACCESSED_SENTINEL = ("1111-11-11", "November 11, 1111")   # a date no reader has: the reader's access date
ACCESSED_SUFFIX = "-accessed"   # the key of a record's copy with the reader's access date
_DATED = re.compile(r"^\s*(year|date)\s*=", re.M)
_URL = re.compile(r"^\s*url\s*=", re.M)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_RANGE = re.compile(r"^(\d+(?:\.\d+)*)\s*[-–]\s*(\d+(?:\.\d+)*)$")


def bib_entry(key: str, bib_text: str) -> str:
    """The entry of KEY as references.bib writes it (from its @type{key, to its closing brace), less
    its `file` field: where the primer keeps the source's text, which means nothing to a reader."""
    match = re.search(r"^@\w+\{" + re.escape(key) + r",.*?^\}", bib_text, re.M | re.S)
    if not match:
        raise KeyError(f"{key}: not in references.bib")
    return re.sub(r"(?m)^\s*file\s*=\s*\{[^{}]*\},?\n", "", match.group(0))


def needs_access_date(entry: str) -> bool:
    """Whether an entry (as bib_entry gives it) is read online and has no date: it is cited with the date
    the reader read it."""
    return bool(_URL.search(entry)) and not _DATED.search(entry)


def _untitled(entry: str) -> bool:
    return bool(re.search(r"^\s*title\s*=\s*\{\[", entry, re.M))


def record(key: str, bib_text: str) -> str:
    """The entry of KEY as the processor is given it: a bracketed description (an untitled work) without the
    `shorttitle` a style would cite it by in text."""
    entry = bib_entry(key, bib_text)
    if _untitled(entry):
        entry = re.sub(r"(?m)^\s*shorttitle\s*=\s*\{[^{}]*\},?\n", "", entry)
    return entry


def _with_access_date(entry: str, key: str) -> str:
    """ENTRY under the key KEY + ACCESSED_SUFFIX, with ACCESSED_SENTINEL as its urldate."""
    return re.sub(r"^(@\w+\{)" + re.escape(key) + r",\n",
                  lambda m: f"{m.group(1)}{key}{ACCESSED_SUFFIX},\n  urldate = {{{ACCESSED_SENTINEL[0]}}},\n",
                  entry, count=1)


def _accessed(text: str) -> str:
    return text.replace(ACCESSED_SENTINEL[1], "[date accessed]")


def _bibtex_of(key: str, bib_text: str) -> str:
    entry = bib_entry(key, bib_text)
    if needs_access_date(entry):
        entry = re.sub(r"\n\}$", "\n  urldate      = {[date]},\n}", entry)
    return entry


def _bibtex_with_locator(entry: str, key: str, locator: str) -> str:
    if not locator:
        return entry
    return f"{entry}\n% cite with the locator (biblatex): \\autocite[{locator}]{{{key}}}"


def source_templates(keys: list[str], bib: Path = BIB) -> dict[str, dict]:
    """For each of KEYS, in ONE pandoc run: {"apa", "chicago": the reference (the reader's access date as
    "[date accessed]" where it needs one), "printed": the Chicago reference as HTML, the same rendering without
    the reader's access date, "in_text": {"" or "LABEL-KIND": {"apa", "chicago"}} (KIND: number, range or text;
    the value's placeholder in PLACEHOLDERS), "bibtex": the entry, "terms": LOCATOR_LABELS, "placeholders":
    PLACEHOLDERS}."""
    from primer.site import csl_render

    if not keys:
        return {}
    bib_text = Path(bib).read_text(encoding="utf-8")
    records, cites = [], {}
    for n, key in enumerate(keys):
        entry = record(key, bib_text)
        records.append(entry)
        if needs_access_date(entry):
            records.append(_with_access_date(entry, key))
        cites[f"k{n}-none"] = f"@{key}"
        for label, term in LOCATOR_LABELS.items():
            for kind, placeholder in PLACEHOLDERS.items():
                cites[f"k{n}-{label}-{kind}"] = f"@{key}, {{{term} {placeholder}}}"   # {…}: pandoc's CSL locator
    citations, references, html = csl_render.render_with_html("\n\n".join(records) + "\n", cites)
    out = {}
    for n, key in enumerate(keys):
        copied = references.get(key + ACCESSED_SUFFIX, references[key])
        out[key] = {"apa": _accessed(copied["apa"]), "chicago": _accessed(copied["chicago"]),
                    "printed": _without_spans(html[key]["chicago"]), "bibtex": _bibtex_of(key, bib_text),
                    "in_text": {"": citations[f"k{n}-none"]} | {
                        f"{label}-{kind}": citations[f"k{n}-{label}-{kind}"]
                        for label in LOCATOR_LABELS for kind in PLACEHOLDERS},
                    "terms": LOCATOR_LABELS, "placeholders": PLACEHOLDERS}
    return out


def _without_spans(html: str) -> str:
    """Pandoc's spans (a title's protected words, its quotation) dropped: markup that shows nothing."""
    return re.sub(r"</?span[^>]*>", "", html)


def locator_parts(locator: str) -> tuple[str, str, str] | None:
    """A locator as the chapters write it ("sec. 4.2", "para. 1-21", "table 1", "sec. Historical Context") as
    (label, kind, value): ("section", "number", "4.2"), ("paragraph", "range", "1–21"); None for none."""
    locator = " ".join(locator.split())
    for label, term in LOCATOR_LABELS.items():
        if locator.startswith(term + " "):
            value = locator[len(term) + 1:]
            span = _RANGE.match(value)
            if span:
                return label, "range", f"{span.group(1)}–{span.group(2)}"
            return label, "number" if _NUMBER.match(value) else "text", value
    return None


def source_citations(key: str, locator: str = "", bib: Path = BIB) -> dict[str, str]:
    """A source's "Cite this source" box with the reader's locator (e.g. "sec. 4.2", "para. 3", "table 1"), as
    docs/javascripts/cite.js fills it in: {"apa", "chicago"}: the reference, a blank line, the in-text citation
    (a locator of no kind in LOCATOR_LABELS: none); {"bibtex"}: the entry, and with a locator the biblatex
    command that carries it. For the tests: source_citations("li2025twoway", "sec. 4.2")."""
    return filled(source_templates([key], bib)[key], key, locator)


def filled(data: dict, key: str, locator: str = "") -> dict[str, str]:
    """source_citations from KEY's templates (DATA, as source_templates gives them)."""
    parts = locator_parts(locator)
    in_text = data["in_text"][f"{parts[0]}-{parts[1]}"] if parts else data["in_text"][""]
    cited = {style: in_text[style].replace(PLACEHOLDERS[parts[1]], parts[2]) if parts else in_text[style]
              for style in ("apa", "chicago")}
    shown = f"{LOCATOR_LABELS[parts[0]]} {parts[2]}" if parts else ""
    return {style: f"{data[style]}\n\n{cited[style]}" for style in ("apa", "chicago")} | {
        "bibtex": _bibtex_with_locator(data["bibtex"], key, shown)}
