"""The figure check gates the real chapters and the build, and its ledger is
published complete: figures.json, figures.csv and the Figure ledger page."""
from __future__ import annotations

import csv
import json
import re

import markdown
import pytest
from conftest import ROOT, mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File, get_files
from mkdocs.structure.pages import Page

from primer.build.stages import figure_ledger as _ledger
from primer.checks import figures
from primer.checks.figures import cache as figures_cache

COLUMNS, _cell, _html, _table = _ledger.COLUMNS, _ledger._cell, _ledger._html, _ledger._table
heading_anchors, ledger_page, render, with_abbreviations = (
    _ledger.heading_anchors, _ledger.ledger_page, _ledger.render, _ledger.with_abbreviations)


def test_every_figure_in_the_chapters_maps_to_its_source():
    result = figures.check([ROOT / "docs"], root=ROOT)
    assert result.figures > 0, "no figure found in docs/: the check would pass vacuously"
    assert not result.problems, "\n" + "\n".join(map(str, result.problems)) + "\n" + result.summary()


def test_ledger_files_hold_every_figure(built_site):
    result = figures.check([ROOT / "docs"], root=ROOT)
    data = json.loads((built_site / "figures.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == len(result.rows)
    assert data["summary"]["problems"] == 0
    with open(built_site / "figures.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == figures.ROW_FIELDS
    assert len(rows) - 1 == len(result.rows)
    sourced = [r for r in data["rows"] if r["kind"] == "sourced"]
    assert sourced and all(r["source_file"].startswith("sources/") and r["source_line"] for r in sourced)


def test_ledger_pages_list_every_figure_with_a_link_to_its_use(built_site):
    result = figures.check([ROOT / "docs"], root=ROOT)
    overview = (built_site / "reference" / "figure-ledger" / "index.html").read_text(encoding="utf-8")
    pages = sorted({row.page for row in result.rows})
    links = []
    for page in pages:
        sub = ledger_page(page).removeprefix("reference/figure-ledger/").removesuffix(".md")
        assert f'href="{sub}/"' in overview, f"the overview does not link to the ledger of {page}"
        html_text = (built_site / "reference" / "figure-ledger" / sub / "index.html").read_text(encoding="utf-8")
        page_links = re.findall(r'<a class="ledger-used-in" href="([^"]+)">', html_text)
        assert len(page_links) == sum(row.page == page for row in result.rows), page
        # the table's links (written by the build) go where MkDocs sends the intro's Markdown link to the page
        intro = re.search(r'<p>Every figure on <a href="([^"]+)">', html_text).group(1)
        assert {link.split("#")[0] for link in page_links} == {intro}, page
        links += page_links
    assert len(links) == len(result.rows)
    assert all("#" in link for link in links if "sources/" in link)  # a section anchor, not just the page


# Every href of the built ledger pages, anchors included, is checked with the rest of the site by
# tests/test_links.py (test_real_site_has_no_broken_internal_link_or_anchor).

@pytest.mark.parametrize("directory_urls", [True, False])
def test_ledger_links_are_the_urls_mkdocs_writes_for_the_markdown_link(tmp_path, directory_urls):
    """The table is HTML, which MkDocs does not rewrite: its hrefs must be what MkDocs would write."""
    (tmp_path / "docs" / "sources").mkdir(parents=True)
    (tmp_path / "docs" / "sources" / "a-page.md").write_text(
        "# A page\n\nIntro.\n\n## A section\n\nIt grew 5% in 2020.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nuse_directory_urls: {str(directory_urls).lower()}\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    row = figures.Row(page="sources/a-page.md", line=7, col=10, figure="5%", value="5", unit="percent",
                            kind="editorial", status="ok")
    pages, tables = render(figures.Result(rows=[row], pages=1), tmp_path / "docs", files, config)
    sub = ledger_page("sources/a-page.md")
    table, links = tables[sub]
    (href,) = re.findall(r'<a class="ledger-used-in" href="([^"]+)">A section</a>', table)
    assert links == [("sources/a-page.md", "a-section", "../../sources/a-page.md#a-section")]
    file = File(sub, None, config.site_dir, config.use_directory_urls)  # the ledger page, with the link in Markdown
    file.content_string = pages[sub].replace("<!--", f"[A section]({links[0][2]})\n\n<!--")
    files.append(file)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, files)
    assert re.findall(r'<a href="([^"]+)">A section</a>', page.content) == [href]
    assert href.endswith("#a-section") and ("a-page/#" if directory_urls else "a-page.html#") in href


def test_a_wrong_ledger_link_fails_the_strict_build(project_copy, tmp_path):
    """MkDocs checks the table's links to sections as it checks the anchors of Markdown links."""
    (project_copy / "scripts" / "primer" / "build" / "stages" / "figure_ledger.py").open("a", encoding="utf-8").write(
        "\n_real_headings = headings\n\n\n"
        "def headings(markdown):  # every section link of the ledger made wrong\n"
        "    return [(line, anchor + '-gone', text) for line, anchor, text in _real_headings(markdown)]\n")
    result = mkdocs_build(project_copy, tmp_path / "site", own_code=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"Doc file 'reference/figure-ledger/sources-index\.md' contains a link "
                     r"'\.\./\.\./sources/index\.md#[\w-]+-gone', but the doc 'sources/index\.md' does not "
                     r"contain an anchor", output), output


def test_the_table_is_the_html_python_markdown_writes_for_it():
    """The same <table> as a Markdown table of the same cells (with the abbr extension)."""
    cells = [["FDI & R&D", 'a "quote", it\'s > 2', "FDIs FDI’s (FDI)"], ["*x* _y_ `z` [l](u) \\$ | @key", "", "GBA"]]
    abbreviations = '*[FDI]: foreign "direct" investment, Li\'s & <b>\n*[GBA]: Greater Bay Area\n*[R&D]: research'
    md = "\n".join(["| " + " | ".join(_cell(c) for c in row) + " |" for row in [COLUMNS[:3], ["---"] * 3, *cells]])
    expected = markdown.markdown(f"{md}\n\n{abbreviations}\n", extensions=["tables", "abbr"])
    table = _table(COLUMNS[:3], [[_html(c) for c in row] for row in cells])
    assert with_abbreviations(table, abbreviations) == expected
    assert with_abbreviations(table, "no abbreviations") == table
    assert _html("a <b> & c") == "a &lt;b&gt; &amp; c"  # (as Markdown, _cell gave "\\&lt;b&gt;": < has no escape)


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
# The check's results kept between builds (primer.build.stages.figure_ledger, primer.build.stages.glossary: .cache/figures/)
# ---------------------------------------------------------------------------
def test_the_check_cache_gives_the_checks_result_and_never_a_stale_one(cold_project_copy, tmp_path, monkeypatch):
    """Each result is compared with the check's own, made afresh; the copy keeps four pages (a chapter per kind of
    page and the one edited below), so that each fresh check is a fifth of the whole primer's."""
    root, folder = cold_project_copy, tmp_path / "cache"
    kept = {"sources/index.md", "sources/li-2025-two-way-internationalization.md", "primer/external-risks.md",
            "reference/timeline.md"}
    for page in (root / "docs").rglob("*.md"):
        if page.relative_to(root / "docs").as_posix() not in kept:
            page.unlink()

    def cached():
        return figures.check([root / "docs"], root=root, cache=figures.ResultCache(folder, root))

    fresh = figures.check([root / "docs"], root=root)
    assert fresh.rows and not fresh.problems and fresh.pages == len(kept)
    assert cached() == fresh                                              # empty cache: checked, and kept
    checked, real_check_markdown = [], figures.check_markdown

    def counting(text, page, project, display_path=None, *data_file):
        checked.append(page)
        return real_check_markdown(text, page, project, display_path, *data_file)
    monkeypatch.setattr(figures_cache, "check_markdown", counting)  # what ResultCache calls
    with monkeypatch.context() as m:
        m.setattr(figures_cache, "load_project", lambda root: pytest.fail("loaded the project for cached pages"))
        assert cached() == fresh and checked == []                        # all from the cache
        assert figures.to_json(cached()) == figures.to_json(fresh)

    # A chapter changes: that page alone is checked again, and its new problem is reported.
    page = root / "docs" / "sources" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("EMSS 2025 [@li2025twoway", "EMSS 2024 [@li2025twoway"), encoding="utf-8")
    result = cached()
    assert checked == ["sources/index.md"]
    assert result == figures.check([root / "docs"], root=root)
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
        assert result == figures.check([root / "docs"], root=root), path
        path.write_text(before, encoding="utf-8")
    checked.clear()
    assert cached() == fresh and checked == []                            # all restored: the kept results

    # The same text at another path is another page: checked, its rows name the new path.
    copy = root / "docs" / "sources" / "copy-of-index.md"
    copy.write_text(text, encoding="utf-8")
    result = cached()
    assert checked == ["sources/copy-of-index.md"]
    assert result == figures.check([root / "docs"], root=root)
    assert any(row.page == "sources/copy-of-index.md" for row in result.rows)


def test_the_check_cache_key_holds_the_checks_own_code(cold_project_copy, tmp_path, monkeypatch):
    cache = figures.ResultCache(tmp_path, cold_project_copy)
    key = cache.project_key()
    code = figures_cache._code_state()
    for module in sorted((ROOT / "scripts" / "primer" / "checks" / "figures").glob("*.py")):
        assert module.read_bytes() in code[1], module                    # every module of the check
    monkeypatch.setattr(figures_cache, "_code_state", lambda: code + ["another version"])
    assert figures.ResultCache(tmp_path, cold_project_copy).project_key() != key
