"""Absence claims (primer.checks.figures.absence): a sentence saying a source never says something cites the whole
source, and a search of its whole text proves the words absent; the citation's note says what was searched."""
from __future__ import annotations

from figure_check.small_project import messages, one_problem, run

BETA_WHOLE = "[@beta2023brief, para. 1–3]"


def test_an_absence_claim_passes_when_the_words_do_not_occur_and_its_note_says_what_was_searched(tree):
    r = run(tree, 'The brief names no <span class="absent" data-searched="export control*; sanction*">export controls '
                  f"or sanctions</span> {BETA_WHOLE}.\n")
    assert r.ok, messages(r)
    (claim,) = r.claims
    assert (claim.method, claim.status, claim.locator) == ("absence", "ok", "para. 1–3")
    assert claim.passage == "Searched the whole text for “export control…”, “sanction…”: none occurs."


def test_an_absence_claim_fails_when_a_searched_word_occurs_in_the_source(tree):
    msg = one_problem(run(tree, f'The brief never counts <span class="absent" data-searched="firms">firms</span> {BETA_WHOLE}.\n'))
    assert msg.startswith("docs/page.md:1:24: absence claim:"), msg
    assert '"firms" occurs in [@beta2023brief] at line 4 (para. 2): "Nine cities joined, with 53,000 firms."' in msg, msg
    assert "the source does say it" in msg


def test_a_stem_finds_any_ending_and_a_phrase_spans_a_line_break(tree):
    msg = one_problem(run(tree, f'It never says <span class="absent" data-searched="spend*">it</span> {BETA_WHOLE}.\n'))
    assert '"spend…" occurs in [@beta2023brief] at line 5' in msg, msg
    msg = one_problem(run(tree, '<span class="absent" data-searched="growth the share">x</span> [@alpha2024report].\n'))
    assert '"growth the share" occurs in [@alpha2024report] at line 3' in msg, msg


def test_an_absence_claim_citing_two_paragraphs_fails_and_names_the_whole_locator(tree):
    msg = one_problem(run(tree, 'The brief never names <span class="absent" data-searched="Hong Kong">Hong Kong</span> '
                                "[@beta2023brief, para. 2; @beta2023brief, para. 3].\n"))
    assert msg.startswith("docs/page.md:1:23: absence claim cites [@beta2023brief, para. 2], [@beta2023brief, para. 3], "
                          "not the whole source"), msg
    assert "([@beta2023brief, para. 1–3])" in msg, msg


def test_a_source_cited_by_section_is_whole_without_a_locator(tree):
    r = run(tree, 'The report never names <span class="absent" data-searched="Hong Kong">Hong Kong</span> [@alpha2024report].\n')
    assert r.ok, messages(r)
    msg = one_problem(run(tree, 'It never names <span class="absent" data-searched="Hong Kong">it</span> '
                                "[@alpha2024report, sec. 2].\n"))
    assert "not the whole source" in msg and "[@alpha2024report] (no locator)" in msg, msg


def test_an_absence_claim_without_its_searched_words_fails_with_the_syntax(tree):
    msg = one_problem(run(tree, f'The brief never names <span class="absent">Hong Kong</span> {BETA_WHOLE}.\n'))
    assert 'absence claim without the words searched for: write them in its span, <span class="absent" ' \
           'data-searched="word; other phrase; stem*">…</span>' in msg, msg


def test_the_reviewers_case_zhao_names_semiconductor_bottlenecks_in_para_2():
    """The primer once said Zhao never says what threatens the supply chains, citing paras 15 and 18; para. 2
    names semiconductor bottlenecks. Cited whole, the check finds the word there."""
    from figure_check.small_project import ROOT
    from primer.checks import figures as cf
    project = cf.load_project(ROOT)
    r = cf.check_markdown('Zhao never names <span class="absent" data-searched="semiconductor*">a weak link</span> '
                          "[@zhaondinnovative, para. 1–21].\n", "page.md", project)
    (msg,) = [str(p) for p in r.problems]
    assert '"semiconductor…" occurs in [@zhaondinnovative] at line 5 (para. 2)' in msg, msg
    narrow = cf.check_markdown('Zhao never names <span class="absent" data-searched="semiconductor*">a weak link</span> '
                               "[@zhaondinnovative, para. 15; @zhaondinnovative, para. 18].\n", "page.md", project)
    assert any("not the whole source" in str(p) and "[@zhaondinnovative, para. 1–21]" in str(p) for p in narrow.problems)
