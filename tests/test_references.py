"""references.bib round-trips: through a BibTeX parser (pybtex), pandoc's BibTeX reader (to CSL-JSON)
and the CSL processor (pandoc's citeproc with styles/apa.csl and styles/chicago-author-date.csl):
no field dropped, no TeX quote pair left to print as a backtick, no author printed as "others";
and biber's check against biblatex's data model (skipped, saying so, without Debian's `biber`)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT
from pybtex.database import parse_file

from primer.checks import bib_lint
from primer.site import csl_render

BIB = ROOT / "references.bib"
# Each BibTeX field and the CSL variable(s) pandoc's reader must carry it into.
FIELD_TO_CSL = {
    "author": ["author"], "title": ["title"], "journal": ["container-title"], "journaltitle": ["container-title"],
    "booktitle": ["container-title"], "publisher": ["publisher"], "howpublished": ["publisher", "genre"],
    "year": ["issued"], "date": ["issued"], "month": ["issued"], "volume": ["volume"], "number": ["issue", "number"],
    "pages": ["page"], "doi": ["DOI"], "url": ["URL"], "note": ["note"], "shorttitle": ["title-short"],
    "entrysubtype": ["type"], "institution": ["publisher"], "type": ["genre"], "organization": ["publisher"],
    "editor": ["editor"], "series": ["collection-title"],
}
NOT_BIBLIOGRAPHIC = {"file"}  # where the primer keeps the source's text: not for a reference manager


def _pandoc_csl(reader: str = "bibtex") -> dict[str, dict]:
    """references.bib as pandoc's READER (bibtex, or biblatex: what pandoc, and so the build, uses for a .bib
    file) gives it in CSL-JSON."""
    pandoc, _ = csl_render._pandoc()
    out = subprocess.run([pandoc, str(BIB), "-f", reader, "-t", "csljson"], capture_output=True, text=True,
                         check=True).stdout
    return {item["id"]: item for item in json.loads(out)}


READERS = pytest.mark.parametrize("reader", ["bibtex", "biblatex"])


@READERS
def test_every_field_reaches_a_csl_variable(reader):
    entries = parse_file(BIB, "bibtex").entries
    items = _pandoc_csl(reader)
    problems = []
    for key, entry in entries.items():
        item = items.get(key)
        if item is None:
            problems.append(f"{key}: pandoc's BibTeX reader dropped the entry")
            continue
        fields = {name.lower() for name in entry.fields} | {role.lower() for role in entry.persons}
        for name in sorted(fields - NOT_BIBLIOGRAPHIC):
            targets = FIELD_TO_CSL.get(name)
            if targets is None:
                problems.append(f"{key}: field {name} has no CSL variable listed here; add one or drop it")
            elif not any(item.get(target) for target in targets):
                problems.append(f"{key}: field {name} reached none of {targets}: {sorted(item)}")
    assert not problems, "\n".join(problems)


@READERS
def test_an_outlet_is_not_a_publisher(reader):
    items = _pandoc_csl(reader)
    item = items["zhaondinnovative"]
    assert item.get("container-title") == "Belt & Road News" and "publisher" not in item
    assert item.get("type") == "article-newspaper"
    # every article's outlet is its container, never its publisher; a news report carried by another site too
    articles = [key for key, entry in parse_file(BIB, "bibtex").entries.items() if entry.type.lower() == "article"]
    assert len(articles) > 20
    for key in articles:
        assert items[key].get("container-title") and "publisher" not in items[key], (key, items[key])
    assert items["xinhua2023regulatory"]["container-title"] == "People’s Daily Online"
    assert items["xinhua2023regulatory"]["author"] == [{"literal": "Xinhua"}]


def test_no_entry_says_how_it_was_published_in_howpublished():
    """pandoc makes `howpublished` the publisher, whatever it holds ("News report, carried by …", "Policy
    brief"): a genre goes in `type`, an outlet in `journal`, a site's owner in `organization`."""
    holding = [key for key, entry in parse_file(BIB, "bibtex").entries.items() if "howpublished" in entry.fields]
    assert not holding, holding


@READERS
def test_the_sources_and_the_organisations_map_to_the_right_csl_variables(reader):
    items = _pandoc_csl(reader)
    brief = items["guangdongndbrief"]
    assert brief.get("genre") == "Policy brief" and "publisher" not in brief   # its publisher is unknown
    explainer = items["chinesedreamndinternal"]
    assert explainer["type"] == "webpage" and explainer.get("publisher") == "chinesedream.earth"
    assert explainer["URL"].startswith("https://www.chinesedream.earth/")
    report = items["huawei2023annual"]
    assert (report["type"], report["genre"], report["publisher"]) == (
        "report", "Annual report", "Huawei Investment & Holding Co., Ltd.")
    # an organisation's name is one name, whole, whatever words it holds ("and" splits a biblatex list)
    for key, entry in parse_file(BIB, "bibtex").entries.items():
        for field in ("organization", "institution"):
            if field in entry.fields:
                written = re.sub(r"[{}\\]", "", entry.fields[field])
                assert items[key].get("publisher") == written.replace("'", "’"), (key, items[key].get("publisher"))


def test_rendered_titles_have_no_backtick_and_no_author_called_others():
    text = BIB.read_text(encoding="utf-8")
    assert not re.search(r"`|''", re.sub(r"(?m)^%.*$", "", text)), "a TeX quote pair is left in references.bib"
    keys = list(parse_file(BIB, "bibtex").entries)
    _, references = csl_render.render_cited(text, {f"c{n}": f"@{key}" for n, key in enumerate(keys)})
    problems = []
    for key in keys:
        for style, rendered in references[key].items():
            if "`" in rendered or "''" in rendered:
                problems.append(f"{key} ({style}): {rendered}")
            if "others" in rendered:
                problems.append(f"{key} ({style}): 'and others' printed as a name: {rendered}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("biber") is None,
                    reason="biber is not installed (Debian: apt-get install biber; .ci/run installs it)")
def test_biber_validates_against_biblatexs_data_model(tmp_path):
    """Every warning but three kinds fails: a work whose date is unknown lacks the date biblatex requires,
    and must say in its note that the date is unknown (never a guessed year); a paper in proceedings whose
    editors the text does not name lacks the editor an @incollection requires, and its note says so; a report
    whose author or issuer is unknown (the Guangdong brief) lacks them, and its note says so."""
    shutil.copy(BIB, tmp_path / "references.bib")  # biber writes its log beside the file
    result = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file=checked.bib", "references.bib"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    entries = parse_file(BIB, "bibtex").entries
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        if not line.startswith(("WARN", "ERROR")):
            continue
        undated = re.search(r"Entry '([^']+)'.*Missing mandatory field - one of 'date, year'", line)
        if undated:
            note = entries[undated.group(1)].fields.get("note", "")
            if re.search(r"\b[Dd]ates?\b[^.]*\b(unknown|not (shown|stated))", note):
                continue
        unknown = re.search(r"Entry '([^']+)'.*Missing mandatory field '(author|institution)'", line)
        if unknown and bib_lint.said_unknown(entries[unknown.group(1)].fields.get("note", ""), unknown.group(2)):
            continue
        no_editor = re.search(r"Entry '([^']+)'.*Missing mandatory field 'editor'", line)
        if no_editor and re.search(r"\beditors\b[^.]*\bnot stated\b", entries[no_editor.group(1)].fields.get("note", "")):
            continue
        problems.append(line)
    assert not problems, "\n".join(problems)


def test_a_title_renders_in_each_styles_case():
    """Chicago capitalised "Under" in Li's title, where CMOS (8.159) and citeproc-js lowercase a preposition of
    any length; APA's sentence case keeps it lowercase too (issue #25)."""
    from primer.site import source_citations
    li = source_citations.source_citations("li2025twoway")
    assert "Two-Way Internationalization under the" in li["chicago"], li["chicago"]
    assert "two-way internationalization under the" in li["apa"], li["apa"]
