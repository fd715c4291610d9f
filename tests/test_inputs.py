"""The input gate (primer.checks.inputs): each bad input is one line naming its file, its own line (and
byte, for encoding) and the fix — never a traceback, never a page that publishes raw YAML (issue #22)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build

from primer.checks import inputs

ROOT = Path(__file__).resolve().parent.parent
BAD_BYTE = b"\xff"


@pytest.fixture
def project(tmp_path) -> Path:
    """The inputs the gate reads, copied (no build)."""
    for pattern in inputs.INPUTS:
        for path in ROOT.glob(pattern):
            if path.is_file():
                target = tmp_path / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return tmp_path


def insert_bytes(path: Path, line: int, data: bytes) -> None:
    """DATA inserted at the start of LINE (1-based)."""
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = data + lines[line - 1]
    path.write_bytes(b"\n".join(lines))


def replace(path: Path, old: str, new: str) -> int:
    """OLD replaced by NEW once; returns the line OLD was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: update the planted defect"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_the_real_inputs_pass():
    assert inputs.problems(ROOT) == []


@pytest.mark.parametrize("rel", ["docs/primer/external-risks.md", "glossary.yaml", "charts.yaml", "CHANGELOG.md",
                                 "sources/manifest.yaml", "references.bib"])
def test_a_byte_that_is_not_utf8_is_named_with_its_line_and_byte(project, rel):
    insert_bytes(project / rel, 5, b"ab" + BAD_BYTE)
    found = inputs.problems(project)
    assert any(p.startswith(f"{rel}:5:3: not UTF-8 (byte 0xff at byte offset ") and "re-save the file as UTF-8" in p
               for p in found), found


# (file, old, new, the line the problem is on, relative to OLD's line, and what the message must say)
SHAPES = [
    ("glossary.yaml", None, "# the glossary\nterms: 5\n", 2, "expected `terms:` followed by a list of terms"),
    ("glossary.yaml", "  - term: 双循环\n    pinyin: shuāng xúnhuán\n", "  - 双循环\n  - term: x\n    pinyin: shuāng xúnhuán\n",
     0, "term 1 is str, not a mapping"),
    ("glossary.yaml", "  - term: GBA\n", "  - term: 5\n", 0, "`term` of term "),
    ("glossary.yaml", "    english: dual circulation\n", "    english: [dual, circulation]\n", 0, "must be text, not list"),
    ("sources/manifest.yaml", None, "sources: {}\n", 1, "expected `sources:` followed by a list"),
]


@pytest.mark.parametrize("rel, old, new, offset, says", SHAPES, ids=[s[4][:30] for s in SHAPES])
def test_data_of_the_wrong_shape_is_named_at_its_own_line(project, rel, old, new, offset, says):
    if old is None:   # the whole file
        (project / rel).write_text(new, encoding="utf-8")
        line = offset
    else:
        line = replace(project / rel, old, new) + offset
    found = inputs.problems(project)
    assert any(p.startswith(f"{rel}:{line}") and says in p for p in found), (line, found)


def test_broken_yaml_names_the_line_and_says_how_to_fix(project):
    line = replace(project / "charts.yaml", "charts:\n", "charts: [\n")
    found = inputs.problems(project)
    assert len(found) == 1 and re.match(r"charts\.yaml:\d+:\d+: not valid YAML \(.*\); fix the syntax", found[0]), found
    assert int(found[0].split(":")[1]) >= line


def test_a_manifest_section_past_the_end_of_its_file(project):
    line = replace(project / "sources/manifest.yaml", "start: 73", "start: 9999")
    found = inputs.problems(project)
    assert any(p.startswith(f"sources/manifest.yaml:{line}: section '4.2' of li2025twoway starts at line 9999, "
                            "but sources/") and "set `start` to its heading's line" in p for p in found), found


def test_a_manifest_section_at_a_line_that_is_not_its_heading_says_where_it_is(project):
    line = replace(project / "sources/manifest.yaml", "start: 73", "start: 71")
    found = inputs.problems(project)
    assert any(p.startswith(f"sources/manifest.yaml:{line}:") and "(it is on line 73); fix `start`" in p for p in found), found


@pytest.mark.parametrize("front, line, says", [
    ("---\ntitle: [External risks\ndescription: x\n---\n", 3, "not valid YAML"),
    ("---\ntitle: External risks\n", 1, "never closed"),
    ("---\n- a list\n---\n", 2, "must be a mapping"),
    ("---\ntitle: External risks\ndescription:\n  - one\n---\n", 3, "`description` must be one line of text"),
    ("---\ntitle: External risks\ndescription: x\n---\n\n", 5, "the page has front matter and no text"),
], ids=["unclosed bracket", "unclosed front matter", "a list", "description a list", "front matter only"])
def test_front_matter_mkdocs_would_publish_as_text_is_named(project, front, line, says):
    path = project / "docs/primer/external-risks.md"
    body = "" if "no text" in says else path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    path.write_text(front + body, encoding="utf-8")
    found = inputs.problems(project)
    assert any(p.startswith(f"docs/primer/external-risks.md:{line}") and says in p for p in found), found


def test_the_build_stops_at_the_gate_with_the_message_and_no_traceback(cold_project_copy):
    """The strict build, quiet, with two bad inputs: both named, the build stopped before anything reads them."""
    project = cold_project_copy
    insert_bytes(project / "docs/primer/external-risks.md", 3, BAD_BYTE)
    replace(project / "glossary.yaml", "  - term: GBA\n", "  - term: 5\n")
    result = mkdocs_build(project, project / "site", "-q")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-3000:]
    assert "2 inputs cannot be read" in output
    assert "docs/primer/external-risks.md:3:1: not UTF-8 (byte 0xff" in output
    assert "glossary.yaml:" in output and "`term` of term " in output and "must be text, not int" in output
