"""One unit's claims: its quotations verified in the cited passages, and the source sentence(s) each of its
citations rests on (claims.py says how they are found). Used by the checker for every unit it checks."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from primer.checks.figures import quotations
from primer.checks.figures.claims import Claim, best_by_wording, choose_by_figures, is_weak, passage_text, wording_score
from primer.checks.figures.numbers import Figure, collapse_space

if TYPE_CHECKING:
    from primer.checks.figures.checker import PageChecker
    from primer.checks.figures.markdown_units import CitationRef

_CITATION_BLOCK_RE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
_UNIT_MARKUP_RE = re.compile(r"^\s*(?:[-*+]|[0-9]{1,9}[.)]|#{1,6}|!!!\s*[\w-]+|\?\?\?\+?\s*[\w-]+)\s+|\{[:#.][^{}\n]*\}|\[\^[^\]]+\]")


def unit_text(text: str) -> str:
    """A unit as the reader reads it: no citation blocks, Markdown, list markers or table pipes."""
    text = _CITATION_BLOCK_RE.sub("", text)
    text = _UNIT_MARKUP_RE.sub(" ", text)
    text = quotations.clean(text).strip(" |")
    return re.sub(r"\s+([.,;:)])", r"\1", re.sub(r"\s*\|\s*", " | ", text))


def _short(words: str, width: int = 90) -> str:
    return words if len(words) <= width else words[:width - 1].rstrip() + "…"


def check_quotations(checker: PageChecker, quotes: list[quotations.Quotation], usable: list[CitationRef],
                     unverifiable: bool) -> dict[int, list[tuple[int, int]]]:
    """Verify each quotation in the passages of USABLE; {id(citation): [(start, end) of each match]}.
    A quotation not in any of them is a problem, unless the unit also cites a work without a text
    (UNVERIFIABLE: it may quote that work)."""
    found: dict[int, list[tuple[int, int]]] = {}
    tally = checker.result.quotations
    for q in quotes:
        if q.exempt:
            tally[q.exempt + "s"] = tally.get(q.exempt + "s", 0) + 1
            continue
        hit = False
        for c in usable:
            for a, b in c.scope.ranges:
                start, end = c.source.range_offsets(a, b)
                m = quotations.search(q.text, c.source.text, start, end)
                if m:
                    found.setdefault(id(c), []).append((m.start(), m.end()))
                    hit = True
                    break
        if hit:
            checker.verified.append(q.text)
            tally["checked"] += 1
            tally["short"] += q.short
            continue
        if unverifiable:
            tally["unverifiable"] += 1
            continue
        tally["checked"] += 1
        tally["short"] += q.short
        checker.problem(q.start, _not_found(q, usable))
    return found


def _not_found(q: quotations.Quotation, usable: list[CitationRef]) -> str:
    unique = list({(c.key, c.locator.lower()): c for c in usable}.values())
    where = " or ".join(f"{c.label} ({c.source.file})" for c in unique)
    msg = f'quotation "{_short(q.text)}" is not in {where}'
    for c in unique:                                     # verbatim elsewhere in the source: the wrong locator
        m = quotations.search(q.text, c.source.text)
        if m:
            line = c.source.line_of(m.start())
            return msg + f"; it is at line {line} ({c.source._where(line)}) — cite that section?"
    best = None
    for c in unique:
        for a, b in c.scope.ranges:
            start, end = c.source.range_offsets(a, b)
            s, e, score = quotations.closest(q.text, c.source.text, start, end)
            if best is None or score > best[0]:
                best = (score, c, s, e)
    if best and best[0] > 0:
        score, c, s, e = best
        msg += f'; closest: "{_short(collapse_space(c.source.text[s:e]))}" at line {c.source.line_of(s)}'
    return msg


def find_claims(checker: PageChecker, start: int, end: int, usable: list[CitationRef], figs: list[Figure],
                quote_hits: dict[int, list[tuple[int, int]]]) -> dict[int, set[int]]:
    """One Claim per citation of the unit (a citation repeated in the unit once); the passages, as
    {id(citation): set of source sentence numbers}, for the figure check."""
    passages: dict[int, set[int]] = {}
    if not usable:
        return passages
    said = unit_text(checker.text[start:end])
    line, col = checker.pos(start + len(checker.text[start:end]) - len(checker.text[start:end].lstrip()))
    seen: dict[tuple, set[int]] = {}
    claims_at: dict[tuple, int] = {}
    for c in usable:
        ident = (c.key, c.locator.lower())
        if ident in seen:
            passages[id(c)] = seen[ident]
            claim = checker.result.claims[claims_at[ident]]
            claim.cites += " {}:{}".format(*checker.pos(c.start))
            continue
        src, highlight, years_only = c.source, [], False
        weights: dict[int, float] = {}
        keys: dict[int, set] = {}
        for f in figs:
            for idx in src.lookup(c.scope, f.unit, f.lo, f.hi):
                k = src.occ[idx].sent
                if f.key not in keys.setdefault(k, set()):
                    keys[k].add(f.key)
                    weights[k] = weights.get(k, 0) + (0.5 if f.unit == "year" else 1)
        if id(c) in quote_hits:
            method = "quotation"
            sentences = sorted({k for a, b in quote_hits[id(c)] for k in range(src.sentence_of(a), src.sentence_of(b - 1) + 1)})
            highlight = [collapse_space(src.text[a:b]) for a, b in quote_hits[id(c)]]
            if weights:                                   # the sentences holding its figures join the passage
                sentences = choose_by_figures(src, weights, said, sentences)
        elif weights:
            method = "figure"
            sentences = choose_by_figures(src, weights, said)
        else:
            method = "wording"
            candidates = src.scope_sentences(c.scope)
            best, _ = best_by_wording(said, [src.text[slice(*src.sentence_span(k))] for k in candidates])
            sentences = [candidates[best]] if best >= 0 else []
        if weights:
            wanted = {f.key for f in figs}
            held = [src.occ[i] for k in sentences for i in src.occurrences_in(k) if src.occ[i].fig.key in wanted]
            highlight += list(dict.fromkeys(collapse_space(o.fig.text) for o in held))
            years_only = method == "figure" and all(o.fig.unit == "year" for o in held)
        text, lines = passage_text(src, sentences)
        score = 100 if method == "quotation" else round(wording_score(said, text))
        cline, ccol = checker.pos(c.start)
        claims_at[ident] = len(checker.result.claims)
        checker.result.claims.append(Claim(
            checker.page, line, col, said, c.key, c.locator, text, src.file, lines, method, score,
            "weak" if is_weak(method, score, years_only) else "ok", "\t".join(highlight), f"{cline}:{ccol}",
            " ".join(map(str, sentences))))
        seen[ident] = passages[id(c)] = set(sentences)
    return passages
