"""The strict build: it succeeds on the real project, and fails with a clear,
one-line message (no traceback) on each kind of bad input."""
from __future__ import annotations

import re

from conftest import mkdocs_build


def _fails_cleanly(result, *expected: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed:\n" + output
    for text in expected:
        assert text in output, f"expected {text!r} in the build output:\n{output}"
    assert "Traceback" not in output, "a bad input should give a message, not a traceback:\n" + output
    return output


def test_strict_build_succeeds(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "reference" / "bibliography" / "index.html").is_file()
    assert (built_site / "references.bib").is_file()


def test_unknown_citation_key_fails_naming_page_line_and_key(project_copy, tmp_path):
    page = project_copy / "docs" / "reference" / "index.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append("A claim with a typo in its key [@lee2025twoway, sec. 4.2].")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    output = _fails_cleanly(result, f"docs/reference/index.md:{len(lines)}:", '"lee2025twoway"')
    assert "references.bib" in output  # the fix is named


def test_missing_csl_file_fails_clearly(project_copy, tmp_path):
    (project_copy / "styles" / "chicago-author-date.csl").unlink()
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, "csl_file", "chicago-author-date.csl not found")


def test_numeric_csl_style_is_refused(project_copy, tmp_path):
    # A numeric or note style makes mkdocs-bibtex drop locators silently.
    csl = project_copy / "styles" / "chicago-author-date.csl"
    csl.write_text(csl.read_text(encoding="utf-8").replace('citation-format="author-date"',
                                                           'citation-format="numeric"'), encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, "not an author-date CSL style")


def test_malformed_bib_entry_fails_naming_file_and_line(project_copy, tmp_path):
    bib = project_copy / "references.bib"
    text = bib.read_text(encoding="utf-8")
    # Drop the comma after the first entry's author field.
    broken = re.sub(r"(author\s*=\s*\{Li, Wenqi\}),", r"\1", text, count=1)
    assert broken != text
    bib.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("{Li, Wenqi}")].count("\n") + 2  # pybtex reports the next line
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, f"references.bib:{line}: malformed entry")


def test_duplicate_bib_key_fails_the_build(project_copy, tmp_path):
    bib = project_copy / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8")
                   + "\n@misc{li2025twoway,\n  title = {A second entry},\n  note = {x},\n}\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, 'duplicate key "li2025twoway"')


def test_missing_source_file_named_in_bib_fails_the_build(project_copy, tmp_path):
    (project_copy / "sources" / "internal-circulation-explainer.txt").unlink()
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, '"chinesedreamndinternal": file "sources/internal-circulation-explainer.txt" does not exist')


def test_citation_block_broken_across_lines_fails_the_build(project_copy, tmp_path):
    page = project_copy / "docs" / "reference" / "index.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nA claim [@li2025twoway, sec. 4.1;\n@li2025twoway, sec. 4.2].\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    _fails_cleanly(result, "docs/reference/index.md:", "is broken across lines")
