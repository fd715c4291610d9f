"""Unit tests for scripts/check_figures.py (the figure check).

Most tests build a small project in a temporary folder (their own manifest, bibliography,
sources and one chapter); the tests marked "real" use copies of the four vendored sources.
None of them reads docs/.
"""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

from primer import check_figures as cf

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


# ---------------------------------------------------------------------------
# Extraction and normalisation: every number format of the four sources
# ---------------------------------------------------------------------------
def units_values(text: str, source: bool = False):
    return [(f.unit, f.value) for f in cf.extract_figures(text, source=source)]


FORMATS = [
    # money: currency, spacing, escape and scale (Li, the Guangdong brief)
    ("overseas revenue reached approximately US \\$56.3 billion, accounting", [("USD", "56300000000")]),
    ("Overseas revenue: US$56.3 billion", [("USD", "56300000000")]),
    ("its international GMV reached RMB 1.66 trillion, spanning", [("CNY", "1660000000000")]),
    ("the market size has topped the nation with RMB5.2 trillion, taking", [("CNY", "5200000000000")]),
    ("reached a leading \n\nUSD818 billion (or RMB5.2 trillion), taking",
     [("USD", "818000000000"), ("CNY", "5200000000000")]),
    ("US rose from USD20.6 billion in 1978 to USD2.2 trillion in 2007",
     [("USD", "20600000000"), ("year", "1978"), ("USD", "2200000000000"), ("year", "2007")]),
    ("rose from \n\nUSD2.5 billion in 1981 to USD986 billion", [("USD", "2500000000"), ("year", "1981"), ("USD", "986000000000")]),
    ("Related exports reached USD5 billion", [("USD", "5000000000")]),
    ("has invested RMB320 billion in research", [("CNY", "320000000000")]),
    ("could generate €2.1 billion in carbon duties", [("EUR", "2100000000")]),
    ("EUR 2.1 billion", [("EUR", "2100000000")]),
    ("¥68 (hardcover)", [("CNY", "68")]),
    ("import sales totaling around RMB 480 billion.", [("CNY", "480000000000")]),
    ("per-capita consumer spending reached RMB 26,796, but", [("CNY", "26796")]),
    ("5.2 trillion yuan", [("CNY", "5200000000000")]),
    # percentages and percentage points
    ("accounted for 39.6 percent of nominal GDP", [("percent", "39.6")]),
    ("39.6 per cent", [("percent", "39.6")]),
    ("with electronics taking up 50% of overall exports", [("percent", "50")]),
    ("up 1.8 percentage points year-on-year", [("pp", "1.8")]),
    ("GDP and 8.3 points above the national average", [("pp", "8.3")]),
    ("8.3 pp", [("pp", "8.3")]),
    ("subsidy-based duties exceeding 70 percent in some cases", [("percent", "70")]),
    ("still below the 50 percent-plus typical in many advanced economies", [("percent", "50")]),
    ("below the 10 percent-plus typical of earlier growth cycles", [("percent", "10")]),
    ("real growth of only 9.0 percent", [("percent", "9")]),
    ("only 2% of total FDI in 2019", [("percent", "2"), ("year", "2019")]),
    ("the San Francisco Bay Area (71.6%), the", [("percent", "71.6")]),
    ("from 40.08% in 2017 to 52.16% in 2019",
     [("percent", "40.08"), ("year", "2017"), ("percent", "52.16"), ("year", "2019")]),
    # ranges
    ("CBAM will add 1.5–2 percent to Chinese exporters' costs", [("percent", "1.5..2")]),
    ("More critically, 11–13 percent of exports", [("percent", "11..13")]),
    ("set back its high-end chip manufacturing by two to three years.", [("years", "2..3")]),
    ("set back by two to\nthree years", [("years", "2..3")]),                 # a wrapped chapter line
    ("the Five-Year Plan \n\n(2018-2022) on", [("years", "5"), ("year", "2018..2022")]),
    ("五年行动计划( 2018－2022 年)", [("year", "2018..2022")]),
    ("Figure 2. Trends (2020–2023).", [("count", "2"), ("year", "2020..2023")]),
    ("(Li 2008: 36-40)", [("year", "2008"), ("count", "36..40")]),
    ("Between 2016 and 2022, Guangzhou", [("year", "2016..2022")]),
    ("2018 – 2022", [("year", "2018..2022")]),
    ("US$1–2 billion", [("USD", "1000000000..2000000000")]),
    # units and qualifiers
    ("China's access to sub-2 nm process equipment", [("nm", "2")]),
    ("In 30 years, China’s exports", [("years", "30")]),
    ("Coverage: 240 + markets", [("count", "240")]),
    ("240+ markets", [("count", "240")]),
    ("spanning more than 240 countries", [("count", "240")]),
    ("at least 15 national-security reviews", [("count", "15")]),
    ("attracted up to 200 technological research fellows", [("count", "200")]),
    ("now numbering over 400 million people", [("count", "400000000")]),
    ("a 2.5 times rise", [("times", "2.5")]),
    # figures broken across lines in the Guangdong brief
    ("taking up 46.9% of the province’s \n\nGDP", [("percent", "46.9")]),
    ("taking up 46.9 \n\npercent of GDP", [("percent", "46.9")]),
    # counts with separators
    ("the region hosts five top-100 universities and 53,000 top-tier Chinese innovative companies",
     [("count", "5"), ("count", "100"), ("count", "53000")]),
    ("Guangzhou filed 6,558 patents, which is behind Beijing (25,055), Shenzhen (17,364) and \n\nShanghai (9,346).",
     [("count", "6558"), ("count", "25055"), ("count", "17364"), ("count", "9346")]),
    ("over 20,000 overseas brands", [("count", "20000")]),
    ("2,025 firms", [("count", "2025")]),                                        # a separator: not a year
    # years, decades, dates, ordinals
    ("Since 2020, China has advanced", [("year", "2020")]),
    ("since the 1980s, Guangdong", [("decade", "1980")]),
    ("Published: 14 July 2025", [("count", "14"), ("year", "2025")]),
    ("published 2025-07-14", [("year", "2025"), ("count", "14")]),
    ("supported by Beijing’s \n\n14th Five Year Plan", [("ordinal", "14"), ("years", "5")]),
    ("the 19th National People’s Congress", [("ordinal", "19")]),
    ("2025 2nd International Conference", [("year", "2025"), ("ordinal", "2")]),
    # number words
    ("has set up seven joint innovation laboratories", [("count", "7")]),
    ("The following are five priorities for enhancing opening-up", [("count", "5")]),
    ("together with \n\nnine other cities, would take the lead", [("count", "9")]),
    ("Guangzhou has six enterprises trusted", [("count", "6")]),
    ("twenty-five firms, a dozen labs, two hundred staff", [("count", "25"), ("count", "12"), ("count", "200")]),
    ("one hundred days", [("days", "100")]),
    ("−0.5 percent", [("percent", "-0.5")]),
]


@pytest.mark.parametrize("text,expected", FORMATS, ids=[c[0][:40] for c in FORMATS])
def test_number_formats_of_the_sources(text, expected):
    assert units_values(text) == expected


NOT_FIGURES = [
    "one of the AI hubs in China", "coordinated two-way internationalization", "a \"one-stop, one-system\" process",
    "the dual circulation paradigm", "First, policy design", "the first province to open up",
    "Entering the twenty-first century", "the world’s second-largest economy", "China’s third largest communications hub",
    "Longhua was placed fifth", "5G technology", "a 5G-based environment", "the COVID-19 outbreak", "since COVID19",
    "Essex, CO4 3SQ, United Kingdom", "mediate the magnitude [4,5]", "foreign inputs [7].",
    "doi: 10.1108/RAMJ-03-2021-0016", "广州市加快IAB产业发展五年行动计划", "version 2.1.3", "about 1/3 of", "at 10:30",
    "the G20 summit", "licensed CC BY 4.0", "Tencent often", "tens of", "hundreds of firms", "thousands of firms",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text):
    assert cf.extract_figures(text) == []


def test_ordinal_words_are_indexed_in_sources_only():
    assert cf.extract_figures("Longhua was placed fifth and the twenty-first century") == []
    assert units_values("Longhua was placed fifth and the twenty-first century", source=True) == [
        ("ordinal", "5"), ("ordinal", "21")]


def key(text: str):
    figs = cf.extract_figures(text)
    assert len(figs) == 1, (text, figs)
    return figs[0].key


SAME_MEANING = [
    ("US$56.3 billion", "US \\$56.3 billion"), ("46.9%", "46.9 percent"), ("46.9 per cent", "46.9%"),
    ("seven", "7"), ("8.3 percentage points", "8.3 points"), ("USD818 billion", "US$818 billion"),
    ("USD818 billion", "USD 818,000 million"), ("RMB5.2 trillion", "RMB 5.2 trillion"),
    ("RMB 5.2 trillion", "5.2 trillion yuan"), ("CNY5.2 trillion", "RMB5.2 trillion"),
    ("€2.1 billion", "EUR 2.1 billion"), ("€2.1 billion", "EUR2.1bn"), ("2018–2022", "2018－2022"),
    ("2018-2022", "2018 – 2022"), ("240+", "240 +"), ("more than 240", "240 +"),
    ("50 percent", "50 percent-plus"), ("9 percent", "9.0 percent"), ("two to three years", "2–3 years"),
    ("1.5–2 percent", "1.5-2%"), ("14th", "14th"), ("twelve", "a dozen"), ("1,000", "1000"),
]
DIFFERENT_MEANING = [
    ("46.9%", "46.9 billion"), ("2 percent", "2 billion"), ("2.5 million", "2.5 billion"),
    ("USD2.5 million", "USD2.5 billion"), ("1.8 percent", "1.8 percentage points"), ("46.9%", "46.9"),
    ("46.9%", "US$46.9 billion"), ("14th", "14"), ("1980s", "1980"), ("RMB5.2 trillion", "USD5.2 trillion"),
    ("1.5–2 percent", "1.5 percent"), ("2018", "2,018"), ("30 years", "30"), ("46.9%", "46.8%"),
    ("8.3 basis points", "8.3 points"), ("2 nm", "2"), ("US$56.3 billion", "US$56.3 million"),
]


@pytest.mark.parametrize("a,b", SAME_MEANING)
def test_same_meaning_same_key(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize("a,b", DIFFERENT_MEANING)
def test_different_meaning_different_key(a, b):
    assert key(a) != key(b)


def test_qualifiers_stay_out_of_the_value():
    (plus,) = cf.extract_figures("Coverage: 240 + markets")
    (pct,) = cf.extract_figures("the 50 percent-plus typical")
    assert (plus.value, plus.qualifier) == ("240", "+")
    assert (pct.value, pct.unit, pct.qualifier) == ("50", "percent", "plus")


def test_offsets_and_written_form():
    text = "It reached US \\$56.3 billion in 2022."
    money, year = cf.extract_figures(text)
    assert text[money.start:money.end] == "US \\$56.3 billion" == money.text
    assert text[year.start:year.end] == "2022"
    assert money.numbers == (Decimal("56.3"),)


# ---------------------------------------------------------------------------
# Derived-figure formulas
# ---------------------------------------------------------------------------
def test_formula_is_exact_decimal():
    value, operands = cf.evaluate_formula("82.9 - 66.2")
    assert value == Decimal("16.7")                     # not 16.700000000000003
    assert operands == [Decimal("82.9"), Decimal("66.2")]


def test_formula_precedence_and_parentheses():
    value, _ = cf.evaluate_formula("(52.16 - 40.08) / 40.08 * 100")
    assert round(value, 1) == Decimal("30.1")
    assert cf.evaluate_formula("2 + 3 * 4")[0] == 14
    assert cf.evaluate_formula("(2 + 3) * 4")[0] == 20
    assert cf.evaluate_formula("-(2 - 5)")[0] == 3


@pytest.mark.parametrize("formula", [
    "__import__('os').system('touch PWNED')", "2 ** 8", "a + 1", "1,2 + 3", "82.9 - 66.2%", "lambda: 1",
    "", "[1][0]", "1 if 1 else 2", "2 // 1", "3 % 2", "open('x')", "'1' + '2'", "True + 1",
])
def test_formula_rejects_anything_but_arithmetic(formula):
    with pytest.raises(cf.FormulaError):
        cf.evaluate_formula(formula)


def test_formula_division_by_zero():
    with pytest.raises(cf.FormulaError, match="zero"):
        cf.evaluate_formula("1 / (2 - 2)")


# ---------------------------------------------------------------------------
# Matching against the cited passage
# ---------------------------------------------------------------------------
def test_figure_maps_in_cited_section_and_fills_the_ledger(tree):
    r = run(tree, "---\ntitle: T\n---\n\nThe share rose to 46.9% in 2022 [@alpha2024report, sec. 1.1].\n")
    assert r.ok, messages(r)
    share, year = sourced(r)
    assert (share.page, share.line, share.col) == ("page.md", 5, 19)
    assert (share.figure, share.value, share.unit, share.kind, share.status) == ("46.9%", "46.9", "percent", "sourced", "ok")
    assert (share.key, share.locator, share.source_file, share.source_line) == (A, "sec. 1.1", "sources/alpha.txt", 4)
    assert share.source_sentence == "The share rose to 46.9% of GDP in 2022, up 1.8 percentage points from 2021."
    assert (year.value, year.unit, year.source_line) == ("2022", "year", 4)


def test_a_section_includes_its_subsections(tree):
    assert run(tree, "It was 46.9% [@alpha2024report, sec. 1].\n").ok


def test_figure_in_another_section_fails_and_names_that_section(tree):
    msg = one_problem(run(tree, "Intro.\n\nThe share was 46.9% of GDP [@alpha2024report, sec. 2].\n"))
    assert msg.startswith('docs/page.md:3:15: figure "46.9%" is not in [@alpha2024report, sec. 2] (sources/alpha.txt); nearest: ')
    assert "46.9% at line 4 (sec. 1.1)" in msg


def test_a_subsection_does_not_include_its_sibling(tree):
    msg = one_problem(run(tree, "Imports were 46.8% of GDP [@alpha2024report, sec. 1.1].\n"))
    assert "46.8% at line 7 (sec. 2)" in msg


def test_wrong_digit_fails_with_nearest_value(tree):
    msg = one_problem(run(tree, "Imports were 46.7% of GDP [@alpha2024report, sec. 2].\n"))
    assert 'figure "46.7%" is not in' in msg and "nearest: 46.8% at line 7 (sec. 2)" in msg
    assert not run(tree, "Imports were RMB5.3 trillion [@alpha2024report, sec. 2].\n").ok
    assert run(tree, "Imports were RMB 5.2 trillion [@alpha2024report, sec. 2].\n").ok


def test_unit_mismatch_percent_is_not_billion(tree):
    msg = one_problem(run(tree, "It was 46.9 billion [@alpha2024report, sec. 1.1].\n"))
    assert '"46.9%" at line 4 has the same number in another unit (percent, not count)' in msg


def test_wrong_scale(tree):
    assert not run(tree, "About 2 billion of output [@alpha2024report, sec. 1.1].\n").ok   # source: 2%
    msg = one_problem(run(tree, "A deficit of USD2.5 million [@alpha2024report, sec. 2].\n"))
    assert "USD2.5 billion at line 8 (sec. 2)" in msg
    assert run(tree, "A deficit of US$2.5 billion [@alpha2024report, sec. 2].\n").ok


def test_percent_is_not_percentage_points(tree):
    msg = one_problem(run(tree, "Up 1.8 percent [@alpha2024report, sec. 1.1].\n"))
    assert '"1.8 percentage points" at line 4 has the same number in another unit (pp, not percent)' in msg
    assert run(tree, "Up 1.8 percentage points [@alpha2024report, sec. 1.1].\n").ok
    assert run(tree, "Up 8.3 percentage points [@beta2023brief, para. 1].\n").ok      # source: "8.3 points"


def test_figure_only_in_another_source_says_where(tree):
    msg = one_problem(run(tree, "There were 53,000 firms [@alpha2024report].\n"))
    assert "found in [@beta2023brief] at line 4 (para. 2) — cite that source?" in msg


def test_ranges_match_ranges_not_single_numbers(tree):
    assert run(tree, "Costs may rise 1.5-2% [@alpha2024report, sec. 2].\n").ok
    assert run(tree, "Tariffs of 11 to 13 percent [@alpha2024report, sec. 2].\n").ok
    assert run(tree, "Over two to three years [@alpha2024report, sec. 2].\n").ok
    assert not run(tree, "Costs may rise 1.5 percent [@alpha2024report, sec. 2].\n").ok
    assert not run(tree, "Over three to four years [@alpha2024report, sec. 2].\n").ok


def test_years_match_the_same_integer_in_the_passage(tree):
    assert run(tree, "From 2021 to 2022 [@alpha2024report, sec. 1.1].\n").ok
    assert run(tree, "In 2021–2022 [@alpha2024report, sec. 1.1].\n").ok        # both years in the passage
    assert not run(tree, "In 2020–2022 [@alpha2024report, sec. 1.1].\n").ok
    assert not run(tree, "In 2023 [@alpha2024report, sec. 1.1].\n").ok


# ---------------------------------------------------------------------------
# Scope of a citation
# ---------------------------------------------------------------------------
def test_no_citation(tree):
    msg = one_problem(run(tree, "It rose to 46.9%.\n"))
    assert msg.startswith('docs/page.md:1:12: figure "46.9%" has no citation in its sentence')


def test_citation_of_the_next_sentence_does_not_count(tree):
    r = run(tree, "It rose to 46.9%. The year was 2022 [@alpha2024report, sec. 1.1].\n")
    assert messages(r) == ['docs/page.md:1:12: figure "46.9%" has no citation in its sentence; cite its source '
                           'with a locator, or mark the primer\'s own number <span class="editorial">…</span>']


def test_citation_after_the_full_stop_belongs_to_the_sentence(tree):
    assert run(tree, "It rose to 46.9%. [@alpha2024report, sec. 1.1]\n").ok


def test_abbreviations_do_not_end_a_sentence(tree):
    text = ("The share, e.g. 46.9% of GDP, was noted by Smith et al. in the U.S. (approx. 2% of output) "
            "in sec. 1 [@alpha2024report, sec. 1.1].\n")
    assert run(tree, text).ok


def test_bold_run_in_lead_belongs_to_the_next_sentence(tree):
    assert run(tree, "**The 2022 turn.** The share rose to 46.9% [@alpha2024report, sec. 1.1].\n").ok


def test_citation_with_several_works(tree):
    r = run(tree, "It was 46.9% and 53,000 firms [@alpha2024report, sec. 1.1; @beta2023brief, para. 2].\n")
    assert r.ok, messages(r)
    assert [row.key for row in sourced(r)] == [A, B]


def test_table_row_is_the_unit(tree):
    text = ("| Figure | Source |\n|---|---|\n| 46.9% | [@alpha2024report, sec. 1.1] |\n| 53,000 | none |\n")
    r = run(tree, text)
    assert one_problem(r).startswith('docs/page.md:4:3: figure "53,000" has no citation in its table row')
    assert sourced(r)[0].status == "ok"


def test_list_item_is_the_unit(tree):
    text = "- The share was 46.9%\n  in 2022 [@alpha2024report, sec. 1.1].\n- It had 53,000 firms.\n"
    msg = one_problem(run(tree, text))
    assert msg.startswith('docs/page.md:3:10: figure "53,000" has no citation in its list item')


def test_heading_is_its_own_unit(tree):
    msg = one_problem(run(tree, "## The 46.9% share\n\nIt was large [@alpha2024report, sec. 1.1].\n"))
    assert msg.startswith('docs/page.md:1:8: figure "46.9%" has no citation in its heading')


def test_admonition_body_and_title(tree):
    body = '!!! note "Key points"\n\n    - The share was 46.9% [@alpha2024report, sec. 1.1].\n'
    assert run(tree, body).ok
    msg = one_problem(run(tree, '!!! note "Since 2022"\n\n    Text.\n'))
    assert "has no citation in its admonition title" in msg


# ---------------------------------------------------------------------------
# Citations and locators
# ---------------------------------------------------------------------------
def test_unknown_key(tree):
    msg = one_problem(run(tree, "Text [@alpha2024reprot, sec. 1].\n"))
    assert msg == ('docs/page.md:1:7: unknown citation key "alpha2024reprot" (not in references.bib); '
                   'did you mean "alpha2024report"?')


def test_unvendored_key_cannot_verify_a_figure(tree):
    msg = one_problem(run(tree, "It was 46.9% [@gamma2019book].\n"))
    assert 'figure "46.9%" cannot be verified: cited work has no vendored source file' in msg
    assert "[@gamma2019book] has no vendored source file (no file field in references.bib)" in msg
    assert run(tree, "It was 46.9% [@gamma2019book; @alpha2024report, sec. 1.1].\n").ok
    assert run(tree, "A book argues this [@gamma2019book].\n").ok       # no figure: nothing to verify


def test_bad_section_locator(tree):
    r = run(tree, "It was 46.9% [@alpha2024report, sec. 9].\n")
    assert one_problem(r) == ('docs/page.md:1:15: locator "sec. 9" names no section of sources/alpha.txt '
                              "(sections: 1, 1.1, 2, table 1, Annex's Notes)")
    assert sourced(r)[0].status == "unchecked"


@pytest.mark.parametrize("citation,expected", [
    ("[@alpha2024report, p. 5]", 'locator "p. 5" is not a recognised locator'),
    ("[@alpha2024report, para. 2]", "sources/alpha.txt has no paragraph map (paragraphs_after)"),
    ("[@beta2023brief, para. 9]", 'locator "para. 9" names no paragraph of sources/beta.txt (paragraphs: 1–3)'),
    ("[@alpha2024report, table 2]", 'locator "table 2" names no section of sources/alpha.txt'),
])
def test_bad_locators(tree, citation, expected):
    assert expected in one_problem(run(tree, f"Text {citation}.\n"))


@pytest.mark.parametrize("locator", ["sec. annex’s notes", "sec. ANNEX'S NOTES", "sec. Annex's Notes"])
def test_named_section_ignores_case_and_apostrophe_style(tree, locator):
    assert run(tree, f"The gap was 82.9% [@alpha2024report, {locator}].\n").ok


def test_table_and_paragraph_locators(tree):
    assert run(tree, "It had 14 labs and seven partners [@alpha2024report, table 1].\n").ok
    assert run(tree, "Nine cities joined [@beta2023brief, para. 2].\n").ok
    assert run(tree, "It rose to €2.1 billion [@beta2023brief, para. 2–3].\n").ok
    assert not run(tree, "It rose to €2.1 billion [@beta2023brief, para. 1].\n").ok
    assert not run(tree, "It had 46.9% [@alpha2024report, table 1].\n").ok


def test_no_locator_searches_the_whole_source_and_records_an_empty_locator(tree):
    r = run(tree, "The gap was 82.9% [@alpha2024report].\n")
    assert r.ok
    assert (sourced(r)[0].locator, sourced(r)[0].source_line) == ("", 13)


# ---------------------------------------------------------------------------
# Derived and editorial figures
# ---------------------------------------------------------------------------
DERIVED = '<span class="derived" data-formula="{f}">{v}</span>'


def test_derived_correct(tree):
    span = DERIVED.format(f="82.9 - 66.2", v="16.7 percentage points")
    r = run(tree, f"The gap is {span} [@alpha2024report, sec. Annex's Notes].\n")
    assert r.ok, messages(r)
    (row,) = [x for x in r.rows if x.kind == "derived"]
    assert (row.figure, row.value, row.unit, row.formula, row.source_line) == (
        "16.7 percentage points", "16.7", "pp", "82.9 - 66.2", 13)


def test_derived_wrong_value(tree):
    span = DERIVED.format(f="82.9 - 66.2", v="16.8")
    msg = one_problem(run(tree, f"The gap is {span} [@alpha2024report, sec. Annex's Notes].\n"))
    assert 'derived figure "16.8": formula "82.9 - 66.2" gives 16.7 (at the written precision), not 16.8' in msg


def test_derived_operand_must_be_in_the_cited_passage(tree):
    span = DERIVED.format(f="82.9 - 46.9", v="36")
    msg = one_problem(run(tree, f"The gap is {span} [@alpha2024report, sec. Annex's Notes].\n"))
    assert 'operand 46.9 of "82.9 - 46.9" is not in' in msg and "it is at 46.9% at line 4 (sec. 1.1)" in msg


def test_derived_formula_is_never_executed(tree, monkeypatch):
    monkeypatch.chdir(tree)
    span = DERIVED.format(f="__import__('os').system('touch PWNED')", v="1")
    msg = one_problem(run(tree, f"A {span} [@alpha2024report, sec. 1].\n"))
    assert "Call is not allowed" in msg
    assert not (tree / "PWNED").exists()


def test_derived_precision_and_percent_factor(tree):
    cite = "[@alpha2024report, sec. Annex's Notes]"
    assert run(tree, f"Ratio {DERIVED.format(f='82.9 / 66.2', v='1.25')} {cite}.\n").ok
    assert run(tree, f"Ratio {DERIVED.format(f='82.9 / 66.2', v='1.3')} {cite}.\n").ok
    assert not run(tree, f"Ratio {DERIVED.format(f='82.9 / 66.2', v='1.2')} {cite}.\n").ok
    assert run(tree, f"Gap {DERIVED.format(f='(82.9 - 66.2) / 66.2 * 100', v='25.2')}% {cite}.\n").ok


def test_derived_without_citation(tree):
    msg = one_problem(run(tree, f"The gap is {DERIVED.format(f='82.9 - 66.2', v='16.7')}.\n"))
    assert 'derived figure "16.7" has no citation in its sentence' in msg


def test_editorial_span_is_skipped_and_recorded(tree):
    r = run(tree, 'The primer compares <span class="editorial">four</span> sources.\n')
    assert r.ok
    (row,) = r.rows
    assert (row.kind, row.status, row.figure, row.value) == ("editorial", "skipped", "four", "4")
    assert r.figures == 0 and r.count("editorial") == 1


# ---------------------------------------------------------------------------
# What is not a figure in a chapter
# ---------------------------------------------------------------------------
def test_locator_like_references_are_not_figures(tree):
    text = ("See section 4.2, sec. 4, Table 1, Figure 2, fig. 1, reference 7, references 7 and 8, ref. 7, "
            "para. 9, paragraph 9, item 3, line 12, Section\n5.1 and SECTION 3 for details.\n")
    r = run(tree, text)
    assert r.ok and r.rows == []


def test_markdown_that_is_not_prose_has_no_figures(tree):
    text = """---
title: Page 2025
description: 99 numbers
---

# Dual circulation {#sec-4 .x}

```python
x = 12345
```

~~~
2024
~~~

Run `make 2025` or see <https://example.org/2024/55> and https://example.org/a/77, [the site](https://example.org/88 "t 99"),
![chart](img/2023.png), a reference link [here][ref9], an email a1@example.org, a note[^12] and a marker [7].
<img src="a.png" width="300"> <div data-x="5" markdown>Text.</div> <!-- 42 hidden -->
One of them is the first; two-way trade; the 5G network; COVID-19; 双循环 二十 (shuāng xúnhuán).

[ref9]: https://example.org/999
[^12]: A note.
"""
    r = run(tree, text)
    assert r.ok, messages(r)
    assert r.rows == []


def test_citation_locators_are_not_figures(tree):
    r = run(tree, "It was large [@alpha2024report, sec. 1.1; @beta2023brief, para. 3].\n")
    assert r.ok and r.rows == []


# ---------------------------------------------------------------------------
# Ledger, summary and command line
# ---------------------------------------------------------------------------
GOOD = "The share rose to 46.9% in 2022 [@alpha2024report, sec. 1.1].\n"
BAD = "The share rose to 46.7% [@alpha2024report, sec. 1.1].\n"


def test_summary_line(tree):
    r = run(tree, GOOD + f"\nA {DERIVED.format(f='82.9 - 66.2', v='16.7')} [@alpha2024report].\n"
                  '\n<span class="editorial">four</span>\n')
    assert r.summary() == "3 figures checked on 1 page: 0 problems (1 derived, 1 editorial and 0 external not checked)"


def test_json_and_csv_ledger(tree, tmp_path):
    (tree / "docs" / "sub").mkdir()
    (tree / "docs" / "sub" / "a.md").write_text(GOOD, encoding="utf-8")
    out_json, out_csv = tmp_path / "out" / "figures.json", tmp_path / "out" / "figures.csv"
    assert cf.main(["--root", str(tree), "--json", str(out_json), "--csv", str(out_csv)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["summary"] == {"figures": 2, "pages": 1, "problems": 0, "sourced": 2, "derived": 0, "editorial": 0, "external": 0}
    assert [list(r) for r in data["rows"]] == [cf.ROW_FIELDS] * 2
    assert data["rows"][0]["page"] == "sub/a.md" and data["rows"][0]["value"] == "46.9"
    with open(out_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == cf.ROW_FIELDS and len(rows) == 3
    assert rows[1][cf.ROW_FIELDS.index("source_sentence")].startswith("The share rose to 46.9%")


def test_cli_exit_codes(tree, capsys):
    (tree / "docs" / "page.md").write_text(GOOD, encoding="utf-8")
    assert cf.main(["--root", str(tree)]) == 0
    assert capsys.readouterr().out == "2 figures checked on 1 page: 0 problems (0 derived, 0 editorial and 0 external not checked)\n"
    (tree / "docs" / "page.md").write_text(BAD, encoding="utf-8")
    assert cf.main(["--root", str(tree)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('docs/page.md:1:19: figure "46.7%"') and out[-1].endswith(": 1 problem (0 derived, 0 editorial and 0 external not checked)")
    assert cf.main(["--root", str(tree), "docs/nope.md"]) == 2
    assert "docs/nope.md: no such file or folder" in capsys.readouterr().err


def test_cli_as_a_module(tree):
    (tree / "docs" / "page.md").write_text(BAD, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "primer.check_figures", "docs/page.md"],
                          cwd=tree, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("docs/page.md:1:19: ") and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
def test_missing_manifest(tree, capsys):
    (tree / "sources" / "manifest.yaml").unlink()
    with pytest.raises(cf.BadInput, match="sources/manifest.yaml is missing"):
        cf.check(root=tree)
    assert cf.main(["--root", str(tree)]) == 2
    err = capsys.readouterr().err
    assert "sources/manifest.yaml is missing" in err and "Traceback" not in err


@pytest.mark.parametrize("mutilate,expected", [
    (lambda t: (t / "sources" / "manifest.yaml").write_text("sources: [unclosed", encoding="utf-8"), "not valid YAML"),
    (lambda t: (t / "sources" / "manifest.yaml").write_text("other: 1\n", encoding="utf-8"), "has no 'sources:' list"),
    (lambda t: (t / "references.bib").unlink(), "references.bib is missing"),
    (lambda t: (t / "references.bib").write_text("@misc{a, title={x}", encoding="utf-8"), "references.bib cannot be read"),
    (lambda t: shutil.rmtree(t / "docs"), "docs/ is missing"),
])
def test_bad_project_input_exits_2(tree, capsys, mutilate, expected):
    mutilate(tree)
    assert cf.main(["--root", str(tree)]) == 2
    assert expected in capsys.readouterr().err


def test_missing_source_file(tree):
    (tree / "sources" / "alpha.txt").unlink()
    r = run(tree, GOOD)
    assert messages(r) == ["sources/alpha.txt listed in sources/manifest.yaml is missing"]
    assert {row.status for row in r.rows} == {"unchecked"}


def test_changed_source_file(tree):
    path = tree / "sources" / "alpha.txt"
    path.chmod(0o644)
    path.write_text(ALPHA.replace("46.9%", "46.8%"), encoding="utf-8")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = hashlib.sha256(ALPHA.encode()).hexdigest()
    msgs = messages(run(tree, "An empty page.\n"))
    assert msgs == [f"sources/alpha.txt has changed: sha256 {actual} != manifest {expected}; sources are vendored "
                    "unchanged — restore it or update the manifest with a note"]


def test_undecodable_source(tmp_path):
    root = write_project(tmp_path, {A: ("sources/alpha.txt", b"Costs rose 5%\n\xff\xfe rest\n", {"sections": []})})
    (root / "docs" / "page.md").write_text("Costs rose 5% [@alpha2024report].\n", encoding="utf-8")
    r = cf.check(root=root)
    assert messages(r) == ["sources/alpha.txt is not valid UTF-8 at byte offset 14 (byte 0xff); "
                           "its figures cannot be checked"]


def test_undecodable_chapter(tree):
    (tree / "docs" / "page.md").write_bytes("Café 46.9%".encode("utf-8") + b" \xe9t\xe9\n")
    r = cf.check(root=tree)
    assert messages(r) == ["docs/page.md: not valid UTF-8 at byte offset 12 (byte 0xe9); the page cannot be checked"]
    assert r.pages == 1


def test_empty_chapter(tree):
    r = run(tree, "")
    assert r.ok and r.rows == [] and r.pages == 1
    assert r.summary().startswith("0 figures checked on 1 page: 0 problems")


def test_ten_thousand_figures(tree):
    forms = ["46.9%", "US$56.3 billion", "1.8 percentage points", "2022", "14 labs", "2%"]
    lines = []
    for i in range(10_000):
        lines.append(f"It was {forms[i % len(forms)]} [@alpha2024report, sec. 1.1].")
    r = run(tree, "\n\n".join(lines) + "\n")
    assert r.figures == 10_000 and len(r.rows) == 10_000
    assert r.ok


# ---------------------------------------------------------------------------
# Against the real vendored sources (copied; docs/ is not read)
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[Path, cf.Project]:
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "sources", root / "sources")
    shutil.copy2(ROOT / "references.bib", root / "references.bib")
    (root / "docs").mkdir()
    return root, cf.load_project(root)


def real_check(real, markdown: str) -> cf.Result:
    _, project = real
    return cf.check_markdown(markdown, "page.md", project, "docs/page.md")


def test_real_sources_load_without_problems(real):
    _, project = real
    assert project.problems == []
    assert len(project.sources) == 4 and all(s is not None and s.occ for s in project.sources.values())


REAL_GOOD = """
- Huawei's overseas revenue was US$56.3 billion in 2022, nearly 60% of sales [@li2025twoway, sec. 3.2].
- It runs 14 global R&D centres and seven joint laboratories [@li2025twoway, table 1].
- Alibaba's GMV reached RMB 1.66 trillion in more than 240 countries and regions [@li2025twoway, sec. 3.2].

Private consumption was 39.6 percent of GDP in 2023, up 1.8 percentage points, below the 50 percent-plus
of advanced economies; spending per head was RMB 26,796 [@li2025twoway, sec. 4.1]. CBAM may add 1.5–2 percent
to costs and €2.1 billion of duties by 2030, and suppress 11–13 percent of exports [@li2025twoway, sec. 4].
Controls on sub-2 nm equipment could set chipmaking back by two to
three years [@li2025twoway, sec. 4.2].

Guangdong's digital economy reached USD818 billion (RMB5.2 trillion), 46.9% of GDP and 8.3 percentage points
above the national average [@guangdongndbrief, sec. Guangdong as China’s Dual-Circulation Technological Hub].
Guangzhou filed 6,558 patents in 2016–2022, behind Beijing (25,055) [@guangdongndbrief, sec. Problems Ahead].
The Five-Year Plan (2018－2022) [@guangdongndbrief, sec. case study: guangzhou and shenzhen's longhua district].
The tertiary share rose from 40.08% in 2017 to 52.16% in 2019 [@guangdongndbrief, sec. Case Study: Guangzhou and Shenzhen's Longhua District].

Zhao lists five priorities [@zhaondinnovative, para. 9]. The middle class numbers over 400 million
[@chinesedreamndinternal, para. 23].
"""


def test_real_chapter_passes(real):
    r = real_check(real, REAL_GOOD)
    assert r.ok, messages(r)
    assert r.figures == 33


def test_real_ledger_joins_lines_broken_in_the_source(real):
    r = real_check(real, "It was 46.9% [@guangdongndbrief, sec. Guangdong as China's Dual-Circulation Technological Hub].")
    (row,) = r.rows
    assert row.source_line == 276
    assert "taking up 46.9% of the province’s GDP and 8.3 points above the national average." in row.source_sentence


@pytest.mark.parametrize("markdown,expected", [
    ("It was 46.9% [@guangdongndbrief, sec. Problems Ahead].",
     "46.9% at line 276 (sec. Guangdong as China's Dual-Circulation Technological Hub)"),
    ("It was 46.8% [@guangdongndbrief, sec. Problems Ahead].", "46.8% at line 331 (sec. Guangdong as China's"),
    ("It could generate €2.1 billion [@li2025twoway, sec. 4.1].", "€2.1 billion at line 75 (sec. 4.2)"),
    ("Huawei has 14 global R&D centres [@guangdongndbrief].", "found in [@li2025twoway] at line"),
    ("It rose 1.8 percent [@li2025twoway, sec. 4.1].", '"1.8 percentage points" at line 69 has the same number'),
    ("It was 46.9 billion [@guangdongndbrief].", '"46.9%" at line 276 has the same number in another unit'),
    ("Europe gave 2 billion [@guangdongndbrief, sec. Problems Ahead].", '"2%" at line 500 has the same number'),
    ("Trade was USD2.5 million in 1981 [@guangdongndbrief, sec. Historical Context].", "USD2.5 billion at line 99"),
    ("A set-back of three to four years [@li2025twoway, sec. 4.2].", 'figure "three to four years" is not in'),
    ("Guangzhou filed 6,585 patents [@guangdongndbrief, sec. Problems Ahead].", "nearest: 6,558 at line 530"),
    ("There were five priorities [@zhaondinnovative, para. 8].", "five at line 19 (para. 9)"),
])
def test_real_traps(real, markdown, expected):
    msg = one_problem(real_check(real, markdown))
    assert expected in msg, msg


def test_real_every_source_figure_quoted_where_it_stands_maps_back(real):
    """Both sides use the same parser: each figure of the four sources, quoted as the source
    writes it and cited with the locator of its own passage, must map back to that passage."""
    _, project = real
    checked = 0
    for src in project.sources.values():
        for o in src.occ:
            if o.fig.word_ordinal:
                continue                                    # "fifth": not a figure in a chapter
            where = "" if o.where == "whole source" else ", " + o.where
            r = real_check(real, f"The source gives {o.fig.text} here [@{src.key}{where}].")
            assert r.ok and r.rows, (o.fig.text, o.line, messages(r))
            checked += 1
    assert checked > 200


# ---------------------------------------------------------------------------
# External figures: from public evidence that is not vendored
# ---------------------------------------------------------------------------
def test_external_figure_citing_its_evidence_is_recorded_not_verified(tree):
    r = run(tree, 'Alpha gives 46.9% [@alpha2024report, sec. 1.1], against <span class="external">38.6%</span> '
                  'in a book [@gamma2019book, p. 4].\n')
    assert r.ok, messages(r)
    external = [row for row in r.rows if row.kind == "external"]
    assert [(row.figure, row.unit, row.status, row.key) for row in external] == [
        ("38.6%", "percent", "cited", "gamma2019book")]
    assert r.figures == 1  # only the sourced figure counts as checked against a vendored text


def test_each_external_figure_is_credited_to_the_evidence_that_follows_it(tree):
    """A table row or sentence with two pieces of evidence: each figure goes to the citation
    after it, not to the first one in the unit; a figure after the last citation, to that one."""
    extra = UNVENDORED_BIB + "@misc{delta2017report,\n  title = {Another Unvendored Report},\n  year = {2017},\n}\n"
    root = write_project(tree.parent / "proj2", {A: ("sources/alpha.txt", ALPHA, ALPHA_LOCATORS)}, extra)
    r = run(root, '| Note | A book gives <span class="external">38.6%</span> [@gamma2019book, p. 4]; a report gives '
                  '<span class="external">17.5%</span> [@delta2017report], and then '
                  '<span class="external">41.2%</span>. |\n')
    assert r.ok, messages(r)
    assert [(row.figure, row.key) for row in r.rows if row.kind == "external"] == [
        ("38.6%", "gamma2019book"), ("17.5%", "delta2017report"), ("41.2%", "delta2017report")]


def test_external_figure_without_its_evidence_is_a_problem(tree):
    r = run(tree, 'Alpha gives 46.9% against <span class="external">38.6%</span> [@alpha2024report, sec. 1.1].\n')
    assert one_problem(r).startswith('docs/page.md:1:50: external figure "38.6%" has no citation to the public '
                                     "evidence it comes from in its sentence")


def test_an_unmarked_figure_citing_only_unvendored_evidence_is_still_a_problem(tree):
    r = run(tree, "A book says 38.6% [@gamma2019book, p. 4].\n")
    assert "no vendored source file" in one_problem(r)


@pytest.mark.parametrize("text, named", [("a:\n\t- b\n", "'\\t'"), ("a: *x\n", "alias 'x'")])
def test_bad_yaml_is_reported_with_what_was_found(text, named):
    """YAML is parsed by libyaml, whose errors leave out what it found; the message is PyYAML's own."""
    with pytest.raises(yaml.YAMLError) as error:
        cf.load_yaml(text)
    assert named in str(error.value)


def test_yaml_data_is_the_same_as_pyyaml_s_own():
    for name in ("sources/manifest.yaml", "glossary.yaml", "charts.yaml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert cf.load_yaml(text) == yaml.safe_load(text), name
