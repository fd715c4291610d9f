"""The strict build fails on a wrong figure, a changed quotation or a quotation cited to the wrong section,
however it is run: `-q` hides warnings from MkDocs' own counter (mkdocs#4126) and `-v` turns off its anchor
validation (mkdocs#3991), so the check raises itself (primer.build.stages.figure_ledger). And the built site: every citation
of a source with a text shows its passage; Li's text has its page, the other sources none."""
from __future__ import annotations

import re

import pytest
from conftest import mkdocs_build
from test_claims import DEFECTS

CHAPTERS = ("primer/", "sources/", "index.html")


def _build(project, site, *flags):
    return mkdocs_build(project, site, *flags)


@pytest.fixture(scope="module")
def defective(tmp_path_factory, built_site):
    """A copy of the project with the three planted defects; the page:line of each. With the caches the session's
    build left (every one keyed by its inputs: the planted pages are checked again)."""
    from conftest import warm

    from primer.build.project_parts import copy_project
    project = copy_project(tmp_path_factory.mktemp("defects") / "project")
    warm(project)
    places = []
    for page, written, planted, _ in DEFECTS:
        path = project / "docs" / page
        text = path.read_text(encoding="utf-8")
        assert text.count(written) == 1
        places.append(f"docs/{page}:{text[:text.index(written)].count(chr(10)) + 1}:")
        path.write_text(text.replace(written, planted), encoding="utf-8")
    return project, places


@pytest.mark.parametrize("flag", ["-q", "-v"])
def test_planted_defects_fail_the_strict_build(defective, tmp_path, flag):
    project, places = defective
    result = _build(project, tmp_path / "site", flag)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"mkdocs build --strict {flag} passed with planted defects:\n{output[-3000:]}"
    for place in places:
        assert place in output, f"{place} not named by mkdocs build --strict {flag}:\n{output[-3000:]}"


def test_every_citation_of_a_source_with_a_text_shows_its_passage(built_site):
    """Each citation of a source with a text has its passage in its note's disclosure: quoted, or, of a source whose
    licence is unknown once the page has shown its share of it, a line saying so; of an absence claim, the words the
    search of the whole source looked for (never nothing)."""
    texts = ("Li 2025", "Zhao", "Guangdong brief", "Internal Circulation")
    missing, withheld_li, counted = [], [], 0
    for path in built_site.rglob("index.html"):
        rel = path.relative_to(built_site).as_posix()
        if not rel.startswith(CHAPTERS) or "/text/" in rel:
            continue
        for note in re.findall(r'<li id="fn:cite-\d+">(.*?)</li>', path.read_text(encoding="utf-8"), re.S):
            line = re.search(r"<summary>(.*?)</summary>|<p>(.*?)</p>", note, re.S)
            labels = re.findall(r'<span class="cite-label">(.*?)</span>', line.group(0))
            items = dict(re.findall(r'<p class="cite-passage-item"[^>]*><span class="cite-label">(.*?)</span>(.*?)</p>',
                                    note, re.S))
            for label in labels:
                if not label.startswith(texts):
                    continue
                counted += 1
                item = items.get(label, "")
                if "cite-passage" not in item and "cite-withheld" not in item and "cite-absence" not in item:
                    missing.append((rel, label))
                if label.startswith("Li 2025") and "cite-passage" not in item and "cite-absence" not in item:
                    withheld_li.append((rel, label))
    assert counted > 500
    assert not missing, missing[:10]
    assert not withheld_li, withheld_li[:10]   # an open licence: every passage shown


def test_li_has_a_source_text_page_and_the_others_none(built_site):
    page = built_site / "sources" / "li-2025-two-way-internationalization" / "text" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "CC BY 4.0" in html and 'id="line-57"' in html and 'id="table-1"' in html and 'id="sec-4.2"' in html
    for name in ("zhao-innovative-inclusive-development", "guangdong-technological-brief", "internal-circulation-explainer"):
        assert not (built_site / "sources" / name / "text").exists()
    text = (built_site / "sources" / "guangdong-technological-brief" / "index.html").read_text(encoding="utf-8")
    assert "cite-passage" in text


def test_ledgers_are_published(built_site):
    import json
    data = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))
    assert data["summary"]["claims"] == len(data["rows"]) > 1000
    assert (built_site / "claims.csv").read_text(encoding="utf-8").startswith("page,line,col,sentence,key")
    figures_csv = (built_site / "figures.csv").read_text(encoding="utf-8")
    assert figures_csv.splitlines()[0].endswith(",match")
    ledger = (built_site / "reference" / "claims-ledger" / "sources-li-2025-two-way-internationalization" / "index.html")
    assert 'class="ledger-cards"' in ledger.read_text(encoding="utf-8")
