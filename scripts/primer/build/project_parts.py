"""What a build of the primer needs, and a throw-away copy of it: for the tests that plant a
defect in a copy (tests/conftest.py) and for the benchmark's cold build and live reload
(scripts/primer/bench/). A copy has no .git and no .cache/."""
from __future__ import annotations

import shutil
from pathlib import Path

from primer import ROOT

PROJECT_PARTS = ("mkdocs.yml", "docs", "scripts", "sources", "styles", "references.bib", "glossary.yaml",
                 "charts.yaml", "overrides", "CHANGELOG.md")


def copy_project(dest: Path, extra: tuple[str, ...] = (), root: Path = ROOT) -> Path:
    """PROJECT_PARTS (and `extra`) of `root` copied into `dest`, which must not exist yet."""
    dest.mkdir(parents=True)
    for part in (*PROJECT_PARTS, *extra):
        src = root / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest
