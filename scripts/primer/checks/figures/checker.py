"""The checker: each figure of each unit of a page against the passages its citations name."""
from __future__ import annotations

import bisect
import difflib
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from primer.checks.figures import absence, front_matter, quotations, roles
from primer.checks.figures import data_files as data_pages
from primer.checks.figures.claim_check import check_quotations, find_claims, unit_text
from primer.checks.figures.evidence import is_kept_evidence
from primer.checks.figures.formulas import PERCENT_FACTOR, FormulaError, evaluate_formula, rounds_to
from primer.checks.figures.ledger import Result, Row
from primer.checks.figures.markdown_units import (
    TAG_RE,
    CitationRef,
    MarkedSpan,
    blank_matches,
    mask_markdown,
    split_units,
    unit_kind_name,
)
from primer.checks.figures.numbers import Figure, collapse_space, extract_figures, format_decimal, normalise_text
from primer.checks.figures.passages import BIBFILE, DOCS_DIR, MANIFEST, Project, load_project
from primer.checks.figures.problems import BadInput, Problem

if TYPE_CHECKING:  # primer.checks.figures.cache imports this module
    from primer.checks.figures.cache import ResultCache


CLAIMS = True  # the claims check (passages, quotations) on; the benchmark turns it off once to time it


# what is left of a citation after the blocks are read: "[@key, locator" never closed, or "@key" in prose
LEFTOVER_CITATION_RE = re.compile(r"(?P<open>\[[ \t]*-?)?(?<![\w.@])@(?P<key>[A-Za-z0-9_][\w:.#$%&+?~/-]*)"
                                  r"(?(open)[^\[\]\n]*)")

NUMBERED_LOCATOR_RE = re.compile(r"\[\s*-?@[^\s,\]]+,\s*(?:[A-Za-z]+\.?\s*|[§¶]\s*)?[0-9]+(?:\.[0-9]+)*[a-z]?")


class PageChecker:
    def __init__(self, text: str, page: str, display: str, project: Project, groups=(), figures: bool = True):
        self.text = text
        self.groups = groups               # spans cited together: [((start, end), ...)] (a data file's term or chart)
        self.figures = figures             # False: the page's figures are not checked (charts.yaml has its own rule)
        self.page = page
        self.display = display
        self.project = project
        self.result = Result(pages=1)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.verified: list[str] = []      # the words of each quotation found in its cited passage
        self.unattributed: list[tuple[quotations.Quotation, str]] = []   # quotations in units citing nothing
        self.mentions: list[str] = []      # the words the page marks as its own mentions

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def problem(self, offset: int, message: str) -> None:
        line, col = self.pos(offset)
        self.result.problems.append(Problem(self.display, line, col, message))

    # -- citations --------------------------------------------------------
    def resolve(self, c: CitationRef) -> None:
        p = self.project
        if c.key not in p.bib:
            close = difflib.get_close_matches(c.key, list(p.bib), n=1, cutoff=0.75)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.problem(c.start, f'unknown citation key "{c.key}" (not in {BIBFILE}){hint}')
            c.status = "unknown"
            return
        file = p.bib[c.key]
        if not file:
            kept = p.evidence.get(c.key)             # public evidence: its kept passages, if any
            if kept is None:
                c.status = "unvendored"
                return
            file, src = kept.file, kept
        else:
            src = None
        if src is None and file not in p.listed:
            self.problem(c.start, f"[@{c.key}] names {file}, which {MANIFEST} does not list")
            c.status = "broken"
            return
        src = src or p.sources.get(file)
        if src is None:
            c.status = "broken"                        # missing or undecodable: reported once for the run
            return
        scope, msg = src.resolve(c.locator)
        if scope is None:
            self.problem(c.start, msg)
            c.status = "broken"
            return
        c.status, c.source, c.scope = "ok", src, scope

    # -- figures ----------------------------------------------------------
    def no_usable(self, unit_citations: list[CitationRef], unit_kind: str, offset: int, what: str) -> str:
        if not unit_citations:
            self.problem(offset, f"{what} has no citation in its {unit_kind_name(unit_kind)}; cite its source "
                                 f"with a locator, or mark the primer's own number "
                                 f'<span class="editorial">…</span>')
            return "problem"
        if all(c.status == "unvendored" for c in unit_citations):
            keys = ", ".join(f"[@{c.key}]" for c in unit_citations)
            self.problem(offset, f"{what} cannot be verified: cited work has no vendored source file — "
                                 f"{keys} has no vendored source file (no file field in {BIBFILE}); "
                                 f"also cite the vendored source it is quoted from")
            return "problem"
        return "unchecked"

    def check_figure(self, f: Figure, offset: int, unit_citations: list[CitationRef], unit_kind: str,
                     passages: dict[int, set[int]] | None = None, unit_keys: set | None = None) -> None:
        """A figure is looked for in its claim's passage (the source sentences the unit rests on: match
        "sentence") first, then anywhere in the cited section (match "section", weaker). A figure found only
        elsewhere in the section while its passage holds another figure of its kind that the unit does not
        quote is a swapped figure: a problem."""
        line, col = self.pos(offset)
        row = Row(self.page, line, col, f.text, f.value, f.unit, "sourced", "ok")
        usable = [c for c in unit_citations if c.status == "ok"]
        if unit_citations:
            first = usable[0] if usable else unit_citations[0]
            row.key, row.locator = first.key, first.locator
        if not usable:
            row.status = self.no_usable(unit_citations, unit_kind, offset, f'figure "{f.text}"')
            self.result.rows.append(row)
            return
        passages = passages or {}
        fallback = None
        for c in usable:
            hits = c.source.lookup(c.scope, f.unit, f.lo, f.hi)
            own = passages.get(id(c))
            if hits:
                hits = self.in_role(f, offset, c, hits, own, unit_kind)
                if hits is None:
                    row.status = "problem"
                    self.result.rows.append(row)
                    return
            inside = [i for i in hits if own is not None and c.source.occ[i].sent in own]
            if inside or (hits and own is None):
                o = c.source.occ[(inside or hits)[0]]
                row.key, row.locator, row.match = c.key, c.locator, "sentence" if inside else "section"
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
                self.result.rows.append(row)
                return
            if hits and fallback is None:
                fallback = (c, hits)
        if fallback is not None:
            c, hits = fallback
            o = c.source.occ[hits[0]]
            swapped = [] if f.unit == "year" or not f.text[:1].isdigit() else [
                c.source.occ[i] for k in sorted(passages.get(id(c)) or ()) for i in c.source.occurrences_in(k)
                if c.source.occ[i].fig.unit == f.unit and c.source.occ[i].fig.key not in (unit_keys or ())
                and c.source.occ[i].fig.text[:1].isdigit()]
            if not swapped:
                row.key, row.locator, row.match = c.key, c.locator, "section"
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
                self.result.rows.append(row)
                return
            row.status = "problem"
            self.result.rows.append(row)
            w = swapped[0]
            self.problem(offset, f'figure "{f.text}" is not in the passage its {unit_kind_name(unit_kind)} rests on in '
                                 f"{c.label} ({c.source.file}), which has {w.fig.text} at line {w.line}: "
                                 f'"{w.sentence}"; {f.text} is elsewhere in the section, at line {o.line} — '
                                 f"a figure swapped for another?")
            return
        row.status = "problem"
        self.result.rows.append(row)
        unique = list({(c.key, c.locator.lower()): c for c in usable}.values())
        self.problem(offset, f'figure "{f.text}" is not in ' + self.not_found_detail(f, unique, unit_citations))

    def in_role(self, f: Figure, offset: int, c: CitationRef, hits: list[int], own: set[int] | None,
                unit_kind: str) -> list[int] | None:
        """HITS (the cited section's occurrences of F's value) in F's role (roles.py): those whose role agrees
        with F's, else all of them; None when F is out of its role, reported: a day that is not that month's in
        the section, or a figure the section gives only in other roles while the passage gives another value
        in F's (a swapped figure)."""
        src, sr = c.source, self.roles_of(c.source)
        end = offset + (f.end - f.start)
        month = roles.day_of(self.masked, offset, end)
        if month:
            same = [i for i in hits if sr.day(i).lower() == month.lower()]
            if same:
                return same
            dates = [i for i in hits if sr.day(i)]
            o = src.occ[(dates or hits)[0]]
            what = f"{o.fig.text} {sr.day((dates or hits)[0])}" if dates else f"{o.fig.text} only as another number"
            self.problem(offset, f'date "{f.text} {month}": {c.label} ({src.file}) has no {f.text} {month}; it has '
                                 f'{what}, at line {o.line}: "{o.sentence}" — a date\'s day is matched with its month')
            return None
        role = roles.role(self.masked, offset, end)
        if not role:
            return hits
        same = [i for i in hits if roles.agree(role, sr.near(i))]
        if same:
            return same
        if any(not sr.near(i) and (own is None or src.occ[i].sent in own) for i in hits):
            return hits                    # "down from 90.1 percent in 2021": in the passage, its role left unsaid
        pool = sorted({i for k in own for i in src.occurrences_in(k)}) if own else \
            sorted({i for idxs in c.scope.keys.values() for i in idxs})
        rivals = [i for i in pool if src.occ[i].fig.unit == f.unit and src.occ[i].fig.key != f.key
                  and roles.agree(role, sr.role(i))]
        if not rivals:
            return hits
        w, o = src.occ[rivals[0]], src.occ[hits[0]]
        self.problem(offset, f'figure "{f.text}" counts "{" ".join(role)}" here, but {c.label} ({src.file}) gives '
                             f'{w.fig.text} for that at line {w.line} ("{" ".join(sr.role(rivals[0]))}"), and its '
                             f'{o.fig.text} counts "{" ".join(sr.role(hits[0])) or "something else"}" (line {o.line}) — '
                             f"a figure swapped for another? Each figure is matched with what it counts")
        return None

    def roles_of(self, source) -> roles.SourceRoles:
        """The roles of a source's figures, worked out once per source (kept on the project)."""
        memo = self.project.roles
        if memo.get(source.file) is None or memo[source.file].source is not source:
            memo[source.file] = roles.SourceRoles(source)
        return memo[source.file]

    def not_found_detail(self, f: Figure, usable: list[CitationRef], unit_citations: list[CitationRef]) -> str:
        where = " or ".join(f"{c.label} ({c.source.file})" for c in usable)
        several = len({c.source.file for c in usable}) > 1
        near: list[str] = []
        for c in usable:
            for idx in c.source.nearest(f, c.scope):
                d = c.source.describe(idx)
                near.append(f"{d} of [@{c.key}]" if several else d)
        msg = where
        if near:
            msg += "; nearest: " + ", ".join(near[:3])
        # same number, other unit, inside the cited passage
        for c in usable:
            for num in f.numbers[:1]:
                for idx in c.scope.numbers.get(num, []):
                    o = c.source.occ[idx]
                    if o.fig.unit != f.unit:
                        msg += (f'; "{o.fig.text}" at line {o.line} has the same number in another unit '
                                f"({o.fig.unit}, not {f.unit})")
                        break
                else:
                    continue
                break
        # other vendored sources
        cited_files = {c.source.file for c in usable}
        for file, src in self.project.sources.items():
            if src is None or file in cited_files:
                continue
            hits = src.lookup(src.whole, f.unit, f.lo, f.hi)
            if hits:
                msg += f"; found in [@{src.key}] at line {src.occ[hits[0]].line} ({src.occ[hits[0]].where}) — cite that source?"
                break
        unv = [c for c in unit_citations if c.status == "unvendored"]
        if unv:
            msg += "; also cited: " + ", ".join(f"[@{c.key}]" for c in unv) + " (no vendored source file)"
        return msg

    def check_derived(self, span: MarkedSpan, unit_citations: list[CitationRef], unit_kind: str) -> None:
        inner_t = normalise_text(span.inner)
        masked_inner = blank_matches(TAG_RE, inner_t)
        figs = [f for f in extract_figures(masked_inner, original=span.inner) if not f.word_ordinal]
        offset = span.start + (figs[0].start if figs else 0)
        line, col = self.pos(offset)
        written = collapse_space(span.inner)
        row = Row(self.page, line, col, figs[0].text if figs else written, figs[0].value if figs else "",
                  figs[0].unit if figs else "", "derived", "ok", formula=span.formula)
        self.result.rows.append(row)
        what = f'derived figure "{row.figure}"'
        if not figs:
            row.status = "problem"
            self.problem(offset, f'derived span has no number in its text "{written}"')
            return
        try:
            value, operands = evaluate_formula(span.formula)
        except FormulaError as e:
            row.status = "problem"
            self.problem(offset, f'{what}: formula "{span.formula}" — {e} (allowed: numbers, + - * / and '
                                 f"parentheses)")
            return
        usable = [c for c in unit_citations if c.status == "ok"]
        if unit_citations:
            first = usable[0] if usable else unit_citations[0]
            row.key, row.locator = first.key, first.locator
        if not usable:
            row.status = self.no_usable(unit_citations, unit_kind, offset, what)
        else:
            found_all: list[tuple[CitationRef, list[int]]] = []
            for num in operands:
                if num == PERCENT_FACTOR:
                    continue                          # "a / b * 100": the percent factor, not a sourced figure
                found = None
                for c in usable:
                    hits = c.scope.numbers.get(num) or c.scope.numbers.get(-num)
                    if hits:
                        found = (c, hits)
                        break
                if found is None:
                    row.status = "problem"
                    where = " or ".join(f"{c.label} ({c.source.file})" for c in usable)
                    hint = ""
                    src = usable[0].source
                    if src.by_number.get(num):
                        hint = f"; it is at {src.describe(src.by_number[num][0])}"
                    self.problem(offset, f'{what}: operand {num} of "{span.formula}" is not in {where}{hint}')
                else:
                    found_all.append(found)
            if found_all and row.status == "ok":
                # the ledger points at the passage that holds most operands, written in digits if possible
                c, hits = found_all[0]
                sents = [{(cc.source.file, cc.source.occ[i].sent) for i in hh} for cc, hh in found_all[1:]]

                def score(i: int):
                    o = c.source.occ[i]
                    together = sum((c.source.file, o.sent) in ss for ss in sents)
                    return (together, any(ch.isdigit() for ch in o.fig.text))

                o = c.source.occ[max(hits, key=score)]
                row.key, row.locator = c.key, c.locator
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
        written_num = figs[0].numbers[0]
        if not rounds_to(value, written_num):
            row.status = "problem"
            shown = value.quantize(Decimal(1).scaleb(min(0, written_num.as_tuple().exponent)), rounding=ROUND_HALF_UP)
            self.problem(offset, f'{what}: formula "{span.formula}" gives {format_decimal(value) if abs(value - shown) == 0 else shown} '
                                 f"(at the written precision), not {written_num}")

    def record_external(self, span: MarkedSpan, unit_citations: list, kind: str) -> None:
        """A figure from public evidence: it must cite that evidence (a references.bib entry without a `file`).
        Cited to a work whose passage is kept (sources/evidence.yaml), it is checked against that passage
        (status ok, or a problem when the passage does not hold it); else it is recorded, not verified
        (cited). The ledger names the first such citation after the figure in its unit (where a citation
        follows what it supports), else the last one before it."""
        evidence = [c for c in unit_citations if c.status == "unvendored" or c.key in self.project.evidence]
        after = [c for c in evidence if c.start >= span.start]
        evidence = after[:1] + [c for c in evidence if c not in after][-1:] if evidence else []
        kept = [c for c in unit_citations if is_kept_evidence(c)]
        inner = blank_matches(TAG_RE, span.inner)
        figs = [f for f in extract_figures(inner, original=span.inner) if not f.word_ordinal] or \
            extract_figures(inner, source=True, original=span.inner)    # an ordinal word alone ("fourth") is its figure
        for f in figs or [None]:
            line, col = self.pos(span.start + (f.start if f else 0))
            row = Row(self.page, line, col, f.text if f else collapse_space(span.inner), f.value if f else "",
                      f.unit if f else "", "external", "cited" if evidence else "problem")
            if evidence:
                row.key, row.locator = evidence[0].key, evidence[0].locator
            else:
                self.problem(span.start, f'external figure "{collapse_space(span.inner)}" has no citation to the public '
                                       f"evidence it comes from in its {unit_kind_name(kind)}; cite a "
                                       f"{BIBFILE} entry (one without a vendored file) in the same {unit_kind_name(kind)}")
            if f is not None and kept:
                self.check_external(f, span.start + f.start, row, kept, unit_citations)
            self.result.rows.append(row)

    def check_external(self, f: Figure, offset: int, row: Row, kept: list[CitationRef], unit_citations: list) -> None:
        """An external figure against the kept passages its unit cites: found, the row is ok and points at the
        passage; not found, a problem, unless the unit also cites public evidence with no kept passage (it may
        come from there: recorded as cited, not verified)."""
        for c in kept:
            hits = c.source.lookup(c.scope, f.unit, f.lo, f.hi)
            if not hits and f.unit == "count" and f.hi is None:   # a bare number, its unit outside the span
                hits = c.scope.numbers.get(f.numbers[0], []) if f.numbers else []
            if hits:
                o = c.source.occ[hits[0]]
                row.status, row.key, row.locator, row.match = "ok", c.key, c.locator, "sentence"
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
                return
        if any(c.status == "unvendored" for c in unit_citations):
            return
        row.status = "problem"
        unique = list({(c.key, c.locator.lower()): c for c in kept}.values())
        self.problem(offset, f'external figure "{f.text}" is not in the passage kept for '
                             + self.not_found_detail(f, unique, unit_citations))

    def list_unkept(self, citations: list[CitationRef], unit_text_at) -> None:
        """Each citation of public evidence: counted as kept (its passage in sources/evidence.yaml) or listed
        as resting on no kept passage (the claims review and the bench report them)."""
        for c in citations:
            if is_kept_evidence(c) or (c.status == "broken" and c.key in self.project.evidence):
                self.result.evidence["kept"] += 1
            elif c.status == "unvendored":
                self.result.evidence["unkept"] += 1
                line, col = self.pos(c.start)
                self.result.unkept.append([self.page, line, col, c.key, unit_text_at(c.start)])

    def uncited_quotations(self, masked: str, start: int, end: int, kind: str, exempt) -> None:
        """A quotation in a unit that cites nothing is attributed to nobody: a problem, as an uncited figure is
        (reported by `attribute`, once the page's cited quotations are verified)."""
        for q in quotations.find_quotations(masked, self.text, start, end, exempt):
            if q.exempt:
                self.result.quotations[q.exempt + "s"] = self.result.quotations.get(q.exempt + "s", 0) + 1
            else:
                self.unattributed.append((q, kind))

    def attribute(self) -> None:
        """Each quotation of a unit that cites nothing fails, except in a heading or an admonition title (which
        carry no citation mark) when the page quotes and cites the same words in its text."""
        said = [quotations.comparable(v) for v in self.verified]
        for q, kind in self.unattributed:
            if kind in ("heading", "title") and any(quotations.comparable(q.text) in v for v in said):
                continue
            if kind in ("heading", "title"):
                hint = ("quote and cite the same words in the text it heads, or mark words the primer mentions "
                        'rather than quotes <span class="mention">"…"</span>')
            else:
                hint = (f"cite the passage it quotes with a locator in the same {unit_kind_name(kind)}, or mark "
                        f'words the primer mentions rather than quotes <span class="mention">"…"</span>')
            self.problem(q.start, f'quotation "{q.text}" has no citation in its {unit_kind_name(kind)}; {hint}')

    def leftover_citations(self, masked: str, field: str = "") -> None:
        """What is left of a citation once the citation blocks are read: an unclosed "[@key, sec. 1" or a bare
        "@key" would be published as typed (mkdocs-bibtex reads only closed blocks; inline citations are off)."""
        for m in LEFTOVER_CITATION_RE.finditer(masked):
            key = m.group("key").rstrip(".:")
            if field:                      # a title or description: published as typed, citation or not
                typed = collapse_space(self.text[m.start():m.end()].rstrip()) if m.group("open") else f"@{key}"
                self.problem(m.start(), f'"{typed}" in the {field} would be published as typed, and a {field} carries '
                                        f"no citation; drop it, and cite in the page's text")
            elif m.group("open"):
                typed = collapse_space(self.text[m.start():m.end()].rstrip())
                short = NUMBERED_LOCATOR_RE.match(typed)
                example = f' ("{short.group()}]")' if short and short.group() != typed else ""
                self.problem(m.start(), f'citation "{typed}" is not closed, so it would be published as typed; close '
                                        f'it with "]" right after its locator{example}')
            else:
                self.problem(m.start(), f'"@{key}" is not a citation (no square brackets), so it would be published '
                                        f"as typed; cite with a locator at the end of the sentence, [@{key}, sec. …], "
                                        f"or put the word in backticks")

    # -- page -------------------------------------------------------------
    def run(self) -> Result:
        masked, citations, spans = mask_markdown(self.text)
        self.leftover_citations(masked)
        units, masked = split_units(masked)
        self.masked = masked
        for c in citations:
            self.resolve(c)
        unit_starts = [u[1] for u in units]

        def text_of_unit(offset: int) -> str:
            k = unit_of(offset)
            return unit_text(self.text[units[k][1]:units[k][2]]) if k is not None else ""

        def unit_of(offset: int):
            k = bisect.bisect_right(unit_starts, offset) - 1
            if k >= 0 and units[k][1] <= offset < units[k][2] + 1:
                return k
            return None

        self.list_unkept(citations, text_of_unit)
        by_unit: dict[int, list[CitationRef]] = {}
        for c in citations:
            k = unit_of(c.start)
            if k is not None:
                by_unit.setdefault(k, []).append(c)
        # a sentence holding only citations (written after the full stop) belongs to the one before
        for k, (kind, s, e) in enumerate(units):
            if kind == "para" and k in by_unit and k > 0 and units[k - 1][0] == "para" \
                    and not normalise_text(masked[s:e]).strip(" \t\n.;,") and not any(unit_of(span.start) == k for span in spans):
                by_unit.setdefault(k - 1, []).extend(by_unit[k])
        for group in self.groups:          # a citation of a group applies to every unit in it
            cites = [c for c in citations if any(a <= c.start < b for a, b in group)]
            for k, (_, s, e) in enumerate(units):
                if any(s < b and a < e for a, b in group):
                    by_unit.setdefault(k, []).extend(c for c in cites if c not in by_unit[k])
        exempt = quotations.exempt_spans(self.text)
        absent = absence.spans(self.text)               # absence claims: proved by a search of the whole source
        self.mentions = [quotations.clean(self.text[a:b]) for a, b, kind in exempt if kind == "mention"]
        self.result.quotations["translations"] += sum(kind == "translation" for _, _, kind in exempt)
        for k, (kind, s, e) in enumerate(units):
            unit_citations = by_unit.get(k, [])
            chunk = masked[s:e]
            if not any(ch.isdigit() or ch.isalpha() for ch in chunk):
                continue
            figs = [f for f in extract_figures(chunk, original=self.text[s:e]) if not f.word_ordinal] if self.figures else []
            usable = [c for c in unit_citations if c.status == "ok"]
            passages: dict[int, set[int]] = {}
            here = [span for span in absent if unit_of(span.start) == k]
            whole = absence.check_unit(self, s, e, here, usable, unit_text(self.text[s:e])) if here and CLAIMS else []
            if usable and CLAIMS:
                quotes = quotations.find_quotations(masked, self.text, s, e, exempt)
                unverifiable = any(c.status == "unvendored" for c in unit_citations)
                hits = check_quotations(self, quotes, usable, unverifiable)
                passages = find_claims(self, s, e, [c for c in usable if not any(c is w for w in whole)], figs, hits)
            if not unit_citations and CLAIMS:
                self.uncited_quotations(masked, s, e, kind, exempt)
            keys = {f.key for f in figs}
            for f in figs:
                self.check_figure(f, s + f.start, unit_citations, kind, passages, keys)
        for span in spans:
            k = unit_of(span.start)
            unit_citations = by_unit.get(k, []) if k is not None else []
            kind = units[k][0] if k is not None else "para"
            if span.kind == "editorial":
                figs = [f for f in extract_figures(blank_matches(TAG_RE, span.inner), original=span.inner)
                        if not f.word_ordinal]
                if not figs:
                    line, col = self.pos(span.start)
                    self.result.rows.append(Row(self.page, line, col, collapse_space(span.inner), "", "", "editorial", "skipped"))
                for f in figs:
                    line, col = self.pos(span.start + f.start)
                    self.result.rows.append(Row(self.page, line, col, f.text, f.value, f.unit, "editorial", "skipped"))
            elif span.kind == "external":
                self.record_external(span, unit_citations, kind)
            else:
                self.check_derived(span, unit_citations, kind)
        self.attribute()
        front_matter.check(self)
        self.result.rows.sort(key=lambda r: (r.line, r.col))
        self.result.problems.sort(key=lambda p: (p.line or 0, p.col or 0))
        return self.result


def check_markdown(text: str, page: str, project: Project, display_path: str | None = None, groups=(),
                   figures: bool = True) -> Result:
    """Check one page given as text. ``page`` is its docs-relative path (for the ledger); ``groups`` and ``figures``
    are a data file's (data_files.DataPage)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    return PageChecker(text, page, display_path or page, project, groups, figures).run()


def _collect(paths, root: Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths) if paths is not None else []
    if not paths:
        docs = root / DOCS_DIR
        if not docs.is_dir():
            raise BadInput(f"{DOCS_DIR}/ is missing under {root}; pass the pages to check")
        return sorted(docs.rglob("*.md"))
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        cand = p if p.is_absolute() else (Path.cwd() / p if (Path.cwd() / p).exists() else root / p)
        if cand.is_dir():
            out.extend(sorted(cand.rglob("*.md")))
        elif cand.is_file():
            out.append(cand)
        else:
            raise BadInput(f"{p}: no such file or folder")
    return out


def _rel(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return None


def check(paths=None, root=".", project: Project | None = None, cache: ResultCache | None = None,
          data_files: bool | None = None) -> Result:
    """Check pages (files or folders; default ROOT/docs/**/*.md). Raises BadInput. With a `cache` (and no
    `project`), a page whose result it holds is not checked again (see ResultCache). With `data_files` (by
    default when no paths are given: the whole site) the words of glossary.yaml and charts.yaml are checked too
    (data_files.py); their problems join the result, their figures and claims do not (they are no page's)."""
    root = Path(root).resolve()
    if cache is not None and project is None:
        if cache.root != root:
            raise ValueError(f"the cache is for {cache.root}, not {root}")
        problems, run = cache.project_problems(), cache.check_markdown
    else:
        if project is None:
            project = load_project(root)
        problems = list(project.problems)

        def run(text, page, display, groups=(), figures=True):
            return check_markdown(text, page, project, display, groups, figures)
    files = _collect(paths, root)
    result = Result(problems=problems)
    for f in files:
        display = _rel(f, root) or str(f)
        page = _rel(f, root / DOCS_DIR) or display
        data = f.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            result.pages += 1
            result.problems.append(Problem(display, None, None,
                                           f"not valid UTF-8 at byte offset {e.start} (byte 0x{data[e.start]:02x}); "
                                           f"the page cannot be checked"))
            continue
        result.extend(run(text, page, display))
    if data_files or (data_files is None and paths is None):
        for data in (data_pages.glossary_page(root), data_pages.charts_page(root, result.rows)):
            if data is not None:
                checked = run(data.text, data.display, data.display, data.groups, data.figures)
                result.problems.extend(checked.problems)
                for k, v in checked.quotations.items():
                    result.quotations[k] = result.quotations.get(k, 0) + v
    return result
