"""The small project the figure check's unit tests build in a temporary folder, and their helpers.

Most tests build a small project in a temporary folder (their own manifest, bibliography,
sources and one chapter); the tests marked "real" use copies of the four vendored sources.
None of them reads docs/.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from primer.checks import figures as cf

ROOT = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------
# A small project
# ---------------------------------------------------------------------------
ALPHA = "\n".join([
    "1. Introduction",                                                                        # 1
    "This report was published on 14 July 2025.",                                             # 2
    "1.1. Growth",                                                                            # 3
    "The share rose to 46.9% of GDP in 2022, up 1.8 percentage points from 2021.",            # 4
    "Exports were US \\$56.3 billion, about 2% of output, with 14 labs.",                     # 5
    "2. Trade",                                                                               # 6
    "Imports were 46.8% of GDP and RMB5.2 trillion, and tariffs of 11–13 percent hit seven partners.",  # 7
    "Costs may rise by 1.5–2 percent over two to three years, and the deficit was USD2.5 billion.",     # 8
    "Table 1. Key numbers",                                                                   # 9
    "Labs\t14",                                                                               # 10
    "Partners\t7",                                                                            # 11
    "Annex’s Notes",                                                                          # 12
    "The gap was 82.9% against 66.2% in 2019 across 240 + markets.",                          # 13
]) + "\n"
ALPHA_LOCATORS = {"sections": [
    {"id": "1", "heading": "1. Introduction", "start": 1},
    {"id": "1.1", "heading": "1.1. Growth", "start": 3},
    {"id": "2", "heading": "2. Trade", "start": 6},
    {"id": "table 1", "heading": "Table 1.", "start": 9, "end": 11},
    {"id": "Annex's Notes", "heading": "Annex’s Notes", "start": 12},
]}
BETA = "\n".join([
    "Beta brief on cities",                             # 1 (title)
    "The index rose 8.3 points in 2021.",               # 2 = para. 1
    "",                                                 # 3
    "Nine cities joined, with 53,000 firms.",           # 4 = para. 2
    "Spending rose 9.0 percent to €2.1 billion.",       # 5 = para. 3
]) + "\n"
BETA_LOCATORS = {"paragraphs_after": 1, "sections": []}
A = "alpha2024report"
B = "beta2023brief"
UNVENDORED_BIB = "@book{gamma2019book,\n  title = {A Book Nobody Vendored},\n  year = {2019},\n}\n"


def write_project(root: Path, sources: dict, extra_bib: str = UNVENDORED_BIB) -> Path:
    """Write sources, manifest and bibliography under ``root``."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    entries, bib = [], []
    for key, (file, text, locators) in sources.items():
        data = text.encode("utf-8") if isinstance(text, str) else text
        (root / file).write_bytes(data)
        entries.append({"key": key, "file": file, "sha256": hashlib.sha256(data).hexdigest(),
                        "locators": locators})
        bib.append(f"@misc{{{key},\n  title = {{{key}}},\n  file = {{{file}}},\n}}\n")
    (root / "sources" / "manifest.yaml").write_text(
        yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "references.bib").write_text("".join(bib) + extra_bib, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path) -> Path:
    return write_project(tmp_path / "proj", {
        A: ("sources/alpha.txt", ALPHA, ALPHA_LOCATORS),
        B: ("sources/beta.txt", BETA, BETA_LOCATORS),
    })


def run(root: Path, markdown: str, name: str = "page.md") -> cf.Result:
    page = root / "docs" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(markdown, encoding="utf-8")
    return cf.check([page], root=root)


def messages(result: cf.Result) -> list[str]:
    return [str(p) for p in result.problems]


def one_problem(result: cf.Result) -> str:
    msgs = messages(result)
    assert len(msgs) == 1, msgs
    return msgs[0]


def sourced(result: cf.Result) -> list[cf.Row]:
    return [r for r in result.rows if r.kind == "sourced"]


GOOD = "The share rose to 46.9% in 2022 [@alpha2024report, sec. 1.1].\n"
BAD = "The share rose to 46.7% [@alpha2024report, sec. 1.1].\n"
DERIVED = '<span class="derived" data-formula="{f}">{v}</span>'
