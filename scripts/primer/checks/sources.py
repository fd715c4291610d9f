"""Verify the vendored sources against sources/manifest.yaml.

    python -m primer.checks.sources

Every listed file must exist with the SHA-256 the manifest records; every
text file in sources/ must be listed; each section in a source's locator map
must start, on the line the manifest gives, with the heading it names; and
each source's key must name that file in references.bib.
One line per problem, the place first. Exit status 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

MANIFEST = "sources/manifest.yaml"


def load_manifest(root: str | Path) -> list[dict]:
    """The `sources:` list of the manifest (raises FileNotFoundError, yaml.YAMLError)."""
    data = yaml.safe_load((Path(root) / MANIFEST).read_text(encoding="utf-8"))
    return data["sources"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify(root: str | Path = ".") -> list[str]:
    root = Path(root)
    try:
        sources = load_manifest(root)
    except FileNotFoundError:
        return [f"{MANIFEST}: missing; it records the provenance and checksum of every vendored source"]
    except (yaml.YAMLError, KeyError, TypeError) as err:
        return [f"{MANIFEST}: cannot be read ({err.__class__.__name__}: {err}); fix the YAML"]

    problems = []
    listed = set()
    for source in sources:
        rel = source["file"]
        listed.add(rel)
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel}: listed in {MANIFEST} (key {source['key']}) but missing; restore it from "
                            "the text the project received")
            continue
        actual = sha256(path)
        if actual != source["sha256"]:
            problems.append(f"{rel}: has changed: sha256 {actual} != {source['sha256']} in {MANIFEST}; sources "
                            "are vendored unchanged: restore the file (git checkout -- " + rel + ")")
            continue
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except UnicodeDecodeError as err:
            problems.append(f"{rel}: not valid UTF-8 at byte {err.start}")
            continue
        for section in (source.get("locators") or {}).get("sections") or []:
            start, heading = section["start"], section["heading"]
            if not 1 <= start <= len(lines):
                problems.append(f"{MANIFEST}: {rel}: section {section['id']!r} starts at line {start}, "
                                f"but the file has {len(lines)} lines")
            elif not lines[start - 1].strip().startswith(heading):
                problems.append(f"{rel}:{start}: manifest says section {section['id']!r} starts here with "
                                f"{heading!r}, but the line reads {lines[start - 1].strip()[:60]!r}; fix `start`")
    for path in sorted((root / "sources").glob("*.txt")):
        rel = path.relative_to(root).as_posix()
        if rel not in listed:
            problems.append(f"{rel}: not listed in {MANIFEST}; add its provenance and sha256")
    bib = root / "references.bib"
    if bib.is_file():
        from pybtex.database import parse_file

        entries = parse_file(str(bib)).entries
        for source in sources:
            entry = entries.get(source["key"])
            if entry is None:
                problems.append(f"references.bib: no entry for source key {source['key']!r} ({source['file']})")
            elif entry.fields.get("file") != source["file"]:
                problems.append(f"references.bib: entry {source['key']!r} should have file = {{{source['file']}}}")
    return problems


def main() -> int:
    problems = verify(".")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
