"""The vendored sources are unchanged, all listed, and their section maps right."""
from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from primer.checks.sources import load_manifest, verify


def test_real_sources_verify():
    problems = verify(ROOT)
    assert not problems, "\n".join(problems)


def test_manifest_lists_every_document_with_its_metadata():
    """Every text file in sources/ is one document of the manifest (however many there are), with what is known
    of it (or "unknown")."""
    sources = load_manifest(ROOT)
    assert sources and {s["file"] for s in sources} == {f"sources/{p.name}" for p in (ROOT / "sources").glob("*.txt")}
    for source in sources:
        for field in ("key", "file", "sha256", "title", "author", "outlet", "type", "dates", "url",
                      "licence", "unknown"):
            assert source.get(field), f"{source.get('file')}: manifest lacks {field!r}"


@pytest.fixture
def sources_copy(tmp_path):
    for part in ("sources", "references.bib"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / part)
    return tmp_path


def test_a_changed_byte_is_caught(sources_copy):
    path = sources_copy / "sources" / "li-2025-two-way-internationalization.txt"
    path.write_bytes(path.read_bytes().replace(b"86.9 percent", b"86.8 percent"))
    problems = verify(sources_copy)
    assert len(problems) == 1
    assert problems[0].startswith("sources/li-2025-two-way-internationalization.txt: has changed: sha256")


def test_a_missing_source_is_caught(sources_copy):
    (sources_copy / "sources" / "zhao-innovative-inclusive-development.txt").unlink()
    problems = verify(sources_copy)
    assert any(p.startswith("sources/zhao-innovative-inclusive-development.txt: listed in") and "missing" in p
               for p in problems), problems


def test_an_unlisted_source_is_caught(sources_copy):
    (sources_copy / "sources" / "extra.txt").write_text("new text", encoding="utf-8")
    assert verify(sources_copy) == ["sources/extra.txt: not listed in sources/manifest.yaml; add its "
                                    "provenance and sha256"]


def test_a_wrong_section_start_is_caught(sources_copy):
    manifest = sources_copy / "sources" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        '{id: "4.2", heading: "4.2. Changes in the International Environment", start: 73}',
        '{id: "4.2", heading: "4.2. Changes in the International Environment", start: 71}'), encoding="utf-8")
    problems = verify(sources_copy)
    assert len(problems) == 1 and problems[0].startswith(
        "sources/li-2025-two-way-internationalization.txt:71: manifest says section '4.2' starts here"), problems
