"""Corrections: CHANGELOG.md parsed edition by edition (scripts/primer/site/changelog.py), each page's
corrections note and "report an error" text (primer.build.stages.corrections), with extra.report_error_url
unset (the real site) and set (a copy), and the build failing on an entry that names no page."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, built_pages, mkdocs_build

from primer.checks.links import _mkdocs_config
from primer.site import changelog

CONFIG = _mkdocs_config(ROOT)
PRINT_PAGE = "reference/print-edition/"

SAMPLE = """\
# Changelog

Free text before the first edition, even a list:

- `docs/not-checked.md` is only an example here.

## [0.2.0] - not yet released

A summary of the edition (free text).

### Corrected

- The brief's share is 46.8%, not 46.9%
  (`docs/sources/guangdong-technological-brief.md#case-study`), as in
  `docs/primer/guangdong-greater-bay-area.md`.

### Added

- A chapter on trade (`docs/primer/trade.md`).

## [0.1.0] - 2026-01-15

### Added

- The first chapters: `docs/primer/guangdong-greater-bay-area.md`, `docs/sources/guangdong-technological-brief.md`.

### Changed

* Reworded the summary of `docs/primer/guangdong-greater-bay-area.md` for [@li2025twoway].
"""


# --------------------------------------------------------------------------- parsing

def test_sample_changelog_parses_into_editions_kinds_and_pages():
    editions, problems = changelog.parse(SAMPLE)
    assert problems == []
    assert [(e.version, e.status, e.released) for e in editions] == [
        ("0.2.0", "not yet released", None), ("0.1.0", "2026-01-15", "2026-01-15")]
    corrected = editions[0].entries[0]
    assert (corrected.kind, corrected.line) == ("Corrected", 13)
    assert corrected.pages == ("docs/sources/guangdong-technological-brief.md",
                               "docs/primer/guangdong-greater-bay-area.md")
    assert "46.8%, not 46.9% (`docs/sources" in corrected.text, "continuation lines are joined"
    assert [e.kind for e in editions[1].entries] == ["Added", "Changed"]
    assert all(not e.is_correction for e in editions[1].entries[:1])


def test_real_changelog_is_well_formed_and_its_newest_edition_is_the_version():
    editions, problems = changelog.load(ROOT / changelog.FILE)
    assert problems == []
    assert changelog.check_version(editions, CONFIG["extra"]["primer"]["version"]) == []
    assert editions[0].version == str(CONFIG["extra"]["primer"]["version"])
    named = {page for edition in editions for entry in edition.entries for page in entry.pages}
    for page in ("docs/index.md", "docs/primer/domestic-circulation.md",
                 "docs/sources/li-2025-two-way-internationalization.md", "docs/reference/print-edition.md"):
        assert page in named, f"the first edition's entry should name {page}"
    assert all(entry.pages for edition in editions for entry in edition.entries), "every entry names its pages"


@pytest.mark.parametrize("text, line, says", [
    ("## 0.2.0\n", 1, "is not an edition"),
    ("## [Unreleased]\n", 1, "is not an edition"),
    ("## [0.2.0]\n", 1, "has no date"),
    ("## [0.2.0] - not yet released\n### Fixes\n- `docs/index.md`\n", 2, "is not a kind of change"),
    ("## [0.2.0] - not yet released\n- `docs/index.md`\n", 2, "entry before any kind of change"),
    ("## [0.1.0] - 2026-01-01\n### Added\n- `docs/index.md`\n## [0.2.0] - 2026-02-01\n", 4, "list editions newest first"),
    ("## [0.2.0] - 2026-02-01\n## [0.2.0] - 2026-02-02\n", 2, "listed twice"),
])
def test_malformed_changelog_gives_one_line_per_problem_naming_its_line(text, line, says):
    _, problems = changelog.parse(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"CHANGELOG.md:{line}: ") and says in problems[0], problems[0]
    assert "\n" not in problems[0]


def test_version_must_be_the_newest_edition():
    editions, _ = changelog.parse(SAMPLE)
    assert changelog.check_version(editions, "0.2.0") == []
    problem, = changelog.check_version(editions, "0.3.0")
    assert problem.startswith("CHANGELOG.md:7: ") and "extra.primer.version is 0.3.0" in problem
    assert "## [0.3.0] - not yet released" in problem
    problem, = changelog.check_version([], "0.1.0")
    assert problem.startswith("CHANGELOG.md:1: no edition")


def test_a_named_page_that_does_not_exist_is_a_problem_on_its_line():
    editions, _ = changelog.parse(SAMPLE)
    pages = {"primer/guangdong-greater-bay-area.md", "sources/guangdong-technological-brief.md"}
    problem, = changelog.check_pages(editions, pages)
    assert problem.startswith("CHANGELOG.md:19: names docs/primer/trade.md, which is not a page of the site")
    # a page that moved is followed through redirect_maps
    assert changelog.check_pages(editions, pages | {"primer/trade-and-investment.md"},
                                 {"primer/trade.md": "primer/trade-and-investment.md"}) == []


def test_page_log_separates_first_publication_from_corrections_newest_first():
    editions, _ = changelog.parse(SAMPLE)
    log = changelog.page_log(editions, "primer/guangdong-greater-bay-area.md")
    assert log.first.version == "0.1.0"
    assert [(edition.version, entry.kind) for edition, entry in log.corrections] == [("0.2.0", "Corrected"),
                                                                                      ("0.1.0", "Changed")]
    untouched = changelog.page_log(editions, "primer/domestic-circulation.md")
    assert untouched.first is None and untouched.corrections == []
    moved = changelog.page_log(editions, "primer/trade-and-investment.md", {"primer/trade.md": "primer/trade-and-investment.md"})
    assert moved.first.version == "0.2.0"


def test_note_without_report_url_says_how_to_report_and_links_nowhere():
    editions, _ = changelog.parse(SAMPLE)
    text = changelog.note(changelog.page_log(editions, "sources/guangdong-technological-brief.md"),
                          page_path="sources/x/", title="X", version="0.2.0", report=None)
    assert 'id="page-corrections"' in text and 'data-search-exclude=""' in text
    assert "**Edition 0.2.0** (not yet released), corrected: The brief's share is 46.8%" in text
    assert "quote the page's address, the section and the passage" in text
    assert "](" not in text, "no link while extra.report_error_url is unset"
    changed = changelog.note(changelog.page_log(editions, "primer/guangdong-greater-bay-area.md"),
                             page_path="p/", title="P", version="0.2.0", report=None)
    assert "[&#64;li2025twoway]" in changed, "a citation in an entry is shown, never processed"
    quiet = changelog.note(changelog.page_log(editions, "primer/domestic-circulation.md"),
                           page_path="p/", title="P", version="0.2.0", report=None)
    assert "No corrections since first publication." in quiet


def test_note_with_report_url_links_to_it_with_the_page_filled_in():
    editions, _ = changelog.parse(SAMPLE)
    text = changelog.note(changelog.page_log(editions, "primer/domestic-circulation.md"),
                          page_path="primer/domestic-circulation/", title="Domestic circulation", version="0.2.0",
                          report="https://example.org/report?page={path}&title={title}&v={version}")
    assert ("[Report an error](https://example.org/report?page=primer%2Fdomestic-circulation%2F"
            "&title=Domestic%20circulation&v=0.2.0)") in text


@pytest.mark.parametrize("value, ok", [
    (None, True), ("", True), ("https://example.org/issues/new", True), ("mailto:errata@example.org", True),
    ("http://example.org/", False), ("example.org", False), ("mailto:nobody", False), (42, False),
])
def test_report_url_must_be_https_or_mailto(value, ok):
    problem = changelog.check_report_url(value)
    assert (problem is None) == ok, problem
    if problem:
        assert problem.startswith("mkdocs.yml: extra.report_error_url")


# --------------------------------------------------------------------------- the real site

class _Note(HTMLParser):
    """The corrections note of a page: its text and links; and where it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.count, self.text, self.links, self.order = 0, 0, [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == changelog.NOTE_ID:
            self.count += 1
            self.order.append("note")
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        if self.depth and tag == "a":
            self.links.append(attrs.get("href"))
        if attrs.get("class") == "footnote":
            self.order.append("footnotes")
        if "cite-block" in (attrs.get("class") or "").split():
            self.order.append("cite")

    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def _note(path: Path) -> _Note:
    parser = _Note()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_shows_its_corrections_and_how_to_report_an_error(built_site):
    assert not CONFIG["extra"].get("report_error_url"), "this test expects extra.report_error_url unset"
    problems = []
    pages = built_pages(built_site)
    assert len(pages) > 20
    for path, index in pages.items():
        note = _note(index)
        if path == PRINT_PAGE:
            continue  # holds every page's own note, with prefixed ids (tests/test_print.py)
        text = " ".join("".join(note.text).split())
        if note.count != 1:
            problems.append(f"/{path}: {note.count} corrections notes")
            continue
        if "Corrections. No corrections since first publication" not in text:
            problems.append(f"/{path}: no 'No corrections since first publication': {text[:120]!r}")
        if "quote the page's address, the section and the passage" not in text or note.links:
            problems.append(f"/{path}: the note should say how to report an error, with no link: {note.links}")
        if note.order not in (["note", "cite"], ["note", "footnotes", "cite"]):
            problems.append(f"/{path}: the note should follow the text, before the footnotes and the cite block: "
                            f"{note.order}")
    assert not problems, "\n".join(problems)


def test_the_changelog_edition_is_named_on_pages_it_added(built_site):
    text = " ".join("".join(_note(built_site / "primer" / "domestic-circulation" / "index.html").text).split())
    assert f"(edition {CONFIG['extra']['primer']['version']})" in text


# --------------------------------------------------------------------------- builds of a copy

CORRECTION = """\
## [{version}] - not yet released

### Corrected

- The summary of Li's section 4.2 now quotes the paper's own wording
  (`docs/sources/li-2025-two-way-internationalization.md#going-out`).

"""


def _insert_edition(project: Path, entry: str) -> int:
    """Put `entry` (an edition's Markdown) above the newest edition; return its first line number."""
    path = project / changelog.FILE
    text = path.read_text(encoding="utf-8")
    at = text.index("\n## [") + 1
    path.write_text(text[:at] + entry + text[at:], encoding="utf-8")
    return text[:at].count("\n") + 1


def _set_extra(project: Path, **values) -> None:
    """Set mkdocs.yml values under extra; a key "a__b" is extra.a.b."""
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        indent, name = "  " * (key.count("__") + 1), key.split("__")[-1]
        text, count = re.subn(rf"(?m)^{indent}{name}:.*$", f"{indent}{name}: {json.dumps(value)}", text)
        assert count == 1, key
    path.write_text(text, encoding="utf-8")


def test_a_correction_and_a_report_url_show_on_the_pages(project_copy, tmp_path):
    version = CONFIG["extra"]["primer"]["version"]
    _insert_edition(project_copy, CORRECTION.format(version="9.9.9"))
    _set_extra(project_copy, primer__version="9.9.9", report_error_url="mailto:errata@example.org?subject=Error%20on%20{path}")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    li = _note(site / "sources" / "li-2025-two-way-internationalization" / "index.html")
    text = " ".join("".join(li.text).split())
    assert "Corrections to this page since first publication (edition " + str(version) + ")" in text
    assert "Edition 9.9.9 (not yet released), corrected: The summary of Li's section 4.2" in text
    assert li.links == ["mailto:errata@example.org?subject=Error%20on%20sources%2Fli-2025-two-way-internationalization%2F"]
    other = _note(site / "primer" / "domestic-circulation" / "index.html")
    assert "No corrections since first publication" in "".join(other.text)
    assert other.links == ["mailto:errata@example.org?subject=Error%20on%20primer%2Fdomestic-circulation%2F"]


def test_an_entry_naming_a_missing_page_fails_the_build_with_its_line(project_copy, tmp_path):
    entry = CORRECTION.format(version=CONFIG["extra"]["primer"]["version"]).replace(
        "li-2025-two-way-internationalization.md", "no-such-source.md")
    text = (project_copy / changelog.FILE).read_text(encoding="utf-8")
    at = text.index("\n### Added\n", text.index("\n## [")) + 1
    (project_copy / changelog.FILE).write_text(text[:at] + entry.split("\n", 2)[2] + text[at:], encoding="utf-8")
    line = text[:at].count("\n") + 1 + 2  # the entry's first line, after "### Corrected" and a blank line
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    expected = (f"CHANGELOG.md:{line}: names docs/sources/no-such-source.md, which is not a page of the site; "
                "give the page's path under docs/, or add the move to plugins.redirects.redirect_maps in mkdocs.yml")
    assert expected in output, output
    assert "Traceback" not in output
