"""primer.checks.figures.passages: matching against the cited passage, locators, the real vendored sources
(copied; docs/ is not read), the manifest's YAML.

Each builds a small project in a temporary folder (tests/figure_check/small_project.py) unless it
says it uses the real sources."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from figure_check.small_project import ROOT, A, messages, one_problem, run, sourced
from primer.checks import figures as cf
from primer.site import passages


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
    listed = passages.read_manifest(ROOT)
    assert len(project.sources) == len(listed) > 0 and all(s is not None and s.occ for s in project.sources.values())


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
