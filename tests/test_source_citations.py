"""Citing a source document (issue #25, part 4): its in-text citation and its reference rendered together by
pandoc's citeproc from one record (primer.site.source_citations), the locator passed as a CSL locator and worded
by each style; the bibliography page, each chapter's "Works cited" and the "Cite this source" box print the
same rendering. Unit tests render with pandoc (cached in .cache/csl/); the last reads the session's build."""
from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from conftest import ROOT

from primer.site import source_citations as sc

SOURCES = ["li2025twoway", "zhaondinnovative", "guangdongndbrief", "chinesedreamndinternal"]
STYLES = ("apa", "chicago")


@pytest.fixture(scope="module")
def templates():
    return sc.source_templates(SOURCES)


def _lead(in_text: str) -> str:
    """What an in-text citation names the work by: "(Li, 2025, sec. 4.2)" -> "Li"; "([Policy …], n.d.)" ->
    "[Policy …]"."""
    return re.sub(r",? (?:n\.d\.|\d{4}[a-z]?)(?:,.*)?\)$", "", in_text.removeprefix("("))


def mismatches(data: dict) -> list[str]:
    """Each style whose in-text citation does not name the work as its reference begins (case aside: APA writes
    a title in sentence case in its reference, in title case in the text)."""
    problems = []
    for style in STYLES:
        lead, reference = _lead(data["in_text"][""][style]), data[style]
        if not lead or not reference.casefold().startswith(lead.casefold()):
            problems.append(f"{style}: in text {data['in_text'][''][style]!r}, reference {reference[:60]!r}…")
    return problems


def test_each_sources_in_text_citation_names_it_as_its_reference_begins(templates):
    problems = [f"{key}: {p}" for key in SOURCES for p in mismatches(templates[key])]
    assert not problems, "\n".join(problems)
    brief = templates["guangdongndbrief"]
    assert brief["in_text"][""]["apa"].startswith("([Policy Brief on Guangdong’s Role"), brief["in_text"][""]
    assert brief["apa"].startswith("[Policy brief on Guangdong’s role")


def test_a_planted_mismatch_is_found(monkeypatch):
    """Cited by its shorttitle, as before: "(Guangdong Brief, n.d.)" against "[Policy brief on …]"."""
    monkeypatch.setattr(sc, "_untitled", lambda entry: False)
    planted = sc.source_templates(["guangdongndbrief"])["guangdongndbrief"]
    assert planted["in_text"][""]["apa"] == "(Guangdong Brief, n.d.)"
    assert len(mismatches(planted)) == 2


def _locators() -> set[tuple[str, str]]:
    """(key, locator) of every citation of a source document in docs/, glossary.yaml and charts.yaml."""
    found = set()
    for path in [*(ROOT / "docs").rglob("*.md"), ROOT / "glossary.yaml", ROOT / "charts.yaml"]:
        for block in re.findall(r"\[([^\[\]]*@[^\[\]]*)\]", path.read_text(encoding="utf-8")):
            for cite in block.split(";"):
                match = re.match(r"\s*@(\w+)(?:,\s*(.+))?$", cite.strip())
                if match and match.group(1) in SOURCES and match.group(2):
                    found.add((match.group(1), " ".join(match.group(2).split())))
    return found


# How each style words each kind of locator (label, plural label), as its CSL file says.
WORDED = {"apa": {"section": ("Section", "Sections"), "paragraph": ("para.", "paras."), "table": ("Table", "Tables"),
                  "figure": ("Figure", "Figures"), "line": ("Line", "Lines")},
          "chicago": {"section": ("sec.", "secs."), "paragraph": ("para.", "paras."), "table": ("tbl.", "tbls."),
                      "figure": ("fig.", "figs."), "line": ("line", "lines")}}


def test_every_locator_the_chapters_use_is_a_csl_locator_worded_by_each_style(templates):
    locators = _locators()
    kinds = {sc.locator_parts(locator)[0] for _, locator in locators if sc.locator_parts(locator)}
    assert {"section", "paragraph", "table", "figure"} <= kinds, kinds
    problems = []
    for key, locator in sorted(locators):
        parts = sc.locator_parts(locator)
        if parts is None:
            problems.append(f"{key}, {locator}: no kind of locator the box offers ({sc.LOCATOR_LABELS})")
            continue
        label, kind, value = parts
        cited = sc.filled(templates[key], key, locator)
        for style in STYLES:
            in_text = cited[style].rsplit("\n\n", 1)[1]
            word = WORDED[style][label][kind == "range"]
            if not in_text.endswith(f", {word} {value})"):
                problems.append(f"{key}, {locator} ({style}): {in_text}")
    assert not problems, "\n".join(problems)


def test_a_table_is_a_table_to_the_style_not_text(monkeypatch, templates):
    """pandoc reads "table" as no locator label: through csl_render.TABLE_AS each style words it."""
    assert sc.filled(templates["li2025twoway"], "li2025twoway", "table 1")["apa"].endswith("(Li, 2025, Table 1)")
    from primer.site import csl_render
    monkeypatch.setattr(csl_render, "with_table_locator", lambda style: style)
    planted = sc.source_templates(["li2025twoway"])["li2025twoway"]
    assert sc.filled(planted, "li2025twoway", "table 1")["apa"].endswith("(Li, 2025, table 1)")


def test_a_named_section_and_a_range_are_worded_singular_and_plural(templates):
    li = templates["li2025twoway"]
    assert sc.filled(li, "li2025twoway", "sec. Historical Context")["apa"].endswith(
        "(Li, 2025, Section Historical Context)")   # not "Sections": pandoc counts the space as a second item
    assert sc.filled(li, "li2025twoway", "para. 1-21")["chicago"].endswith("(Li 2025, paras. 1–21)")


def test_lis_reference_keeps_its_publisher_in_each_style(templates):
    for style in STYLES:
        assert "CPCIG-Conferences" in templates["li2025twoway"][style], templates["li2025twoway"][style]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def test_the_bibliography_the_works_cited_and_the_box_print_one_rendering(built_site):
    """String for string: the bibliography's entry, each chapter's "Works cited" and the box's Chicago reference
    (as a reader without JavaScript copies it); an undated web source's box adds the reader's access date,
    which the primer never recorded for itself and does not print."""
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    day = dt.date.today()
    accessed = f"Accessed {day:%B} {day.day}, {day.year}. "
    chapters = [path.read_text(encoding="utf-8") for path in (built_site / "sources").rglob("index.html")]
    problems = []
    for key in SOURCES:
        printed = _text(re.search(rf'<div class="bib-entry" id="{key}">\s*<p>(.*?)</p>', page, re.S).group(1))
        box = re.search(rf'data-source-cite="[^"]*" data-source-key="{key}">.*?'
                        r'<code data-source-format="Chicago">(.*?)</code>', page, re.S)
        copied = html.unescape(box.group(1)).split("\n\n")[0]
        if printed != copied.replace(accessed, ""):
            problems.append(f"{key}: the bibliography prints {printed!r}, the box {copied!r}")
        data = json.loads(html.unescape(re.search(rf'data-source-cite="([^"]*)" data-source-key="{key}"', page).group(1)))
        if "[date accessed]" in data["chicago"] and accessed not in copied:
            problems.append(f"{key}: the box gives no access date: {copied!r}")
        works = [_text(m) for chapter in chapters
                 for m in re.findall(rf'<li id="work-{key}">(.*?)<a class="cite-source-link"', chapter, re.S)]
        if not works or any(work != printed for work in works):
            problems.append(f"{key}: a chapter's works cited differs: {set(works)} against {printed!r}")
    assert not problems, "\n".join(problems)


def test_each_box_links_its_sources_ris_and_csl_json_files(built_site):
    """The box's RIS and CSL-JSON links lead to files in the built site, which hold what
    primer.site.source_downloads writes (the record the box's strings are rendered from)."""
    from urllib.parse import urljoin

    from primer.site import source_downloads
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    written = source_downloads.downloads(SOURCES)
    problems = []
    for key in SOURCES:
        box = re.search(rf'data-source-key="{key}">(.*?)</details>', page, re.S).group(1)
        links = dict((label, href) for href, label in
                     re.findall(r'<a class="md-button cite-panel__download" href="([^"]+)"[^>]*>([^<]+)</a>', box))
        if set(links) != {"RIS", "CSL-JSON"}:
            problems.append(f"{key}: the box links {sorted(links)}, not RIS and CSL-JSON")
            continue
        for label, href in links.items():
            path = urljoin("/reference/bibliography/", href).lstrip("/")
            target = built_site / path
            if path != source_downloads.files(key)[label] or not target.is_file():
                problems.append(f"{key}: {label} links {href}, which is not its file in the site")
            elif target.read_text(encoding="utf-8") != written[path]:
                problems.append(f"{key}: the site's {path} is not what source_downloads writes")
    assert not problems, "\n".join(problems)
    item = json.loads(written["cite/zhaondinnovative.json"])[0]
    assert item["type"] == "article-newspaper" and item["author"] == [{"family": "Zhao", "given": "Jinping"}]
    assert "TY  - RPRT" in written["cite/guangdongndbrief.ris"]
