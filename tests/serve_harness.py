"""Builds as `mkdocs serve` makes them, for the tests of what the primer plugin keeps from one rebuild to the next
(the render cache, the theme's HTML, the search entries).

One new Python runs every build of a list: the configuration loaded again for each, `on_startup` once with command
"serve" (MkDocs keeps a plugin instance that has it), the site written into the build's own folder. Before a build,
an optional edit: (path, old, new), the first OLD in the file replaced by NEW. After it, one JSON line: the build's
outcome ("built", or "aborted: ..." for a strict build that failed, when `aborts` allows it), the warnings MkDocs
logged, and what the test asks for: REPORT, a Python expression evaluated after the build with

    plugin   the primer plugin (its `build` and `memory`)
    site     the build's site folder (pathlib.Path)
    render   what the render cache did in this build: {"hits", "disk", "misses"}
    hashlib, json   the modules

which must give a dict."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_SCRIPT = r"""
import hashlib, json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

builds, report, aborts = json.loads(sys.argv[1])

class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = []
    def emit(self, record):
        self.seen.append(record.getMessage())

started = False
for site, edit in builds:
    if edit:
        path, old, new = edit
        text = open(path, encoding="utf-8").read()
        assert old in text, old
        open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
    config = load_config("mkdocs.yml", site_dir=site)
    if not started:
        config.plugins.on_startup(command="serve", dirty=False)
        started = True
    stats = config.plugins["primer"].memory.render.stats
    before = dict(stats)
    warnings = Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
        outcome = "built"
    except Abort as err:
        if not aborts:
            raise
        outcome = f"aborted: {err}"
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    render = {"hits": stats["memory"] - before["memory"], "disk": stats["disk"] - before["disk"],
              "misses": stats["misses"] - before["misses"]}
    names = {"plugin": config.plugins["primer"], "site": Path(site), "render": render, "hashlib": hashlib,
             "json": json}
    print(json.dumps({"outcome": outcome, "warnings": warnings.seen, **eval(report, names)}))
"""


def serve(project: Path, builds: list, report: str, aborts: bool = False, timeout: float = 900) -> list[dict]:
    """Each of BUILDS ([site folder, edit or None]) made in PROJECT as `mkdocs serve` makes its rebuilds, in one
    process; one dict per build: outcome, warnings and REPORT's dict. A strict build that fails raises (the
    process fails, and so the test, with its output) unless ABORTS."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PRIMER_PDF="0")
    result = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps([builds, report, aborts])], cwd=project,
                            env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in it: two sites are the same when these are equal."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
