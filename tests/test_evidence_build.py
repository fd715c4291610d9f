"""Public evidence and absence claims in the strict build: a changed figure resting on a kept passage, a malformed
sources/evidence.yaml and an absence claim whose word the source holds each stop it, with the place and the fix;
the real site shows the kept passages and lists the rest."""
from __future__ import annotations

from conftest import mkdocs_build


def test_a_changed_figure_a_bad_evidence_entry_and_a_false_absence_fail_the_strict_build(project_copy, tmp_path):
    notes = project_copy / "docs" / "reference" / "source-notes.md"
    text = notes.read_text(encoding="utf-8")
    assert 'expenditure was <span class="external">26,796</span>' in text
    text = text.replace('expenditure was <span class="external">26,796</span>', 'expenditure was <span class="external">26,769</span>')
    notes.write_text(text, encoding="utf-8")
    figure_line = text[: text.index("26,769")].count("\n") + 1
    risks = project_copy / "docs" / "primer" / "external-risks.md"
    page = risks.read_text(encoding="utf-8")
    page = page.replace('data-searched="export control*; sanction*;', 'data-searched="semiconductor*; export control*; sanction*;')
    risks.write_text(page, encoding="utf-8")
    absence_line = page[: page.index("semiconductor*;")].count("\n") + 1
    evidence = project_copy / "sources" / "evidence.yaml"
    yaml_text = evidence.read_text(encoding="utf-8").replace("    read: 2026-12-07\n", "    read: last week\n", 1)
    evidence.write_text(yaml_text, encoding="utf-8")
    yaml_line = yaml_text[: yaml_text.index("read: last week")].count("\n") + 1

    result = mkdocs_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"docs/reference/source-notes.md:{figure_line}:" in output, output
    assert 'external figure "26,769" is not in the passage kept for [@shine2024china]' in output, output
    assert f"docs/primer/external-risks.md:{absence_line}:" in output, output
    assert 'absence claim: "semiconductor…" occurs in [@zhaondinnovative] at line 5 (para. 2)' in output, output
    assert f'sources/evidence.yaml:{yaml_line}:11: read "last week" is not a date' in output, output
    assert "Traceback" not in output


def test_the_site_shows_kept_passages_and_lists_public_evidence_without_one(built_site):
    ledger = (built_site / "reference" / "claims-ledger" / "index.html").read_text(encoding="utf-8")
    assert 'id="public-evidence-without-a-passage"' in ledger
    assert "rest on public evidence whose passage the primer does not keep" in ledger
    page = (built_site / "primer" / "agreement-and-disagreement" / "index.html").read_text(encoding="utf-8")
    assert ('data-cite-key="shine2024china" data-cite-locator=""><span class="cite-label">Shine 2024</span> '
            '<q class="cite-passage">The national per capita consumption expenditure was <mark>26,796 yuan</mark>') in page
    assert "https://www.shine.cn/biz/economy/2403089725/#:~:text=" in page
    risks = (built_site / "primer" / "external-risks" / "index.html").read_text(encoding="utf-8")
    assert '<span class="cite-absence">Searched the whole text for “export control…”' in risks
