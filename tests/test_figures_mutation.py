"""Mutation test of the figure check on the real chapters.

Every figure the check accepts in docs/ (kind "sourced", status ok) is mutated: each digit
in turn is changed, and each number word is replaced by another number word. The check must
reject every mutant, except a mutant it cannot decide: one whose new value also occurs in
the passage the citation names (then the page is still faithful to its source). The kill
rate over the decidable mutants must be 100%.

The chapters are copied into a temporary project with the real sources, manifest and
bibliography; the source index is built once and every mutant is checked in-process, on the
block of non-blank lines that holds the figure (the rest of the page emptied, so lines and
columns stay put): a sentence, table row or list item never reaches past its block.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from primer.checks import figures as cf

ROOT = Path(__file__).resolve().parent.parent

NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
                "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "dozen"]
NEXT_WORD = {w: NUMBER_WORDS[(i + 1) % len(NUMBER_WORDS)] for i, w in enumerate(NUMBER_WORDS)}
WORD_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(NUMBER_WORDS) + r")(?![A-Za-z])", re.I)


@dataclass
class Tally:
    killed: int = 0
    undecidable: int = 0
    survivors: list = field(default_factory=list)

    @property
    def decidable(self) -> int:
        return self.killed + len(self.survivors)

    def line(self) -> str:
        rate = 100.0 * self.killed / self.decidable if self.decidable else 100.0
        return (f"mutation kill rate {rate:.1f}%: {self.killed} of {self.decidable} decidable mutants "
                f"rejected ({self.undecidable} undecidable: the new value is also in the cited passage)")


def _span(text: str, offset: int, written: str) -> tuple[int, int]:
    """Offsets of a figure in the page: ``written`` is whitespace-collapsed."""
    want = written.replace(" ", "")
    i, got = offset, 0
    while got < len(want) and i < len(text):
        if not text[i].isspace():
            got += 1
        i += 1
    return offset, i


def _mutants(text: str, start: int, end: int):
    """(description, mutated page) for each digit and each number word of text[start:end]."""
    for i in range(start, end):
        ch = text[i]
        if not ch.isdigit():
            continue
        new = (int(ch) + 1) % 10
        leading = i == start or not text[i - 1].isdigit() and text[i - 1] not in ",."
        if leading and new == 0:
            new = 2 if ch == "1" else 1                # keep the number well-formed (no leading zero)
        yield f"digit {ch}->{new}", text[:i] + str(new) + text[i + 1:]
    for m in WORD_RE.finditer(text, start, end):
        word = m.group(1)
        new = NEXT_WORD[word.lower()]
        if word[0].isupper():
            new = new.capitalize()
        yield f"word {word}->{new}", text[:m.start(1)] + new + text[m.end(1):]


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _block(lines: list[str], first: int, last: int) -> tuple[int, int]:
    """The run of non-blank lines holding lines first..last (0-based): a figure's sentence,
    table row or list item never reaches past it."""
    while first > 0 and lines[first - 1].strip():
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    return first, last


def _only(text: str, block: tuple[int, int]) -> str:
    """The page with every line outside ``block`` emptied: same line numbers, same columns."""
    a, b = block
    return "\n".join(line if a <= i <= b else "" for i, line in enumerate(text.split("\n")))


def _verdict(project: cf.Project, page: str, original: cf.Result, mutant_text: str,
             row: cf.Row, span_lines: range) -> str:
    """'killed', 'undecidable' or 'survived' for one mutant."""
    result = cf.check_markdown(mutant_text, page, project, "docs/" + page)
    before = {str(p) for p in original.problems}
    if any(p.line in span_lines and str(p) not in before for p in result.problems):
        return "killed"
    # Accepted: decidable only if the new value is absent from the passage the citation names.
    mrow = next((r for r in result.rows if (r.line, r.col) == (row.line, row.col) and r.kind == "sourced"), None)
    if mrow is None or mrow.status != "ok":
        return "survived"
    source = project.source_for_key(mrow.key)
    scope, _ = source.resolve(mrow.locator)
    lo, _, hi = mrow.value.partition("..")
    return "undecidable" if _in_passage(scope, mrow.unit, Decimal(lo), Decimal(hi) if hi else None) else "survived"


def _in_passage(scope, unit: str, lo: Decimal, hi: Decimal | None) -> bool:
    """Is the quantity in the cited passage? Written here from the index's keys, not with the
    check's own lookup, so a broken lookup cannot pass its mutants off as undecidable."""
    if (unit, lo, hi) in scope.keys:
        return True
    if unit == "year":                                  # the same integer anywhere in the passage
        years = {y for (u, a, b) in scope.keys if u == "year" for y in (a, b) if y is not None}
        return lo in years and (hi is None or hi in years)
    return False


def run_mutation(root: Path, project: cf.Project, pages: list[Path]) -> tuple[Tally, int]:
    """Mutate every accepted sourced figure of ``pages``; each mutant is checked on its own block
    (the rest of the page emptied), in-process, against the index built once in ``project``."""
    tally = Tally()
    accepted = 0
    for path in pages:
        page = path.relative_to(root / "docs").as_posix()
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        lines = text.split("\n")
        whole = cf.check_markdown(text, page, project, "docs/" + page)
        starts = _line_starts(text)
        originals: dict[tuple[int, int], cf.Result] = {}
        for row in whole.rows:
            if row.kind != "sourced" or row.status != "ok":
                continue
            accepted += 1
            offset = starts[row.line - 1] + row.col - 1
            start, end = _span(text, offset, row.figure)
            span_lines = range(row.line, row.line + text.count("\n", start, end) + 1)
            block = _block(lines, span_lines.start - 1, span_lines.stop - 2)
            if block not in originals:
                originals[block] = cf.check_markdown(_only(text, block), page, project, "docs/" + page)
            original = originals[block]
            assert any((r.line, r.col, r.status) == (row.line, row.col, "ok") for r in original.rows), \
                f"docs/{page}:{row.line}:{row.col}: {row.figure!r} is not accepted on its own block"
            for what, mutant in _mutants(text, start, end):
                verdict = _verdict(project, page, original, _only(mutant, block), row, span_lines)
                if verdict == "killed":
                    tally.killed += 1
                elif verdict == "undecidable":
                    tally.undecidable += 1
                else:
                    tally.survivors.append(f"docs/{page}:{row.line}:{row.col}: {row.figure!r} {what} "
                                           f"[@{row.key}, {row.locator}] was accepted")
    return tally, accepted


def _report(capsys, text: str) -> None:
    with capsys.disabled():
        print("\n" + text)


@pytest.fixture(scope="module")
def real_project(tmp_path_factory) -> tuple[Path, cf.Project]:
    """The real chapters, sources, manifest and bibliography, copied (the chapters change while people write)."""
    root = tmp_path_factory.mktemp("mutation")
    shutil.copytree(ROOT / "sources", root / "sources")
    shutil.copy2(ROOT / "references.bib", root / "references.bib")
    docs = ROOT / "docs"
    shutil.copytree(docs, root / "docs", ignore=lambda d, names: [n for n in names
                                                                 if not n.endswith(".md") and not Path(d, n).is_dir()])
    return root, cf.load_project(root)


def test_every_decidable_mutant_of_the_real_chapters_is_rejected(real_project, capsys):
    root, project = real_project
    pages = sorted((root / "docs").rglob("*.md"))
    tally, accepted = run_mutation(root, project, pages)
    if accepted == 0:
        pytest.skip("docs/ has no sourced figure that the check accepts yet: nothing to mutate")
    _report(capsys, f"{accepted} accepted figures on {len(pages)} pages; " + tally.line())
    assert tally.decidable > 0
    assert not tally.survivors, "mutants the check accepted although the new value is not in the cited passage:\n" \
        + "\n".join(tally.survivors)


SAMPLE = """---
title: Sample
---

# A sample chapter

!!! abstract "Key points"

    - Huawei's overseas revenue was US$56.3 billion in 2022 [@li2025twoway, sec. 3.2].
    - It runs 14 global R&D centres and seven joint laboratories [@li2025twoway, table 1].

Consumption was 39.6 percent of GDP, up 1.8 percentage points; CBAM may add 1.5–2 percent to
costs and €2.1 billion of duties by 2030 [@li2025twoway, sec. 4]. Chipmaking could be set back by
two to three years [@li2025twoway, sec. 4.2].

| Figure | What | Source |
|---|---|---|
| 46.9% | Digital economy's share of Guangdong's GDP | [@guangdongndbrief, sec. Guangdong as China's Dual-Circulation Technological Hub] |
| 6,558 | Patents filed by Guangzhou, 2016–2022 | [@guangdongndbrief, sec. Problems Ahead] |

Zhao lists five priorities [@zhaondinnovative, para. 9]; nine other cities join Hong Kong and Macau
[@guangdongndbrief, sec. Guangdong as China's Dual-Circulation Technological Hub].
"""


def test_mutation_machinery_on_a_fixed_sample(tmp_path, capsys):
    """The same machinery on a fixed chapter, so it is exercised whatever docs/ holds today."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    shutil.copy2(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "sample.md"
    page.write_text(SAMPLE, encoding="utf-8")
    project = cf.load_project(tmp_path)
    assert cf.check([page], root=tmp_path, project=project).ok
    tally, accepted = run_mutation(tmp_path, project, [page])
    _report(capsys, f"sample chapter: {accepted} accepted figures; " + tally.line())
    assert accepted == 15
    assert tally.killed >= 40 and tally.undecidable >= 1     # e.g. "two" -> "three" in "two to three years"
    assert not tally.survivors, "\n".join(tally.survivors)


def test_the_mutation_test_catches_a_check_that_ignores_values(tmp_path, capsys, monkeypatch):
    """Sabotage the check (any figure of the right unit is accepted): mutants must survive."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    shutil.copy2(ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "sample.md"
    page.write_text(SAMPLE, encoding="utf-8")
    project = cf.load_project(tmp_path)

    def sloppy(self, scope, unit, lo, hi):
        return [i for ids in scope.keys.values() for i in ids if self.occ[i].fig.unit == unit]

    monkeypatch.setattr(cf.SourceIndex, "lookup", sloppy)
    tally, accepted = run_mutation(tmp_path, project, [page])
    assert accepted == 15
    assert len(tally.survivors) >= 20, tally.line()
