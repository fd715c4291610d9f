"""Public evidence with its passage (primer.checks.figures.evidence): a claim citing a public-evidence work is
checked against the passage kept for it in sources/evidence.yaml; a malformed entry fails with file:line and the
fix; a citation of public evidence with no kept passage is listed."""
from __future__ import annotations

from figure_check.small_project import messages, one_problem, run

GAMMA = """evidence:
  - key: gamma2019book
    url: https://example.org/gamma
    read: 2026-12-07
    archive: none
    passages:
      - locator: para. 2
        text: >-
          The regulator was set up on 18 May 2023, with 2,000 teams
          to inspect "about 2,500 banking institutions".
"""


def write_evidence(root, text: str = GAMMA):
    (root / "sources" / "evidence.yaml").write_text(text, encoding="utf-8")
    return root


def test_an_external_figure_in_its_kept_passage_passes_and_points_at_it(tree):
    write_evidence(tree)
    r = run(tree, 'It was set up on <span class="external">18 May 2023</span> [@gamma2019book].\n')
    assert r.ok, messages(r)
    rows = [x for x in r.rows if x.kind == "external"]
    assert [(x.figure, x.status, x.key, x.source_file, x.source_line) for x in rows] == [
        (figure, "ok", "gamma2019book", "sources/evidence.yaml#gamma2019book", 9) for figure in ("18", "2023")]
    assert r.evidence == {"kept": 1, "unkept": 0} and r.unkept == []


def test_a_changed_figure_citing_a_kept_passage_fails(tree):
    write_evidence(tree)
    r = run(tree, 'It sent <span class="external">3,000</span> teams [@gamma2019book, para. 2].\n')
    msg = one_problem(r)
    assert msg.startswith("docs/page.md:1:"), msg
    assert 'external figure "3,000" is not in the passage kept for [@gamma2019book, para. 2]' in msg, msg
    assert "nearest: 2,500 at line 9 (kept passage para. 2), 2,000 at line 9" in msg, msg


def test_an_unmarked_figure_and_a_quotation_are_checked_against_the_kept_passage(tree):
    write_evidence(tree)
    good = run(tree, 'Teams were to inspect "about 2,500 banking institutions" [@gamma2019book].\n')
    assert good.ok, messages(good)
    assert [c.passage for c in good.claims][0].startswith("The regulator was set up on 18 May 2023")
    bad = run(tree, 'Teams were to inspect "about 2,600 banking institutions" [@gamma2019book].\n')
    assert any('quotation "about 2,600 banking institutions" is not in [@gamma2019book]' in m
               for m in messages(bad)), messages(bad)
    assert any('figure "2,600" is not in [@gamma2019book]' in m for m in messages(bad)), messages(bad)


def test_a_locator_naming_no_kept_passage_fails_with_the_kept_ones(tree):
    write_evidence(tree)
    msg = one_problem(run(tree, 'Set up in <span class="external">2023</span> [@gamma2019book, para. 5].\n'))
    assert 'locator "para. 5" names no passage kept for [@gamma2019book] in sources/evidence.yaml (kept: para. 2)' in msg


def test_a_citation_of_public_evidence_without_a_kept_passage_is_listed(tree):
    r = run(tree, 'Set up in <span class="external">2023</span> [@gamma2019book].\n')
    assert r.ok, messages(r)
    assert r.evidence == {"kept": 0, "unkept": 1}
    assert r.unkept == [["page.md", 1, 47, "gamma2019book", "Set up in 2023."]]
    from primer.checks.figures import evidence
    assert "`docs/page.md:1:47` [@gamma2019book]: Set up in 2023." in evidence.unkept_report(r.unkept)


def test_malformed_entries_fail_with_file_line_and_the_fix(tree):
    write_evidence(tree, """evidence:
  - key: gamma2019book
    url: example.org/gamma
    read: 7 December 2026
    archive: maybe
    passages:
      - locator: para. 2
        txt: The regulator was set up.
  - key: alpha2024report
    url: https://example.org/a
    read: 2026-12-07
    archive: none
    passages:
      - locator: para. 1
        text: Something.
  - key: nobody2020
    url: https://example.org/n
""")
    msgs = messages(run(tree, "No figures here.\n"))
    expected = [
        'sources/evidence.yaml:3:10: url "example.org/gamma" is not a web address',
        'sources/evidence.yaml:4:11: read "7 December 2026" is not a date; write the day the passage was read as YYYY-MM-DD',
        'sources/evidence.yaml:5:14: archive "maybe" is neither a web address nor none',
        'sources/evidence.yaml:8:9: unknown field "txt" in a passage',
        "sources/evidence.yaml:9:10: [@alpha2024report] is a source document (sources/alpha.txt)",
        "sources/evidence.yaml:16:5: the entry needs read, archive, passages",
    ]
    for want in expected:
        assert any(m.startswith(want) for m in msgs), (want, msgs)


def test_bad_yaml_fails_with_its_line(tree):
    write_evidence(tree, "evidence:\n  - key: gamma2019book\n   url: [oops\n")
    msg = [m for m in messages(run(tree, "No figures here.\n")) if m.startswith("sources/evidence.yaml")]
    assert msg and msg[0].startswith("sources/evidence.yaml:3:") and "not valid YAML" in msg[0], msg


def test_a_passage_longer_than_a_claim_needs_is_refused(tree):
    write_evidence(tree, GAMMA.replace("to inspect", "to inspect " + "many " * 120))
    msgs = messages(run(tree, "No figures here.\n"))
    assert any(m.startswith("sources/evidence.yaml:8:") and "more than 120" in m for m in msgs), msgs


def test_the_bench_counts_citations_with_and_without_a_kept_passage(tree):
    from primer.bench.builds import public_evidence
    write_evidence(tree)
    r = run(tree, 'Set up in <span class="external">2023</span> [@gamma2019book].\n\n'
                  "A claim [@gamma2019book; @gamma2019book, para. 2].\n")
    assert public_evidence(r) == {"kept": 3, "unkept": 0, "share_kept": 100.0, "unkept_list": []}
    (tree / "sources" / "evidence.yaml").unlink()
    r = run(tree, 'Set up in <span class="external">2023</span> [@gamma2019book].\n')
    assert public_evidence(r) == {"kept": 0, "unkept": 1, "share_kept": 0.0, "unkept_list": ["docs/page.md:1 [@gamma2019book]"]}
