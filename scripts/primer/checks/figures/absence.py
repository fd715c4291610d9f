"""Absence claims: a sentence saying a source never (nowhere, does not) say something, proved by a search of the
whole source.

The words the sentence says are absent are marked, with the words searched for::

    the op-ed mentions no <span class="absent" data-searched="export control*; sanction*; trade war*">export
    controls, sanctions or trade war</span> [@zhaondinnovative, para. 1–21].

``data-searched`` lists the words or phrases searched for, separated by ``;``, matched in any case and across
line breaks, as whole words; a trailing ``*`` also matches any ending (``sanction*``: sanctions, sanctioned).
The unit holding the span must cite the source it says is silent with a locator that covers the whole of it
(``para. 1–21``; a source cited by section, with no locator or every section); each source so cited is
searched, the whole text, title to end. Problems: no ``data-searched``; no citation of a whole source (the
narrow citations named, and the whole-source locator to use); a searched word that occurs (its line, section
and words around it). Each whole-source citation's claim is method ``absence``: its passage is the note that
says what was searched ("Searched the whole text for …: none occurs."), shown in the citation's popup and the
claims ledger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from primer.checks.figures.claims import Claim
from primer.checks.figures.numbers import collapse_space

if TYPE_CHECKING:
    from primer.checks.figures.checker import PageChecker
    from primer.checks.figures.markdown_units import CitationRef

_SPAN_RE = re.compile(r"<span\b(?P<attrs>[^<>]*\bclass\s*=\s*[\"'](?:[^\"']*\s)?absent(?:\s[^\"']*)?[\"'][^<>]*)>",
                      re.I)
_SEARCHED_RE = re.compile(r"\bdata-searched\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
SYNTAX = '<span class="absent" data-searched="word; other phrase; stem*">…</span>'


@dataclass
class AbsentSpan:
    start: int
    terms: list[str] | None        # None: no data-searched attribute


def spans(text: str) -> list[AbsentSpan]:
    """The absence claims' spans of a page, each with the words it searched for."""
    out = []
    for m in _SPAN_RE.finditer(text):
        searched = _SEARCHED_RE.search(m.group("attrs"))
        terms = None
        if searched:
            terms = [collapse_space(t) for t in (searched.group(1) or searched.group(2) or "").split(";") if t.strip()]
        out.append(AbsentSpan(m.start(), terms))
    return out


def shown(term: str) -> str:
    return term[:-1] + "…" if term.endswith("*") else term


def term_regex(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.rstrip("*").split()]
    tail = r"[\w’'-]*" if term.endswith("*") else r"(?![\w])"
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(words) + tail, re.I)


def note(terms: list[str]) -> str:
    """What a whole-source citation of an absence claim shows in place of a passage."""
    return "Searched the whole text for " + ", ".join(f"“{shown(t)}”" for t in terms) + ": none occurs."


def covers_whole(src, scope) -> bool:
    """Whether SCOPE (a locator's part of the source SRC) holds every paragraph, or every line from the first
    section on."""
    if src.paragraphs:
        required = src.paragraphs
    else:
        first = min((s.start for s in src.sections.values()), default=1)
        lines = src.text.split("\n")
        required = [n for n in range(first, len(lines) + 1) if lines[n - 1].strip()]
    return all(scope.contains_line(n) for n in required)


def whole_locator(src) -> str:
    return f"[@{src.key}, para. 1–{len(src.paragraphs)}]" if src.paragraphs else f"[@{src.key}] (no locator)"


def check_unit(checker: PageChecker, start: int, end: int, absent: list[AbsentSpan],
               usable: list[CitationRef], said: str) -> list[CitationRef]:
    """Each absence claim of a unit (its spans ABSENT) checked against the sources it cites whole; problems
    reported on CHECKER; one `absence` Claim per whole-source citation. Returns those citations (the claims
    check finds no other passage for them)."""
    from primer.checks.figures.evidence import is_kept_evidence
    terms: list[str] = []
    for span in absent:
        if not span.terms:
            checker.problem(span.start, f"absence claim without the words searched for: write them in its span, "
                                        f"{SYNTAX}")
        else:
            terms += [t for t in span.terms if t not in terms]
    whole = [c for c in usable if not is_kept_evidence(c) and covers_whole(c.source, c.scope)]
    if not whole:
        narrow = ", ".join(c.label for c in usable) or "no source with a text"
        fix = "; ".join(dict.fromkeys(whole_locator(c.source) for c in usable if not is_kept_evidence(c)))
        checker.problem(absent[0].start, f"absence claim cites {narrow}, not the whole source: a sentence saying a "
                                         "source never says something cites all of it"
                                         + (f" ({fix}), and the search proves it" if fix else ""))
        return []
    if not terms:
        return whole
    problems = False
    for c in {c.key: c for c in whole}.values():
        src = c.source
        for term in terms:
            m = term_regex(term).search(src.text)
            if m:
                problems = True
                line = src.line_of(m.start())
                a, b = src.sentence_span(src.sentence_of(m.start()))
                sentence = collapse_space(src.text[max(a, m.start() - 150):min(b, m.end() + 150)])
                checker.problem(absent[0].start,
                                f'absence claim: "{shown(term)}" occurs in [@{c.key}] at line {line} '
                                f'({src._where(line)}): "{sentence}"; the source does say it: '
                                "rewrite the sentence to say what it says there, citing that passage")
    line, col = checker.pos(start + len(checker.text[start:end]) - len(checker.text[start:end].lstrip()))
    seen: dict[tuple, Claim] = {}
    for c in whole:
        ident = (c.key, c.locator.lower())
        cline, ccol = checker.pos(c.start)
        if ident in seen:
            seen[ident].cites += f" {cline}:{ccol}"
            continue
        seen[ident] = Claim(checker.page, line, col, said, c.key, c.locator, note(terms), c.source.file, "",
                            "absence", 100, "weak" if problems else "ok", "\t".join(terms), f"{cline}:{ccol}", "")
        checker.result.claims.append(seen[ident])
    return whole
