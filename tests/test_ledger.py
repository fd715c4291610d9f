"""The figure check gates the real chapters and the build, and its ledger is
published complete: figures.json, figures.csv and the Figure ledger page."""
from __future__ import annotations

import csv
import json
import re

import pytest

import check_figures
from conftest import ROOT, mkdocs_build

import sys
sys.path.insert(0, str(ROOT / "hooks"))
from ledger import heading_anchors, ledger_page  # noqa: E402


def test_every_figure_in_the_chapters_maps_to_its_source():
    result = check_figures.check([ROOT / "docs"], root=ROOT)
    assert result.figures > 0, "no figure found in docs/: the check would pass vacuously"
    assert not result.problems, "\n" + "\n".join(map(str, result.problems)) + "\n" + result.summary()


def test_ledger_files_hold_every_figure(built_site):
    result = check_figures.check([ROOT / "docs"], root=ROOT)
    data = json.loads((built_site / "figures.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == len(result.rows)
    assert data["summary"]["problems"] == 0
    with open(built_site / "figures.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == check_figures.ROW_FIELDS
    assert len(rows) - 1 == len(result.rows)
    sourced = [r for r in data["rows"] if r["kind"] == "sourced"]
    assert sourced and all(r["source_file"].startswith("sources/") and r["source_line"] for r in sourced)


def test_ledger_pages_list_every_figure_with_a_link_to_its_use(built_site):
    result = check_figures.check([ROOT / "docs"], root=ROOT)
    overview = (built_site / "reference" / "figure-ledger" / "index.html").read_text(encoding="utf-8")
    pages = sorted({row.page for row in result.rows})
    links = []
    for page in pages:
        sub = ledger_page(page).removeprefix("reference/figure-ledger/").removesuffix(".md")
        assert f'href="{sub}/"' in overview, f"the overview does not link to the ledger of {page}"
        html_text = (built_site / "reference" / "figure-ledger" / sub / "index.html").read_text(encoding="utf-8")
        page_links = re.findall(r'<a href="([^"]+)">line \d+</a>', html_text)
        assert len(page_links) == sum(row.page == page for row in result.rows), page
        links += page_links
    assert len(links) == len(result.rows)
    assert all("#" in link for link in links if "sources/" in link)  # a section anchor, not just the page


def test_heading_anchors_agree_with_the_built_pages(built_site):
    """The ledger links to sections by computing their ids; each must exist."""
    checked = 0
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs").with_suffix("")
        html_path = built_site / (rel.parent if rel.name == "index" else rel) / "index.html"
        ids = set(re.findall(r'id="([^"]+)"', html_path.read_text(encoding="utf-8")))
        for line, anchor in heading_anchors(md.read_text(encoding="utf-8")):
            checked += 1
            assert anchor in ids, f"docs/{md.relative_to(ROOT / 'docs')}:{line}: computed id {anchor!r} not in page"
    assert checked > 10


def test_a_wrong_figure_fails_the_strict_build(project_copy, tmp_path):
    page = project_copy / "docs" / "sources" / "index.md"
    text = page.read_text(encoding="utf-8")
    assert "EMSS 2025 [@li2025twoway" in text
    page.write_text(text.replace("EMSS 2025 [@li2025twoway", "EMSS 2024 [@li2025twoway"), encoding="utf-8")
    line = text[: text.index("EMSS 2025 [@li2025twoway")].count("\n") + 1
    result = mkdocs_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f'docs/sources/index.md:{line}:' in output and 'figure "2024" is not in [@li2025twoway' in output, output
    assert "Traceback" not in output


def test_ledger_pages_stay_out_of_the_search_index(built_site):
    """They repeat every figure of the chapters; in the index they would double its size."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert any(loc.startswith("primer/") for loc in locations)
    assert not [loc for loc in locations if loc.startswith("reference/figure-ledger/") and loc.count("/") > 2]


# ---------------------------------------------------------------------------
# The check's results kept between builds (hooks/ledger.py, hooks/glossary.py: .cache/figures/)
# ---------------------------------------------------------------------------
def test_the_check_cache_gives_the_checks_result_and_never_a_stale_one(project_copy, tmp_path, monkeypatch):
    root, folder = project_copy, tmp_path / "cache"

    def cached():
        return check_figures.check([root / "docs"], root=root, cache=check_figures.ResultCache(folder, root))

    fresh = check_figures.check([root / "docs"], root=root)
    assert fresh.rows and not fresh.problems
    assert cached() == fresh                                              # empty cache: checked, and kept
    checked, real_check_markdown = [], check_figures.check_markdown

    def counting(text, page, project, display_path=None):
        checked.append(page)
        return real_check_markdown(text, page, project, display_path)
    monkeypatch.setattr(check_figures, "check_markdown", counting)
    with monkeypatch.context() as m:
        m.setattr(check_figures, "load_project", lambda root: pytest.fail("loaded the project for cached pages"))
        assert cached() == fresh and checked == []                        # all from the cache
        assert check_figures.to_json(cached()) == check_figures.to_json(fresh)

    # A chapter changes: that page alone is checked again, and its new problem is reported.
    page = root / "docs" / "sources" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("EMSS 2025 [@li2025twoway", "EMSS 2024 [@li2025twoway"), encoding="utf-8")
    result = cached()
    assert checked == ["sources/index.md"]
    assert result == check_figures.check([root / "docs"], root=root)
    assert any('figure "2024" is not in [@li2025twoway' in str(p) for p in result.problems)
    page.write_text(text, encoding="utf-8")
    checked.clear()
    assert cached() == fresh and checked == []                            # back as it was: the kept result

    # A vendored source, references.bib or the manifest changes: every page is checked again.
    source = root / "sources" / "li-2025-two-way-internationalization.txt"
    for path, edit in ((source, lambda s: s.replace("2025", "2024", 1)),
                       (root / "references.bib", lambda s: s + "\n% a comment\n"),
                       (root / "sources" / "manifest.yaml", lambda s: s + "\n# a comment\n")):
        before = path.read_text(encoding="utf-8")
        path.write_text(edit(before), encoding="utf-8")
        checked.clear()
        result = cached()
        assert len(checked) == fresh.pages, path
        assert result == check_figures.check([root / "docs"], root=root), path
        path.write_text(before, encoding="utf-8")
    checked.clear()
    assert cached() == fresh and checked == []                            # all restored: the kept results


def test_the_check_cache_key_holds_the_checks_own_code(project_copy, tmp_path, monkeypatch):
    cache = check_figures.ResultCache(tmp_path, project_copy)
    key = cache.project_key()
    code = check_figures._code_state()
    assert (ROOT / "scripts" / "check_figures.py").read_bytes() in code
    monkeypatch.setattr(check_figures, "_code_state", lambda: code + ["another version"])
    assert check_figures.ResultCache(tmp_path, project_copy).project_key() != key
