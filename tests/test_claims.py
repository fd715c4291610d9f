"""The claims check (primer.checks.figures.claims, claim_check, quotations): every cited unit's passage, every
quotation verified word for word, figures at sentence level; planted defects in the real chapters, checked
in-process (the strict build's failure on the same defects is in tests/test_claims_build.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from primer.checks import figures
from primer.checks.figures import claims as claims_mod
from primer.checks.figures import quotations
from primer.site import passages

ROOT = Path(__file__).resolve().parent.parent
LI = "sources/li-2025-two-way-internationalization.md"
DOMESTIC = "primer/domestic-circulation.md"
GBA = "primer/guangdong-greater-bay-area.md"

# Planted defects: (page, text as written, planted, what the problem says)
WORD_IN_QUOTATION = (GBA, "the former colonies of Hong Kong and Macau", "the British colonies of Hong Kong and Macau",
                     'quotation "')
FIGURE_SWAPPED = (LI, "| 7 joint innovation labs |", "| 2 joint innovation labs |", 'figure "2" is not in')
WRONG_SECTION = (DOMESTIC, '"comparatively low and uneven"\n[@li2025twoway, sec. 4.1]',
                 '"comparatively low and uneven"\n[@li2025twoway, sec. 3.1]', "it is at line 69 (sec. 4.1)")
DEFECTS = [WORD_IN_QUOTATION, FIGURE_SWAPPED, WRONG_SECTION]


@pytest.fixture(scope="module")
def project():
    return figures.load_project(ROOT)


@pytest.fixture(scope="module")
def result():
    return figures.check([ROOT / "docs"], root=ROOT)


def plant(page: str, written: str, planted: str) -> tuple[str, int]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert text.count(written) == 1, f"{written!r} is not once in docs/{page}: update the test"
    return text.replace(written, planted), text[:text.index(written)].count("\n") + 1


def check(project, page, text):
    return figures.check_markdown(text, page, project, f"docs/{page}")


def test_the_chapters_pass(result):
    assert not result.problems, "\n".join(map(str, result.problems))


@pytest.mark.parametrize("page,written,planted,says", DEFECTS, ids=["word-in-quotation", "figure-swapped", "wrong-section"])
def test_a_planted_defect_fails_with_page_and_line(project, page, written, planted, says):
    text, line = plant(page, written, planted)
    problems = [str(p) for p in check(project, page, text).problems]
    assert problems, f"the defect in docs/{page}:{line} passed"
    assert any(p.startswith(f"docs/{page}:{line}:") and says in p for p in problems), problems


def test_a_changed_quotation_names_the_closest_source_text(project):
    text, line = plant(*WORD_IN_QUOTATION[:3])
    [problem] = [str(p) for p in check(project, GBA, text).problems]
    assert re.match(rf'docs/{GBA}:{line}:\d+: quotation "harbours the British colonies of Hong Kong and Macau', problem)
    assert "(sources/guangdong-technological-dual-circulation-brief.txt); closest: \"" in problem
    assert re.search(r'closest: "[^"]*former colonies[^"]*" at line \d+$', problem), problem


def test_a_figure_swapped_within_its_section_fails(project):
    """240+ markets changed to 14: 14 is in Table 1 (Huawei's R&D centres), so the section-wide check of
    old passed it; the Alibaba row's passage is its own line of the table, which has 240 + and not 14. What
    each figure counts (its role) tells them apart first: the table's 14 counts R&D centres, its 240 + markets."""
    text = (ROOT / "docs" / LI).read_text(encoding="utf-8")
    assert text.count("240+ markets") == 1
    problems = [str(p) for p in check(project, LI, text.replace("240+ markets", "14 markets")).problems]
    assert any('figure "14" counts "markets" here' in p and 'gives 240 + for that' in p
               and 'its 14 counts "Global R&D centers"' in p for p in problems), problems


def test_each_chapter_unit_with_a_text_has_its_passage(result):
    assert result.claims
    for claim in result.claims:
        if claim.method == "absence":   # an absence claim rests on a search of the whole source, its note says which
            assert claim.passage.startswith("Searched the whole text for ") and not claim.source_lines, claim
            continue
        assert claim.passage and claim.source_lines, claim
        assert claim.method in ("quotation", "figure", "wording")
        assert 0 <= claim.score <= 100


def test_the_review_list_is_bounded(result):
    """A change that makes many passages weak (a worse matcher, locators gone astray) fails here."""
    s = claims_mod.summary(result.claims)
    assert s["claims"] >= 1100
    assert s["weak"] <= 0.15 * s["claims"], s
    assert s["quotation"] + s["figure"] >= 0.55 * s["claims"], s


def test_figures_are_matched_in_their_sentence_first(result):
    sourced = [r for r in result.rows if r.kind == "sourced" and r.status == "ok"]
    assert {r.match for r in sourced} <= {"sentence", "section"}
    assert sum(r.match == "section" for r in sourced) <= 0.05 * len(sourced)


def test_every_quotation_is_counted(result):
    q = result.quotations
    assert q["checked"] >= 800 and q["translations"] >= 2 and q["mentions"] >= 3


@pytest.mark.parametrize("quoted,source", [
    ("not parallel tracks", "are “not parallel tracks” but"),
    ("going out", 'both "going out" and'),
    ("pursuing 'decoupling' and", 'pursuing "decoupling" and'),
    ("mutually reinforcing loops", "mutually rein-\nforcing\n loops"),
    ("high-end shortage", "high-\nend shortage"),
    ("reached US $56.3 billion", "reached US \\$56.3 billion"),
    ("supply … demand", "supply meets demand"),
    ("supply [...] demand", "supply meets demand"),
    ("[its] growth", "the growth"),
    ("Problems Ahead", "PROBLEMS AHEAD"),
    ("Consumption has become", "consumption has become"),
    ("the engine.", "the engine of growth"),
])
def test_allowed_differences(quoted, source):
    assert quotations.search(quoted, source), (quoted, source)


@pytest.mark.parametrize("quoted,source", [
    ("the three former colonies", "the two former colonies"),
    ("not parallel tracks", "not parallel lines"),
    ("problems ahead", "Problems Ahead"),
    ("supply demand", "supply meets demand"),
])
def test_differences_that_fail(quoted, source):
    assert not quotations.search(quoted, source)


def test_translations_and_mentions_are_exempt(project):
    page = "reference/scratch.md"
    text = ('The brief reports it [@guangdongndbrief, sec. Summary]; 促进 means <span class="translation">"promotion"</span> '
            'and it never says <span class="mention">"export controls"</span> [@guangdongndbrief, sec. Summary].\n')
    result = check(project, page, text)
    assert not result.problems, result.problems
    assert result.quotations["mentions"] == 1 and result.quotations["translations"] == 1
    planted = text.replace('<span class="mention">"export controls"</span>', '"export controls"')
    assert [p for p in check(project, page, planted).problems if 'quotation "export controls"' in str(p)]


def test_republish_follows_the_licence():
    entries = passages.read_manifest(ROOT)
    assert not passages.manifest_problems(entries)
    for entry in entries:
        assert entry["republish"] == passages.policy(entry), entry["file"]
        if not passages.is_open(entry.get("licence")):
            assert entry["republish"] != "whole", entry["file"]
    for licence in ("unknown (no licence stated)", "All rights reserved", "CC BY-NC 4.0", "CC BY-ND 4.0"):
        problems = passages.manifest_problems([{"file": "x.txt", "licence": licence, "republish": "whole"}])
        assert problems and "not an open licence" in problems[0], licence
    for licence in ("", None):   # none given: say so, and what to write
        problems = passages.manifest_problems([{"file": "x.txt", "licence": licence, "republish": "whole"}])
        assert problems and "no licence given" in problems[0], licence
    assert not passages.manifest_problems([{"file": "x.txt", "licence": "CC BY 4.0", "republish": "whole"}])


def test_text_fragment_encodes_the_passage():
    fragment = passages.text_fragment("The rise of well-known, long-standing firms in Guangdong and Shenzhen today")
    assert fragment == ":~:text=The%20rise%20of%20well%2Dknown%2C,Guangdong%20and%20Shenzhen%20today"


def test_the_ledger_and_review_report(result, tmp_path):
    csv_text = claims_mod.to_csv(result.claims)
    assert csv_text.splitlines()[0].split(",") == claims_mod.CLAIM_FIELDS
    report = claims_mod.review_report(result.claims)
    weak = [c for c in result.claims if c.status == "weak"]
    assert report.count("\n- `docs/") == len(weak)


def test_the_source_text_page_names_its_licence_and_every_line():
    whole = [e for e in passages.read_manifest(ROOT) if e["republish"] == "whole"]
    assert whole, "no source is republished whole: this test would pass vacuously"
    for entry in whole:
        text = (ROOT / entry["file"]).read_text(encoding="utf-8")
        page = passages.render_text_page(entry, text)
        assert f'<a href="{passages.licence_url(entry["licence"])}">' in page
        numbered = {int(n) for n in re.findall(r'id="line-(\d+)"', page)}
        assert numbered == {i for i, line in enumerate(text.split("\n"), 1) if line.strip()} | {
            int(s["start"]) for s in entry["locators"].get("sections") or []}
    assert passages.licence_url("unknown (no licence stated)") == ""
