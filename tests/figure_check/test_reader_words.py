"""Every word a reader sees is checked, and a figure keeps its role (issue 22, parts 3 and 4).

One row per planted defect: the check must report it at its own file's line (and column where it has one),
with the message a maintainer sees. Small-project rows run the checker directly on a planted page; the
rows marked "real" plant the defect in a copy of the real chapters, sources and data files.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from figure_check.small_project import ROOT, A, messages, run, write_project
from primer.checks import figures as cf

BODY = f'The share rose to 46.9% in 2022, and tariffs "hit seven partners" [@{A}, sec. 1.1; @{A}, sec. 2].\n'


def front(title: str = "Growth", description: str = "How the share grew.") -> str:
    return f"---\ntitle: {title}\ndescription: {description}\n---\n\n# Growth\n\n{BODY}"


# (id, page Markdown, expected "path:line:col: message" start, a fragment of the message)
PAGE_CASES = [
    ("description wrong figure", front(description="The share rose to 47.9% in 2022."),
     'docs/page.md:3:32: figure "47.9%" in the description is not a figure this page states (with what it counts, '
     '"share rose") and the check verified', "nearest on this page: 46.9%"),
    ("description figure in another role", front(description="Seven cities joined the share."),
     'docs/page.md:3:14: figure "Seven" in the description is not a figure this page states (with what it counts, '
     '"cities joined share")', "nearest on this page: seven"),
    ("description invented quotation", front(description='Tariffs "hit eight partners".'),
     'docs/page.md:3:22: quotation "hit eight partners" in the description is not quoted and cited',
     "quote them there, or drop the quotation marks"),
    ("description raw citation", front(description=f"The share grew [@{A}, sec. 1.1]."),
     f"docs/page.md:3:30: the description holds the citation [@{A}, sec. 1.1], which would be published as typed",
     "cite in the page's text and leave the description uncited"),
    ("description bare @key", front(description=f"How the share grew, as @{A} says."),
     f'docs/page.md:3:37: "@{A}" in the description would be published as typed, and a description carries no '
     "citation", "drop it, and cite in the page's text"),
    ("title wrong figure", front(title='"Growth to 46.8%"'),
     'docs/page.md:2:19: figure "46.8%" in the title is not a figure this page states', "correct it"),
    ("uncited quotation",
     "Imports were large.\n\nThe brief says \"hit seven partners\" and more.\n",
     "docs/page.md:3:16: quotation \"hit seven partners\" has no citation in its sentence",
     'mark words the primer mentions rather than quotes <span class="mention">'),
    ("unclosed citation",
     f"The share rose to 46.9% in 2022 [@{A}, sec. 1.1 and then the text goes on.\n",
     f'docs/page.md:1:33: citation "[@{A}, sec. 1.1 and then the text goes on." is not closed, so it would be '
     'published as typed; close it with "]" right after its locator (',
     f'("[@{A}, sec. 1.1]")'),
    ("bare @key",
     f"As @{A} reports, the share rose [@{A}, sec. 1.1].\n",
     f'docs/page.md:1:4: "@{A}" is not a citation (no square brackets)',
     f"[@{A}, sec. …]"),
]


@pytest.mark.parametrize("markdown, where, fragment", [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES])
def test_a_planted_defect_on_a_page_is_reported_at_its_place(tree, markdown, where, fragment):
    result = run(tree, markdown)
    msgs = messages(result)
    assert not result.ok
    hit = [m for m in msgs if m.startswith(where)]
    assert hit and fragment in hit[0], msgs


def test_quotations_the_primer_marks_or_frames_are_not_uncited(tree):
    """A mention, an admonition's quoted title, and a heading quoting words its section quotes and cites."""
    page = (f'## What "imports were"\n\n'
            f'"Imports were" large [@{A}, sec. 2].\n\n'
            f'!!! note "Key points"\n    The word <span class="mention">"imports"</span> is the primer\'s.\n')
    assert messages(run(tree, page)) == []
    good = front(title='"Growth to 46.9%"', description='Tariffs "hit seven partners", and "imports were" cited.')
    assert messages(run(tree, good.replace("imports were", "hit seven"))) == []
    assert re.search(r'page.md:1:\d+: quotation "exports were" has no citation in its heading',
                     "\n".join(messages(run(tree, page.replace('"imports', '"exports', 1)))))


# ---------------------------------------------------------------------------
# The real chapters and data files: a copy with one planted defect
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[Path, cf.Project]:
    root = tmp_path_factory.mktemp("real")
    for name in ("docs", "sources"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("references.bib", "glossary.yaml", "charts.yaml"):
        shutil.copy2(ROOT / name, root / name)
    return root, cf.load_project(root)


GD = "docs/sources/guangdong-technological-brief.md"
HUAWEI = "Huawei runs 14 global R&D centres and seven joint laboratories"

# (id, page, words as written, the planted words, expected "path:line:col: message" start, a fragment of it)
SWAPS = [
    ("2006 peak -> 2008 peak", GD, "even at the 2006 peak", "even at the 2008 peak",
     f'{GD}:39:161: figure "2008" counts "peak exported" here, but [@guangdongndbrief, sec. Historical Context]',
     "gives 2006 for that at line 186"),
    ("Huawei centres <-> labs", "docs/primer/international-circulation.md", HUAWEI,
     "Huawei runs seven global R&D centres and 14 joint laboratories",
     'docs/primer/international-circulation.md:52:241: figure "seven" counts "global R&D centres" here, but '
     "[@li2025twoway, sec. 3.2]", "gives 14 for that at line 55"),
    ("Huawei table centres <-> labs", "docs/sources/li-2025-two-way-internationalization.md",
     "14 global R&D centres | 7 joint innovation labs", "7 global R&D centres | 14 joint innovation labs",
     'docs/sources/li-2025-two-way-internationalization.md:39:53: figure "7" counts "global R&D centres" here, but '
     "[@li2025twoway, table 1]", 'and its 7 counts "Joint innovation labs" (line 60)'),
    ("a date's day: 14 July 2025 -> 21 July 2025", "docs/primer/agreement-and-disagreement.md",
     "14 July 2025", "21 July 2025",
     'docs/primer/agreement-and-disagreement.md:27:43: date "21 July": [@li2025twoway, sec. front matter]',
     'has no 21 July; it has 21 June, at line 19: "Accepted: 21 June 2025"'),
    ("the issue's date: 14 May 2020 -> 23 May 2020 (public evidence, its passage kept)", "docs/index.md",
     "14 May 2020</span> [@ccasnddual]", "23 May 2020</span> [@ccasnddual]",
     'docs/index.md:33:45: external figure "23" is not in the passage kept for [@ccasnddual]',
     "nearest: 14 at line 217"),
]


@pytest.mark.parametrize("page, old, new, where, fragment", [c[1:] for c in SWAPS], ids=[c[0] for c in SWAPS])
def test_a_figure_swapped_within_its_passage_fails(real, page, old, new, where, fragment):
    root, project = real
    text = (root / page).read_text(encoding="utf-8")
    assert old in text
    assert cf.check_markdown(text, page, project, page).ok        # as written, it passes
    msgs = messages(cf.check_markdown(text.replace(old, new, 1), page, project, page))
    assert len(msgs) == 1 and msgs[0].startswith(where) and fragment in msgs[0], msgs


def test_a_date_is_matched_as_a_date_not_its_day_anywhere(tree):
    """"14 May 2020" -> "23 May 2020", where 23 is elsewhere in the passage as a bare number."""
    write_project(tree, {"delta2020note": ("sources/delta.txt", "1. Dates\nThe meeting was held on 14 May 2020. "
                                           "It named 23 firms.\n", {"sections": [{"id": "1", "heading": "1. Dates",
                                                                                  "start": 1}]})})
    good = "The meeting was on 14 May 2020 and named 23 firms [@delta2020note, sec. 1].\n"
    assert messages(run(tree, good)) == []
    msgs = messages(run(tree, good.replace("14 May", "23 May")))
    assert msgs == ['docs/page.md:1:20: date "23 May": [@delta2020note, sec. 1] (sources/delta.txt) has no 23 May; it '
                    'has 23 only as another number, at line 2: "It named 23 firms." — a date\'s day is matched with '
                    'its month'], msgs


LOCATOR_99 = 'glossary.yaml:111:13: locator "sec. 9.9" names no section of sources/li-2025-two-way-internationalization.txt'

# (id, file, words as written, the planted words, expected "path:line:col: message" start, a fragment of it)
DATA_CASES = [
    ("glossary figure 2026 -> 2027", "glossary.yaml", "effective from 2026", "effective from 2027",
     'glossary.yaml:110:62: figure "2027" is not in [@li2025twoway, sec. 4.2]', "nearest"),
    ("glossary locator sec. 9.9", "glossary.yaml", 'cite: "[@li2025twoway, sec. 4.2]"\n\n  - term: FDI',
     'cite: "[@li2025twoway, sec. 9.9]"\n\n  - term: FDI', LOCATOR_99, '"sec. 9.9"'),
    ("chart caption changed quotation", "charts.yaml", 'share of "the municipal economy"',
     'share of "the whole provincial economy"',
     'charts.yaml:61:36: quotation "the whole provincial economy" is not in [@guangdongndbrief, sec. Case Study: '
     "Guangzhou and Shenzhen's Longhua District]", "closest:"),
]


@pytest.mark.parametrize("name, old, new, where, fragment", [c[1:] for c in DATA_CASES], ids=[c[0] for c in DATA_CASES])
def test_a_planted_defect_in_a_data_file_is_reported_at_its_own_line(real, name, old, new, where, fragment):
    """Checked as the build checks them (check(..., data_files=True)); `make figures` is the command line's test."""
    root, _ = real
    data = root / name
    text = data.read_text(encoding="utf-8")
    assert text.count(old) == 1
    pages = [root / "docs" / "sources" / "guangdong-technological-brief.md"]   # the rows charts.yaml selects
    assert messages(cf.check(pages, root=root, data_files=True)) == []
    try:
        data.write_text(text.replace(old, new), encoding="utf-8")
        msgs = messages(cf.check(pages, root=root, data_files=True))
    finally:
        data.write_text(text, encoding="utf-8")
    hit = [m for m in msgs if m.startswith(where)]
    assert len(msgs) == 1 and hit and fragment in hit[0], msgs


@pytest.mark.parametrize("old, new, where", [
    ("effective from 2026", "effective from 2027", 'glossary.yaml:110:62: figure "2027" is not in [@li2025twoway, sec. 4.2]'),
    ('cite: "[@li2025twoway, sec. 4.2]"\n\n  - term: FDI', 'cite: "[@li2025twoway, sec. 9.9]"\n\n  - term: FDI',
     LOCATOR_99),
], ids=["figure 2026 -> 2027", "locator sec. 9.9"])
def test_make_figures_reads_the_glossary(real, tmp_path, old, new, where):
    """`make figures` (python -m primer.checks.figures, every page and the data files) exits 1 naming glossary.yaml's
    own line."""
    root, _ = real
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    data = copy / "glossary.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "primer.checks.figures", "--root", str(copy)], cwd=copy,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")})
    assert done.returncode == 1, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if line.startswith("glossary.yaml")]
    assert len(problems) == 1 and problems[0].startswith(where), done.stdout
