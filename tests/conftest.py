"""Shared fixtures: one strict build of the real site per test run, and
throw-away copies of the project in which a test plants a defect."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# What a build needs; a copy of these is a complete project.
PROJECT_PARTS = ["mkdocs.yml", "docs", "hooks", "scripts", "sources", "styles", "references.bib", "glossary.yaml",
                 "charts.yaml", "overrides", "CHANGELOG.md"]


def mkdocs_build(project: Path, site_dir: Path, *, pdf: bool = False) -> subprocess.CompletedProcess:
    """Run the strict build exactly as `make build` does, from the project's root; without the PDF
    of the print edition (~20 s with WeasyPrint) unless `pdf` (hooks/print_edition.py, PRIMER_PDF)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if not pdf:
        env["PRIMER_PDF"] = "0"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict from the working tree."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site, pdf=True)
    if result.returncode != 0:
        pytest.fail("strict build failed:\n" + result.stdout + result.stderr, pytrace=False)
    return site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project to break on purpose."""
    dest = tmp_path / "project"
    dest.mkdir()
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def built_pages(site: Path) -> dict[str, Path]:
    """{URL path: index.html} for every page of a built site but 404 and redirect pages."""
    pages = {}
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        path = "" if rel == "." else rel + "/"
        if not path.startswith("404/") and 'http-equiv="refresh"' not in index.read_text(encoding="utf-8"):
            pages[path] = index
    return pages
