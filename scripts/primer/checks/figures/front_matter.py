"""A page's front matter as the reader sees it: its `title` and `description` (the page's <title>, its meta
description, Open Graph, Dublin Core and citation abstract, the ledgers, search and the print edition).

They carry no citation mark, so they may only repeat what the page's own text states and the check verified:
- a figure must be one of the page's figures (same value and unit) that the check found in its source, or that
  the page marks as its own (editorial) or cites to public evidence (external);
- a quotation must be words the page quotes and cites (verified), or marks as its own mention;
- a citation, closed or not, is a problem: it would be published as typed.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from primer.checks.figures import quotations, roles
from primer.checks.figures.markdown_units import TAG_RE, blank_matches, mask_markdown
from primer.checks.figures.numbers import blank, collapse_space, extract_figures

if TYPE_CHECKING:
    from primer.checks.figures.checker import PageChecker

FIELDS = ("title", "description")
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*)$")
_TRUSTED_STATUS = {"ok", "skipped", "cited"}   # verified; the primer's own (editorial); cited to public evidence


def value_spans(text: str) -> list[tuple[str, int, int]]:
    """(field, start, end) of each title and description value in TEXT's front matter, as written (a value may go
    on over indented lines; the quotes of a quoted YAML scalar are not part of it)."""
    fm = _FRONT_MATTER_RE.match(text)
    if not fm:
        return []
    out, offset = [], fm.start("body")
    lines = fm.group("body").split("\n")
    i = 0
    while i < len(lines):
        line, start = lines[i], offset
        offset += len(line) + 1
        i += 1
        m = _FIELD_RE.match(line)
        if not m or m.group("key") not in FIELDS:
            continue
        end = start + len(line)
        while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip():   # continued on the next line
            end = offset + len(lines[i])
            offset += len(lines[i]) + 1
            i += 1
        a = start + m.start("value")
        raw = text[a:end].rstrip()
        if raw[:1] in "|>":                                          # a block scalar: its text starts on the next line
            a = text.index("\n", a) + 1 if "\n" in text[a:end] else end
        elif raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1:
            a, end = a + 1, a + len(raw) - 1
        out.append((m.group("key"), a, end))
    return out


def visible(text: str, spans: list[tuple[str, int, int]]) -> str:
    """TEXT with everything but the SPANS blanked (offsets kept); a YAML escaped quote \\" reads as a quote."""
    parts, last = [], 0
    for _, a, b in spans:
        parts += [blank(text[last:a]), text[a:b].replace('\\"', ' "')]
        last = b
    parts.append(blank(text[last:]))
    return "".join(parts)


def check(checker: PageChecker) -> None:
    """The page's title and description against what its text states (call after the page is checked)."""
    spans = value_spans(checker.text)
    if not spans:
        return
    text = visible(checker.text, spans)
    masked, citations, _ = mask_markdown(text)
    rows = [r for r in checker.result.rows if r.status in _TRUSTED_STATUS]
    known: dict = {}
    for r in rows:
        known.setdefault((r.value, r.unit), []).append(r)
    plain = blank_matches(TAG_RE, checker.text)       # the page's words, an editorial number's too
    said = [quotations.comparable(v) for v in checker.verified + checker.mentions]
    for field, a, b in spans:
        for c in citations:
            if a <= c.start < b:
                checker.problem(c.start, f"the {field} holds the citation [@{c.key}{', ' + c.locator if c.locator else ''}], "
                                         f"which would be published as typed (a {field} carries no citation); cite in "
                                         f"the page's text and leave the {field} uncited")
        own = _only(masked, a, b)
        checker.leftover_citations(own, field)
        chunk = masked[a:b]
        for f in extract_figures(blank_matches(TAG_RE, chunk), original=checker.text[a:b]):
            if f.word_ordinal:
                continue
            counts = roles.role(own, a + f.start, a + f.end)
            if any(not counts or roles.agree(counts, _near(checker, plain, r)) for r in known.get((f.value, f.unit), ())):
                continue
            near = sorted({r.figure: _distance(r.value, f.lo) for r in rows if r.unit == f.unit}.items(),
                          key=lambda item: item[1])
            hint = f"; nearest on this page: {', '.join(figure for figure, _ in near[:3])}" if near else ""
            what = f' (with what it counts, "{" ".join(counts)}")' if counts else ""
            checker.problem(a + f.start, f'figure "{f.text}" in the {field} is not a figure this page states{what} and '
                                         f"the check verified{hint}; a {field} repeats only figures the page cites: "
                                         f"correct it, or state and cite it in the page")
        for q in quotations.find_quotations(masked, text, a, b, []):
            if any(quotations.comparable(q.text) in s for s in said):
                continue
            checker.problem(q.start, f'quotation "{collapse_space(q.text)}" in the {field} is not quoted and cited (or '
                                     f"marked as the primer's mention) in this page's text; a {field} repeats only "
                                     f"words the page quotes and cites: quote them there, or drop the quotation marks")


def _near(checker: PageChecker, plain: str, row) -> tuple[str, ...]:
    """The words either side of one of the page's figures (what a title or description may say it counts)."""
    start = checker.line_starts[row.line - 1] + row.col - 1
    return roles.both_sides(plain, start, start + len(row.figure))


def _distance(value: str, to: Decimal) -> Decimal:
    """How far a ledger value (a number, or a range LO..HI) is from TO."""
    try:
        return min(abs(Decimal(v) - to) for v in value.split(".."))
    except (InvalidOperation, ValueError):
        return Decimal("Infinity")


def _only(masked: str, a: int, b: int) -> str:
    """MASKED with everything outside [a, b) blanked."""
    return blank(masked[:a]) + masked[a:b] + blank(masked[b:])
