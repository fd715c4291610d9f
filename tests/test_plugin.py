"""The primer plugin (primer.build.plugin): its stages run in the documented order, each build (and each
rebuild of `mkdocs serve`) starts from fresh state, and no module of the build keeps state of its own."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT
from test_render_cache import _serve

BUILD = ROOT / "scripts" / "primer" / "build"


def _events(trace: list) -> list:
    """The trace with each page's run of (3, page_markdown), (5, page_markdown) folded into one "pages" entry."""
    out = []
    for stage, what in trace:
        if what == "page_markdown":
            if not out or out[-1] != "pages":
                out.append("pages")
            continue
        out.append([stage, what])
    return out


def test_stages_run_in_the_documented_order_and_each_serve_rebuild_starts_fresh(render_cold_copy, tmp_path):
    first, second = _serve(render_cold_copy, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None]])
    assert first["outcome"] == second["outcome"] == "built"
    # 1 read, 2 check, then what derives from the check (ledgers, charts; the marks need its claims); the pages,
    # each marked (3) before its corrections and cite block (5); the print edition (6) once every page is done
    expected = [[1, "config"], [1, "files"], [2, "files"], [4, "files"], "pages", [6, "env"], [6, "post_build"]]
    for build in (first, second):
        assert _events(build["trace"]) == expected, build["trace"][:8]
        pages = [entry for entry in build["trace"] if entry[1] == "page_markdown"]
        assert pages and pages == [[3, "page_markdown"], [5, "page_markdown"]] * (len(pages) // 2)
    # the same plugin (MkDocs keeps one with on_startup under serve), a new build each time, its trace its own
    assert first["plugin"] == second["plugin"] and first["build"] != second["build"]
    assert len(second["trace"]) == len(first["trace"])
    assert second["hits"] == first["misses"] > 50   # what serve is meant to keep, it keeps (the renders)


def _module_state(path: Path) -> list[str]:
    """Module-level names bound to a mutable container, and `global` statements, in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.name}:{node.lineno}: global {', '.join(node.names)}"
             for node in ast.walk(tree) if isinstance(node, ast.Global)]
    for node in tree.body:
        targets, value = ([node.target], node.value) if isinstance(node, ast.AnnAssign) else \
            (node.targets, node.value) if isinstance(node, ast.Assign) else ([], None)
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("dict", "list", "set"))
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if mutable and any(not name.isupper() for name in names):
            found.append(f"{path.name}:{node.lineno}: {', '.join(names)}")
    return found


def test_no_module_of_the_build_keeps_state_of_its_own():
    found = [line for path in sorted(BUILD.rglob("*.py")) for line in _module_state(path)]
    assert found == [], "state belongs on the plugin's build (or its memory), not in a module:\n" + "\n".join(found)


def test_the_state_check_sees_module_state(tmp_path):
    planted = tmp_path / "hook.py"
    planted.write_text("_tables: dict = {}\nCONSTANT = {'a': 1}\n\n\ndef f():\n    global _x\n", encoding="utf-8")
    assert _module_state(planted) == ["hook.py:6: global _x", "hook.py:1: _tables"]
