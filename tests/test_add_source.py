"""`make add-source` (primer.add_source): a new source in one command, picked up by every check. A fixture text
written for the test, with its own licence line, is added to a copy of the project; the strict build passes; a
figure cited from it shows in the figure ledger and its passage in the chapter's note, its text page carries its
attribution; a mistyped figure in its chapter fails the build. And what the command refuses, one line each."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import mkdocs_build

from primer.checks.bib_lint import lint
from primer.site import licences, passages

FIXTURE = """Trade and the home market: a short note

This note is licensed under CC BY-SA 4.0.

1. Overview

Household consumption in the region rose by 4.2 percent in 2023, while exports fell by 1.5 percent.
Officials described the shift as a turn towards the home market.

2. Outlook

The note expects consumption to keep rising for two to three years.
"""
ARGS = ["--key", "notend2023trade", "--title", "Trade and the Home Market: A Short Note", "--licence",
        "Creative Commons Attribution-ShareAlike 4.0", "--received", "written for the test", "--type", "note",
        "--name", "trade-note"]


def add_source(project, *args):
    return subprocess.run([sys.executable, "-m", "primer.add_source", *args], cwd=project, capture_output=True,
                          text=True, timeout=120)


def test_a_source_added_in_one_command_is_checked_like_the_others(project_copy, tmp_path):
    text = tmp_path / "fixture.txt"
    text.write_text(FIXTURE, encoding="utf-8")
    result = add_source(project_copy, "--file", str(text), *ARGS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sec. 1  line 5: 1. Overview" in result.stdout and "sec. 2  line 10: 2. Outlook" in result.stdout
    assert (project_copy / "sources" / "trade-note.txt").read_bytes() == text.read_bytes()   # unchanged
    [entry] = [e for e in passages.read_manifest(project_copy) if e["key"] == "notend2023trade"]
    assert entry["republish"] == "whole" and entry["licence"].startswith("Creative Commons")
    assert [s["id"] for s in entry["locators"]["sections"]] == ["1", "2"]
    assert lint(project_copy / "references.bib", root=project_copy) == []
    assert "sources/trade-note.md" in (project_copy / "mkdocs.yml").read_text(encoding="utf-8")

    chapter = project_copy / "docs" / "sources" / "trade-note.md"
    written = chapter.read_text(encoding="utf-8").replace(
        "The primer's summary of it is still to be written: this\npage gives only what is known of the document.",
        "The note reports that household consumption rose by 4.2 percent in 2023 [@notend2023trade, sec. 1].")
    assert written != chapter.read_text(encoding="utf-8")
    chapter.write_text(written, encoding="utf-8")
    site = tmp_path / "site"
    built = mkdocs_build(project_copy, site)
    assert built.returncode == 0, built.stdout + built.stderr
    rows = [r for r in json.loads((site / "figures.json").read_text(encoding="utf-8"))["rows"]
            if r["page"] == "sources/trade-note.md"]
    assert [(r["figure"], r["kind"], r["status"]) for r in rows if r["figure"] == "4.2 percent"] == [
        ("4.2 percent", "sourced", "ok")]
    page = (site / "sources" / "trade-note" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="cite-passage-item"[^>]*data-cite-key="notend2023trade".*?rose by <mark>4\.2 percent', page, re.S)
    text_page = (site / "sources" / "trade-note" / "text" / "index.html").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text_page and "https://creativecommons.org/licenses/by-sa/4.0/" in text_page
    assert "the whole text" in text_page and "The copy was taken on" in text_page
    index = (site / "sources" / "index.html").read_text(encoding="utf-8")
    assert "The primer summarises <span class=\"editorial source-count\">five</span> documents" in index

    chapter.write_text(written.replace("4.2 percent", "4.3 percent"), encoding="utf-8")
    wrong = mkdocs_build(project_copy, tmp_path / "wrong")
    output = wrong.stdout + wrong.stderr
    assert wrong.returncode != 0 and re.search(r"docs/sources/trade-note\.md:\d+:\d+: figure \"4\.3 percent\"", output), output


@pytest.mark.parametrize("args, expected", [
    (["--key", "Trade:2023"], "KEY=Trade:2023: a citation key is author, year"),
    (["--key", "li2025twoway"], "KEY=li2025twoway: references.bib already has this key"),
    (["--licence", "GPL-3.0"], "LICENCE=GPL-3.0: licence 'GPL-3.0' is not one this primer reads; write one of: CC0-1.0"),
    (["--date", "May 2023"], "DATE=May 2023: write YYYY, YYYY-MM or YYYY-MM-DD, or unknown"),
    (["--url", "www.example.org"], "URL=www.example.org: an http(s) address"),
])
def test_what_the_command_refuses_it_names_and_writes_nothing(cold_project_copy, tmp_path, args, expected):
    text = tmp_path / "fixture.txt"
    text.write_text(FIXTURE, encoding="utf-8")
    before = (cold_project_copy / "sources" / "manifest.yaml").read_bytes()
    base = dict(zip(ARGS[::2], ARGS[1::2]))
    base.update(dict(zip(args[::2], args[1::2])))
    result = add_source(cold_project_copy, "--file", str(text), *[x for kv in base.items() for x in kv])
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (cold_project_copy / "sources" / "manifest.yaml").read_bytes() == before
    assert not (cold_project_copy / "sources" / "trade-note.txt").exists()


def test_a_file_that_is_not_utf8_is_named_with_its_byte(cold_project_copy, tmp_path):
    text = tmp_path / "fixture.txt"
    text.write_bytes(FIXTURE.encode("utf-8").replace(b"region", b"r\xe9gion"))
    result = add_source(cold_project_copy, "--file", str(text), *ARGS)
    assert result.returncode == 2 and "not UTF-8 at byte" in result.stderr and "(0xe9)" in result.stderr


@pytest.mark.parametrize("written, spdx, open_", [
    ("CC-BY-4.0", "CC-BY-4.0", True), ("CC BY 4.0 (stated in the text)", "CC-BY-4.0", True),
    ("Creative Commons Attribution-ShareAlike 4.0", "CC-BY-SA-4.0", True),
    ("Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0", True),
    ("cc by-nc-sa 3.0", "CC-BY-NC-SA-3.0", False), ("CC0-1.0", "CC0-1.0", True), ("CC0", "CC0-1.0", True),
    ("public domain", "LicenseRef-public-domain", True), ("unknown (no licence stated)", "LicenseRef-unknown", False),
])
def test_licence_spellings(written, spdx, open_):
    licence = licences.read(written)
    assert (licence.spdx, licence.open) == (spdx, open_)
    assert passages.is_open(written) is open_


def test_an_unreadable_licence_is_a_manifest_problem():
    entry = {"file": "sources/x.txt", "licence": "GNU GPL v3", "republish": "passages"}
    [problem] = passages.manifest_problems([entry])
    assert "sources/x.txt" in problem and "write one of: CC0-1.0" in problem
