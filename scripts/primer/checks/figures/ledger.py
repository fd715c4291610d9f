"""The ledger: one Row per figure, the Result of a run, and its JSON and CSV forms."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, fields
from pathlib import Path


# ---------------------------------------------------------------------------
# Chapters
# ---------------------------------------------------------------------------
@dataclass
class Row:
    page: str
    line: int
    col: int
    figure: str
    value: str
    unit: str
    kind: str
    status: str
    key: str = ""
    locator: str = ""
    source_file: str = ""
    source_line: int | None = None
    source_sentence: str = ""
    formula: str = ""
    match: str = ""        # sentence: in the claim's own passage; section: only elsewhere in the cited section


ROW_FIELDS = [f.name for f in fields(Row)]


@dataclass
class Result:
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    pages: int = 0
    claims: list = field(default_factory=list)     # primer.checks.figures.claims.Claim, one per cited unit and citation
    quotations: dict = field(default_factory=lambda: {"checked": 0, "short": 0, "translations": 0, "mentions": 0,
                                                               "unverifiable": 0})
    evidence: dict = field(default_factory=lambda: {"kept": 0, "unkept": 0})   # citations of public evidence
    unkept: list = field(default_factory=list)     # [page, line, col, key, unit]: public evidence, no kept passage

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)

    @property
    def figures(self) -> int:
        """Figures checked: sourced and derived (editorial and external numbers are not checked
        against a vendored source)."""
        return sum(1 for r in self.rows if r.kind in ("sourced", "derived"))

    def summary(self) -> str:
        n, k = self.figures, len(self.problems)
        kept = sum(r.kind == "external" and r.status == "ok" for r in self.rows)
        return (f"{n} figure{'s' * (n != 1)} checked on {self.pages} page{'s' * (self.pages != 1)}: "
                f"{k} problem{'s' * (k != 1)} ({self.count('derived')} derived, "
                f"{self.count('editorial')} editorial and {self.count('external') - kept} external not checked"
                + (f"; {kept} external checked against the passage kept of their public evidence" if kept else "") + ")")

    def extend(self, other: Result) -> None:
        self.problems.extend(other.problems)
        self.rows.extend(other.rows)
        self.pages += other.pages
        self.claims.extend(other.claims)
        for k, v in other.quotations.items():
            self.quotations[k] = self.quotations.get(k, 0) + v
        for k, v in other.evidence.items():
            self.evidence[k] = self.evidence.get(k, 0) + v
        self.unkept.extend(other.unkept)

    def to_dict(self) -> dict:
        return {
            "summary": {"figures": self.figures, "pages": self.pages, "problems": len(self.problems),
                        "sourced": self.count("sourced"), "derived": self.count("derived"),
                        "editorial": self.count("editorial"), "external": self.count("external")},
            "problems": [str(p) for p in self.problems],
            "rows": [{k: getattr(r, k) for k in ROW_FIELDS} for r in self.rows],
        }


# ---------------------------------------------------------------------------
# Ledger and command line
# ---------------------------------------------------------------------------
def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"


def to_csv(result: Result) -> str:
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer)
    w.writerow(ROW_FIELDS)
    for r in result.rows:
        w.writerow(["" if getattr(r, k) is None else getattr(r, k) for k in ROW_FIELDS])
    return buffer.getvalue()


def write_json(result: Result, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(to_json(result), encoding="utf-8")


def write_csv(result: Result, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(to_csv(result), encoding="utf-8", newline="")
