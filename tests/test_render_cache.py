"""hooks/render_cache.py and primer.render_cache: a build converts again only the pages whose Markdown (or
links, or settings) changed, from memory under `mkdocs serve` and from .cache/render/ in a new process; the
site it writes is the one a build without the cache writes; a warning of a reused page is logged again, so
a strict build still fails on it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import mkdocs_build

# Rebuilds as `mkdocs serve` makes them: one process, the configuration loaded again for each, on_startup
# once with command "serve". Prints one JSON line per build: the cache's counts and the build's outcome.
SERVE = r"""
import json, logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from primer import render_cache

class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = []
    def emit(self, record):
        self.seen.append(record.getMessage())

started = False
for site, edit in json.loads(sys.argv[1]):
    if edit:
        path, old, new = edit
        text = open(path, encoding="utf-8").read()
        assert old in text, old
        open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
    config = load_config("mkdocs.yml", site_dir=site)
    if not started:
        config.plugins.on_startup(command="serve", dirty=False)
        started = True
    before = dict(render_cache.stats)
    warnings = Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
        outcome = "built"
    except Abort as err:
        outcome = f"aborted: {err}"
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    print(json.dumps({"hits": render_cache.stats["memory"] - before["memory"],
                      "disk": render_cache.stats["disk"] - before["disk"],
                      "misses": render_cache.stats["misses"] - before["misses"],
                      "outcome": outcome, "warnings": warnings.seen}))
"""

CHAPTER = "docs/primer/external-risks.md"


def _serve(project: Path, builds: list) -> list[dict]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PRIMER_PDF="0")
    result = subprocess.run([sys.executable, "-c", SERVE, json.dumps(builds)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_rebuild_converts_only_the_edited_page_and_writes_the_same_site(project_copy, tmp_path):
    first_line = (project_copy / CHAPTER).read_text(encoding="utf-8").split("\n\n")[1].split("\n")[0]
    edit = [str(project_copy / CHAPTER), first_line, first_line + " Edited under serve."]
    first, again, edited = _serve(project_copy, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None],
                                                 [str(tmp_path / "c"), edit]])
    assert first["outcome"] == again["outcome"] == edited["outcome"] == "built"
    assert first["hits"] == first["disk"] == 0 and first["misses"] > 50   # a copy: no .cache/
    assert again == {**first, "hits": first["misses"], "misses": 0}   # nothing changed: every page reused
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    assert edited["misses"] >= 1 and edited["hits"] >= first["misses"] - 3   # the chapter (and what lists it)
    page = (tmp_path / "c" / "primer" / "external-risks" / "index.html").read_text(encoding="utf-8")
    assert "Edited under serve." in page
    # the same edited project in a new process: every page from .cache/render/, then with no cache at all
    disk, = _serve(project_copy, [[str(tmp_path / "e"), None]])
    assert disk["hits"] == disk["misses"] == 0 and disk["disk"] == first["misses"]
    assert _files(tmp_path / "e") == _files(tmp_path / "c")
    shutil.rmtree(project_copy / ".cache" / "render")
    fresh, = _serve(project_copy, [[str(tmp_path / "d"), None]])
    assert fresh["hits"] == fresh["disk"] == 0
    assert _files(tmp_path / "c") == _files(tmp_path / "d")


def test_a_reused_page_logs_its_warning_again_and_the_strict_rebuild_still_fails(project_copy, tmp_path):
    text = (project_copy / CHAPTER).read_text(encoding="utf-8")
    (project_copy / CHAPTER).write_text(text + "\nSee [a missing page](no-such-page.md).\n", encoding="utf-8")
    first, again = _serve(project_copy, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None]])
    assert first["misses"] > 50 and again["misses"] == 0 and again["hits"] == first["misses"]
    for build in (first, again):
        assert build["outcome"].startswith("aborted"), build
        assert any("no-such-page.md" in w and "external-risks.md" in w for w in build["warnings"]), build
    # and `mkdocs build --strict`, the page now from .cache/render/: the same warning, the build fails
    result = mkdocs_build(project_copy, tmp_path / "c")
    assert result.returncode != 0 and "no-such-page.md" in result.stdout + result.stderr


def test_a_cache_file_that_is_not_a_render_is_ignored(project_copy, tmp_path):
    first = mkdocs_build(project_copy, tmp_path / "a")
    assert first.returncode == 0, first.stdout + first.stderr
    kept = sorted((project_copy / ".cache" / "render").glob("*.json"))
    assert len(kept) > 50
    for i, path in enumerate(kept):   # truncated, not JSON, JSON of something else
        path.write_text(["{\"content\": \"<p>stale", "not json", "[1, 2]"][i % 3], encoding="utf-8")
    again = mkdocs_build(project_copy, tmp_path / "b")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
