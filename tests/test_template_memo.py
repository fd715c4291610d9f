"""Under `mkdocs serve`, the theme's HTML of a page reused while everything its template reads is unchanged
(primer.build.template_memo): a rebuild renders again only the pages whose HTML, place or navigation changed, and
writes the site a first build of the same project writes."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import warm
from serve_harness import serve
from serve_harness import site_files as _files

CHAPTER = "docs/primer/external-risks.md"


def _serve(project: Path, builds: list) -> list[dict]:
    # each build as `mkdocs serve` makes it (tests/serve_harness.py): how many pages' HTML was reused, how many rendered
    return serve(project, builds, "plugin.build.templates")


def _same(a: Path, b: Path) -> None:
    first, second = _files(a), _files(b)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_rebuild_renders_only_what_changed_and_writes_the_site_a_first_build_writes(cold_project_copy, tmp_path):
    project = cold_project_copy
    warm(project)
    heading = "# External risks\n\n"
    body = [str(project / CHAPTER), heading, heading + "A paragraph added under serve: zygomorphicword.\n\n"]
    # a title in the navigation: every page shows the navigation, so every page is rendered again
    title = "- What dual circulation is: "
    assert title in (project / "mkdocs.yml").read_text(encoding="utf-8")
    nav = [str(project / "mkdocs.yml"), title, "- What dual circulation is (edited): "]
    # a theme template: a comment added to overrides/main.html (the same HTML), every page rendered again
    override = [str(project / "overrides" / "main.html"), "{% extends", "{#- edited under serve -#}\n{% extends"]
    first, again, edited, renamed, overridden = _serve(project, [
        [str(tmp_path / "a"), None], [str(tmp_path / "b"), None], [str(tmp_path / "c"), body],
        [str(tmp_path / "d"), nav], [str(tmp_path / "g"), override]])
    pages = first["misses"]
    assert pages > 40 and first.get("memory", 0) == 0
    assert (again.get("memory"), again.get("misses", 0)) == (pages, 0)
    _same(tmp_path / "a", tmp_path / "b")
    assert 1 <= edited["misses"] <= 3 and edited["memory"] == pages - edited["misses"]
    assert renamed.get("memory", 0) == 0 and renamed["misses"] == pages
    assert overridden.get("memory", 0) == 0 and overridden["misses"] == pages
    assert "zygomorphicword" in (tmp_path / "c" / "primer" / "external-risks" / "index.html").read_text(encoding="utf-8")
    # the same project built by a new process, every page rendered: the same site as the rebuild's
    (fresh,) = _serve(project, [[str(tmp_path / "e"), None]])
    assert fresh.get("memory", 0) == 0
    _same(tmp_path / "g", tmp_path / "e")
    _same(tmp_path / "d", tmp_path / "g")   # (the comment changed no page)
    # and the body edit alone, the navigation's edit undone, built fresh: the same as the rebuild that made it
    _serve(project, [[str(tmp_path / "f"), [nav[0], nav[2], nav[1]]]])
    _same(tmp_path / "c", tmp_path / "f")


def test_no_template_of_the_theme_reads_the_build_date_or_the_site_folder():
    # the key leaves them out: the date changes on every build, the folder on every rebuild under serve
    from mkdocs.config import load_config
    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))
    readers = [str(path) for folder in config.theme.dirs for path in Path(folder).rglob("*")
               if path.is_file() and path.suffix in (".html", ".xml", ".j2") and re.search(r"build_date_utc|site_dir",
                                                                                   path.read_text(errors="replace"))]
    assert readers == []


def test_the_builds_key_covers_the_navigation():
    from types import SimpleNamespace as Item

    from mkdocs.config import load_config

    from primer.build import template_memo
    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))

    def key(title="External risks", url="primer/external-risks/", meta=None, icon=None):
        page = Item(title=title, url=url, is_index=False, meta={"title": title, **(meta or {})}, children=None)
        section = Item(title="The primer", url=None, children=[Item(title="Home", url="", meta={}, children=None), page])
        return template_memo.build_key({"config": config, "nav": [section], "pages": [Item(src_uri="a.md", url="a/")]})

    assert key() == key()
    assert len({key(), key(title="External threats"), key(url="primer/risks/"), key(meta={"icon": "x"})}) == 4
