"""references.bib: the real file is clean, and the lint catches each defect
with one line that names the file, the line and the fix."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from conftest import ROOT
from pybtex.database import parse_file

from primer.build import bibtex_adapter
from primer.checks.bib_lint import lint

GOOD = """@article{smith2020dual,
  author = {Smith, Ann},
  title = {Dual Circulation},
  journal = {J},
  year = {2020},
  pages = {1–2},
  doi = {10.1000/xyz.123},
}
"""


def _lint(tmp_path, text):
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in lint(path, root=tmp_path)]


def test_real_bibliography_is_clean():
    problems = lint(ROOT / "references.bib", root=ROOT)
    assert not problems, "\n".join(map(str, problems))


def test_real_bibliography_holds_the_sources_and_lis_ten_references():
    entries = parse_file(str(ROOT / "references.bib")).entries
    for key in ("li2025twoway", "zhaondinnovative", "guangdongndbrief", "chinesedreamndinternal"):
        assert entries[key].fields.get("file", "").startswith("sources/"), key
    li_refs = [k for k, e in entries.items() if e.fields.get("note", "").startswith("Reference ")]
    assert len(li_refs) == 10
    # Li gives DOIs for eight of the ten; the two without say so.
    assert sum("doi" in entries[k].fields for k in li_refs) == 8
    for key in li_refs:
        if "doi" not in entries[key].fields:
            assert "no DOI" in entries[key].fields["note"], key


def test_good_entry_passes(tmp_path):
    assert _lint(tmp_path, GOOD) == []


def test_malformed_entry(tmp_path):
    problems = _lint(tmp_path, GOOD.replace("{Dual Circulation},", "{Dual Circulation}"))
    assert problems == [f"{tmp_path / 'references.bib'}:4: malformed entry ('}}' expected); "
                        "check the braces and the comma after each field"]


def test_duplicate_key(tmp_path):
    problems = _lint(tmp_path, GOOD + GOOD)
    assert problems == [f"{tmp_path / 'references.bib'}:9: duplicate key \"smith2020dual\" (first defined at line 1); "
                        "rename one of them"]


def test_key_out_of_house_style(tmp_path):
    for bad in ("Smith2020dual", "smith:2020", "smith2020", "smith.2020.dual"):
        problems = _lint(tmp_path, GOOD.replace("smith2020dual", bad))
        assert any(f'key "{bad}" breaks the house style' in p for p in problems), (bad, problems)


def test_missing_required_field(tmp_path):
    problems = _lint(tmp_path, GOOD.replace("  journal = {J},\n", ""))
    assert problems == [f'{tmp_path / "references.bib"}:1: "smith2020dual": @article needs a `journal` or `journaltitle` field']


def test_misc_must_say_what_is_unknown(tmp_path):
    problems = _lint(tmp_path, "@misc{anon2020brief,\n  title = {A brief},\n}\n")
    assert len(problems) == 1 and "@misc needs a `note` field; state what is unknown" in problems[0]


def test_a_needed_field_may_be_missing_only_where_the_note_says_it_is_unknown(tmp_path):
    """An untitled, unattributed report (the Guangdong brief): its note says what is unknown."""
    brief = "@report{anonndbrief,\n  title = {[A brief]},\n  type = {Policy brief},\n{note}}\n"
    problems = _lint(tmp_path, brief.replace("{note}", ""))
    assert [p.split(": ", 1)[1] for p in problems] == [
        f'"anonndbrief": @report needs a `{name}` field, or a `note` saying it is unknown'
        for name in ("author", "institution", "year")], problems
    said = brief.replace("{note}", "  note = {Author, publisher, date and URL unknown},\n")
    assert _lint(tmp_path, said) == []
    # the note must name what is unknown: a date alone leaves the author and the issuer wanting
    assert len(_lint(tmp_path, brief.replace("{note}", "  note = {Date unknown},\n"))) == 2


def test_malformed_doi(tmp_path):
    for bad in ("https://doi.org/10.1000/xyz", "10.1/x", "doi:10.1000/xyz", "10.1000/has space"):
        problems = _lint(tmp_path, GOOD.replace("10.1000/xyz.123", bad))
        assert len(problems) == 1 and "is not well formed" in problems[0], (bad, problems)


def test_missing_file(tmp_path):
    problems = _lint(tmp_path, GOOD.replace("  year", "  file = {sources/nope.txt},\n  year"))
    assert len(problems) == 1 and '"smith2020dual": file "sources/nope.txt" does not exist' in problems[0]


def test_double_hyphen_page_range(tmp_path):
    problems = _lint(tmp_path, GOOD.replace("1–2", "1--2"))
    assert len(problems) == 1 and "should use an en dash" in problems[0]


def test_missing_bib_file(tmp_path):
    problems = [str(p) for p in lint(tmp_path / "absent.bib")]
    assert len(problems) == 1 and "bibliography file not found" in problems[0]


# ---------------------------------------------------------------------------
# primer.build.bibtex_adapter.cache_pandoc (primer.build.stages.citations): pandoc's output kept in .cache/pandoc/, never a stale one
# ---------------------------------------------------------------------------
class _Registry:
    """Stands in for mkdocs-bibtex's PandocRegistry: counts the pandoc runs it is asked for."""

    def __init__(self, tmp_path):
        self.csl_file = str(tmp_path / "style.csl")
        (tmp_path / "style.csl").write_text('<style citation-format="author-date"/>', encoding="utf-8")
        self.bib_data_bibtex = GOOD
        self.runs = []

    def _process_with_pandoc(self, blocks):
        self.runs.append([str(block) for block in blocks])
        n = len(self.runs)
        return {str(block): f"(Smith 2020) run {n}" for block in blocks}, {"smith2020dual": f"Smith. run {n}"}


def _blocks(*raws):
    return [block for raw in raws for block in bibtex_adapter.blocks_in(raw)]


def test_pandoc_runs_are_kept_and_run_again_when_an_input_changes(tmp_path):
    folder = tmp_path / "cache"
    registry = _Registry(tmp_path)
    bibtex_adapter.cache_pandoc(registry, folder)
    bibtex_adapter.cache_pandoc(registry, folder)                          # a second build in `mkdocs serve`: one wrapper
    blocks = _blocks("[@smith2020dual, p. 1]", "[@smith2020dual]")
    first = registry._process_with_pandoc(blocks)
    assert len(registry.runs) == 1 and len(list(folder.glob("*.json"))) == 1
    assert registry._process_with_pandoc(blocks) == first and len(registry.runs) == 1

    again = _Registry(tmp_path)                                       # the next build: a new registry
    bibtex_adapter.cache_pandoc(again, folder)
    assert again._process_with_pandoc(blocks) == first and again.runs == []

    changes = [
        lambda r: setattr(r, "bib_data_bibtex", GOOD.replace("Dual Circulation", "Dual circulation")),   # the .bib
        lambda r: Path(r.csl_file).write_text('<style citation-format="author-date" x="1"/>'),            # the CSL
        lambda r: None,                                                                                   # blocks
    ]
    for number, change in enumerate(changes):
        registry = _Registry(tmp_path)
        change(registry)
        bibtex_adapter.cache_pandoc(registry, folder)
        asked = blocks if number < 2 else _blocks("[@smith2020dual, p. 2]")
        registry._process_with_pandoc(asked)
        assert len(registry.runs) == 1, f"change {number} was served from the cache"
        Path(registry.csl_file).write_text('<style citation-format="author-date"/>', encoding="utf-8")


def test_a_damaged_pandoc_cache_file_runs_pandoc_again(tmp_path):
    folder = tmp_path / "cache"
    registry = _Registry(tmp_path)
    bibtex_adapter.cache_pandoc(registry, folder)
    blocks = _blocks("[@smith2020dual]")
    first = registry._process_with_pandoc(blocks)
    (kept,) = folder.glob("*.json")
    kept.write_text("[{}", encoding="utf-8")
    again = _Registry(tmp_path)
    bibtex_adapter.cache_pandoc(again, folder)
    assert again._process_with_pandoc(blocks) == first and len(again.runs) == 1
    assert json.loads(kept.read_text(encoding="utf-8")) == list(first)


def test_pandoc_is_given_each_distinct_citation_block_once(tmp_path):
    """mkdocs-bibtex keeps one text per block as written, so a repeated block need not be formatted again;
    and a repeat of a block already cited elsewhere does not make pandoc run again."""
    registry = _Registry(tmp_path)
    bibtex_adapter.cache_pandoc(registry, tmp_path / "cache")
    blocks = _blocks("[@smith2020dual, p. 1]", "[@smith2020dual]", "[@smith2020dual, p. 1]", "[@smith2020dual]")
    inline, _ = registry._process_with_pandoc(blocks)
    assert registry.runs == [["[@smith2020dual, p. 1]", "[@smith2020dual]"]]
    assert set(inline) == {str(block) for block in blocks}
    registry._process_with_pandoc(blocks + _blocks("[@smith2020dual]"))
    assert len(registry.runs) == 1


def test_a_problem_is_on_its_entrys_line_when_blank_lines_come_before_it(tmp_path):
    text = "% the references\n\n\n" + GOOD.replace("  journal = {J},\n", "")
    problems = _lint(tmp_path, text)
    assert len(problems) == 1 and problems[0].split(":")[1] == "4", problems   # the `@article{` line


def test_an_author_list_ending_and_others(tmp_path):
    """Zotero's BibTeX import and citation.js make "others" a person ("…, & others."): the lint names the line
    of the list and the fix (issue #25, part 5)."""
    text = GOOD.replace("{Smith, Ann}", "{Smith, Ann and Doe, Bo and\n            others}")
    problems = _lint(tmp_path, text)
    assert problems == [f'{tmp_path / "references.bib"}:2: "smith2020dual": the author list ends "and others", '
                        "which Zotero's BibTeX import and citation.js read as a person called \"others\"; give the "
                        "full list the work shows (keep its byline in sources/evidence.yaml); only where it cannot be "
                        'found, keep "and others" (printed "et al.") and say in `note` that the work\'s own author '
                        "list was not found"], problems
    # where the note says so, "and others" stays: the reference prints "et al." rather than a list it cannot know
    noted = text.replace("  year", "  note = {The work's own author list was not found},\n  year")
    assert _lint(tmp_path, noted) == []
    # an editor list too, and a name that only begins with "others" is a name
    assert len(_lint(tmp_path, GOOD.replace("  year", "  editor = {Roe, Al and others},\n  year"))) == 1
    assert _lint(tmp_path, GOOD.replace("{Smith, Ann}", "{Smith, Ann and Othersen, Bo}")) == []


def test_author_lists_taken_from_a_works_record_match_its_kept_byline():
    """An entry whose authors were corrected from the work's own record (its byline kept in
    sources/evidence.yaml) names exactly the people of that byline, each given and family name as it shows them."""
    evidence = yaml.safe_load((ROOT / "sources" / "evidence.yaml").read_text(encoding="utf-8"))["evidence"]
    entries = parse_file(str(ROOT / "references.bib")).entries
    bylines = {w["key"]: p["text"] for w in evidence for p in w["passages"] if p["locator"] == "byline"}
    assert {"javed2021dual", "zhu2023rise"} <= set(bylines), sorted(bylines)
    for key, byline in bylines.items():
        people = entries[key].persons["author"]
        names = [" ".join(p.first_names + p.middle_names + p.last_names) for p in people]
        for name in names:
            assert name in byline, f"{key}: {name!r} is not in its kept byline: {byline}"
        # and no one of the byline is left out: the names appear in the byline in the entry's order
        where = [byline.index(name) for name in names]
        assert where == sorted(where), (key, names)
        rest = re.sub(r"\([^)]*\)", "", byline)     # less the affiliations
        for name in names:
            rest = rest.replace(name, "")
        assert not rest.strip(" ,"), f"{key}: the byline names more than the entry: {rest.strip()}"


def test_a_date_without_a_year(tmp_path):
    problems = _lint(tmp_path, GOOD.replace("  year", "  date = {2020-03-01},\n  yearx"))
    assert any('has `date` but no `year`; add `year = {2020}`' in p for p in problems), problems
