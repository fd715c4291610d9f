"""primer.checks.figures.checker: derived, editorial and external figures, and input that stops the check.

Each builds a small project in a temporary folder (tests/figure_check/small_project.py) unless it
says it uses the real sources."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from figure_check.small_project import (
    ALPHA,
    ALPHA_LOCATORS,
    DERIVED,
    GOOD,
    UNVENDORED_BIB,
    A,
    messages,
    one_problem,
    run,
    write_project,
)
from primer.checks import figures as cf

# ---------------------------------------------------------------------------
# Derived and editorial figures
# ---------------------------------------------------------------------------


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
    (lambda t: (t / "sources" / "manifest.yaml").write_text("other: 1\n", encoding="utf-8"),
     "sources/manifest.yaml:1: expected `sources:` followed by a list of sources"),
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
    (tree / "docs" / "page.md").write_bytes("Café 46.9%".encode() + b" \xe9t\xe9\n")
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
