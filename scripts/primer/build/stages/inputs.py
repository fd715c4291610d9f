"""Stage 1, read: the input gate (primer.checks.inputs) before anything reads an input.

A file that is not UTF-8, YAML that does not parse, front matter MkDocs would publish as page text, a
glossary.yaml or a manifest of the wrong shape: each fails the build here with its file, line and fix,
instead of a traceback (or a wrong page) later.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from primer.checks.inputs import problems


def check(root: Path, docs_dir: str) -> None:
    found = problems(root, docs_dir)
    if found:
        n = len(found)
        raise PluginError(f"{n} input{'s' * (n != 1)} cannot be read:\n" + "\n".join(f"  {p}" for p in found))
