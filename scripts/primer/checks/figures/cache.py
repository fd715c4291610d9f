"""Results kept between runs (the build passes a ResultCache): keyed by every input and the code."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from primer.build import cache_files
from primer.checks.figures.checker import check_markdown
from primer.checks.figures.claims import CLAIM_FIELDS, Claim
from primer.checks.figures.evidence import EVIDENCE
from primer.checks.figures.ledger import ROW_FIELDS, Result, Row
from primer.checks.figures.passages import BIBFILE, MANIFEST, Project, load_project, read_manifest
from primer.checks.figures.problems import Problem


# ---------------------------------------------------------------------------
# Results kept between runs (opt-in: the build passes a ResultCache)
# ---------------------------------------------------------------------------
def _file_state(path: Path) -> bytes:
    """A file's bytes as a key part; a missing (or unreadable) file is a distinct value."""
    try:
        return b"\1" + path.read_bytes() if path.is_file() else b"\0"
    except OSError:
        return b"\2"


_digest = cache_files.key


# the code that runs: every module of primer.checks.figures (read when imported: `mkdocs serve` keeps the modules)
_SOURCE = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))


def _code_state() -> list:
    """The figure check's code and what else shapes a result: Python, PyYAML (the manifest), pybtex (the .bib)."""
    from importlib import metadata
    try:
        pybtex = metadata.version("pybtex")
    except metadata.PackageNotFoundError:
        pybtex = None
    return ["primer.checks.figures results 4", _SOURCE, sys.version, yaml.__version__, pybtex]


class ResultCache:
    """The check's results on disk, one JSON file per key in FOLDER, so that an unchanged page is not checked
    again (the build keeps them in .cache/figures/). A page's key is the sha256 of the figure check's code (every module of primer.checks.figures), Python's,
    PyYAML's and pybtex's versions, the project's inputs (MANIFEST, BIBFILE and every file the manifest lists,
    as bytes) and the page's path, display path and text: a change to any of them is another key, so a result
    is never stale. The project is loaded (load_project) only when a result is missing. Make one per run: the
    project's inputs are read once, when first needed."""

    KEEP = 4096  # files kept, the most recently used: more than a page of each of a primer ten times this size

    def __init__(self, folder, root="."):
        self.folder = Path(folder)
        self.root = Path(root).resolve()
        self._project: Project | None = None
        self._key: str | None = None

    def _get(self, name: str):
        return cache_files.read_json(self.folder / f"{name}.json")

    def _put(self, name: str, data) -> None:
        # not kept when it cannot be written: the next run checks again
        cache_files.write(self.folder / f"{name}.json", json.dumps(data, ensure_ascii=False), self.KEEP)

    def project(self) -> Project:
        if self._project is None:
            self._project = load_project(self.root)
        return self._project

    def project_key(self) -> str:
        if self._key is None:
            code = _code_state()
            manifest = _file_state(self.root / MANIFEST)
            parts = [*code, manifest, _file_state(self.root / BIBFILE), _file_state(self.root / EVIDENCE)]
            for file in (str(s["file"]) for s in read_manifest(self.root)):
                parts += [file, _file_state(self.root / file)]
            self._key = _digest(*parts)
        return self._key

    def project_problems(self) -> list:
        """load_project(root).problems, kept by the project's key."""
        name = "project-" + self.project_key()
        data = self._get(name)
        try:
            return [Problem(*p) for p in data]
        except TypeError:
            problems = list(self.project().problems)
            if all(type(p) is Problem for p in problems):
                self._put(name, [[p.path, p.line, p.col, p.message] for p in problems])
            return problems

    def check_markdown(self, text: str, page: str, display_path: str | None = None, groups=(),
                       figures: bool = True) -> Result:
        """check_markdown(text, page, project, display_path, groups, figures), from the cache when it holds the
        result."""
        display = display_path or page
        name = "page-" + _digest(self.project_key(), page, display, text, repr(list(groups)), str(figures))
        data = self._get(name)
        try:
            return Result(problems=[Problem(*p) for p in data["problems"]],
                          rows=[Row(*r) for r in data["rows"]], pages=data["pages"],
                          claims=[Claim(*c) for c in data["claims"]], quotations=data["quotations"],
                          evidence=data["evidence"], unkept=data["unkept"])
        except (TypeError, KeyError):
            pass
        result = check_markdown(text, page, self.project(), display, groups, figures)
        if all(type(p) is Problem for p in result.problems) and all(type(r) is Row for r in result.rows):
            self._put(name, {"problems": [[p.path, p.line, p.col, p.message] for p in result.problems],
                             "rows": [[getattr(r, k) for k in ROW_FIELDS] for r in result.rows],
                             "claims": [[getattr(c, k) for k in CLAIM_FIELDS] for c in result.claims],
                             "quotations": result.quotations, "pages": result.pages,
                             "evidence": result.evidence, "unkept": result.unkept})
        return result
