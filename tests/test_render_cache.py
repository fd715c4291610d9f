"""The primer plugin's render cache (primer.build.render_cache): a build converts again only the pages whose Markdown (or
links, or settings) changed, from memory under `mkdocs serve` and from .cache/render/ in a new process; the
site it writes is the one a build without the cache writes; a warning of a reused page is logged again, so
a strict build still fails on it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import mkdocs_build
from serve_harness import serve
from serve_harness import site_files as _files

CHAPTER = "docs/primer/external-risks.md"

# what each build reports: the render cache's counts and the stages that ran (tests/serve_harness.py)
REPORT = ('{"plugin": id(plugin), "build": id(plugin.build), "trace": plugin.build.trace, "hits": render["hits"], '
          '"disk": render["disk"], "misses": render["misses"]}')


def _serve(project: Path, builds: list) -> list[dict]:
    return serve(project, builds, REPORT, aborts=True, timeout=600)


def test_a_rebuild_converts_only_the_edited_page_and_writes_the_same_site(render_cold_copy, tmp_path):
    first_line = (render_cold_copy / CHAPTER).read_text(encoding="utf-8").split("\n\n")[1].split("\n")[0]
    edit = [str(render_cold_copy / CHAPTER), first_line, first_line + " Edited under serve."]
    first, again, edited = _serve(render_cold_copy, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None],
                                                 [str(tmp_path / "c"), edit]])
    assert first["outcome"] == again["outcome"] == edited["outcome"] == "built"
    assert first["hits"] == first["disk"] == 0 and first["misses"] > 50   # no .cache/render/
    counts = ("hits", "disk", "misses", "outcome", "warnings")
    assert {k: again[k] for k in counts} == {**{k: first[k] for k in counts}, "hits": first["misses"], "misses": 0}
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    assert edited["misses"] >= 1 and edited["hits"] >= first["misses"] - 3   # the chapter (and what lists it)
    page = (tmp_path / "c" / "primer" / "external-risks" / "index.html").read_text(encoding="utf-8")
    assert "Edited under serve." in page
    # the same edited project in a new process: every page from .cache/render/, then with no cache at all (also
    # what the print edition and the reading time keep for a serve rebuild: the edited page's words, its print section)
    disk, = _serve(render_cold_copy, [[str(tmp_path / "e"), None]])
    assert disk["hits"] == disk["misses"] == 0 and disk["disk"] == first["misses"]
    assert _files(tmp_path / "e") == _files(tmp_path / "c")
    shutil.rmtree(render_cold_copy / ".cache" / "render")
    fresh, = _serve(render_cold_copy, [[str(tmp_path / "d"), None]])
    assert fresh["hits"] == fresh["disk"] == 0
    assert _files(tmp_path / "c") == _files(tmp_path / "d")


def test_a_reused_page_logs_its_warning_again_and_the_strict_rebuild_still_fails(render_cold_copy, tmp_path):
    text = (render_cold_copy / CHAPTER).read_text(encoding="utf-8")
    (render_cold_copy / CHAPTER).write_text(text + "\nSee [a missing page](no-such-page.md).\n", encoding="utf-8")
    first, again = _serve(render_cold_copy, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None]])
    assert first["misses"] > 50 and again["misses"] == 0 and again["hits"] == first["misses"]
    for build in (first, again):
        assert build["outcome"].startswith("aborted"), build
        assert any("no-such-page.md" in w and "external-risks.md" in w for w in build["warnings"]), build
    # and `mkdocs build --strict` (at INFO, another key than the harness's): the first build keeps its pages in
    # .cache/render/, the second takes every one from there, and fails on the same warning
    for site in ("c", "d"):
        before = set((render_cold_copy / ".cache" / "render").glob("*.json"))
        result = mkdocs_build(render_cold_copy, tmp_path / site)
        assert result.returncode != 0 and "no-such-page.md" in result.stdout + result.stderr
    assert set((render_cold_copy / ".cache" / "render").glob("*.json")) == before   # nothing converted again


def test_a_cache_file_that_is_not_a_render_is_ignored(render_cold_copy, tmp_path):
    first = mkdocs_build(render_cold_copy, tmp_path / "a")
    assert first.returncode == 0, first.stdout + first.stderr
    kept = sorted((render_cold_copy / ".cache" / "render").glob("*.json"))
    assert len(kept) > 50
    for i, path in enumerate(kept):   # truncated, not JSON, JSON of something else
        path.write_text(["{\"content\": \"<p>stale", "not json", "[1, 2]"][i % 3], encoding="utf-8")
    again = mkdocs_build(render_cold_copy, tmp_path / "b")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _files(tmp_path / "b") == _files(tmp_path / "a")


# -- primer.build.render_cache on its own, with a stand-in page ----------------------------------------


class _File:
    def __init__(self, src_uri, url):
        self.src_uri, self.url = src_uri, url


class _Page:
    def __init__(self, markdown="# A\n"):
        self.markdown, self.file = markdown, _File("a.md", "a/")
        self.content = self.toc = self._title_from_render = self.present_anchor_ids = self.links_to_anchors = None


class _Files(list):
    def get_file_from_path(self, path):
        return next((f for f in self if f.src_uri == path), None)


def _original(calls):
    """A stand-in for MkDocs' Page.render: logs the page's warning, while another thread (mkdocs serve's
    web server) logs a request of its own."""
    import logging
    import threading

    from mkdocs.structure.toc import AnchorLink, TableOfContents

    def render(page, config, files):
        calls.append(page)
        server = threading.Thread(target=lambda: logging.getLogger("mkdocs.livereload").warning("GET /x 404"))
        server.start()
        server.join()
        logging.getLogger("mkdocs.structure.pages").warning("Doc file 'a.md' contains a link 'b.md'")
        page.content, page._title_from_render, page.present_anchor_ids = "<h1 id=\"a\">A</h1>", "A", {"a"}
        page.toc = TableOfContents([AnchorLink("A", "a", 1)])
        page.links_to_anchors = {files[1]: {"x": "b.md#x"}}
    return render


def test_a_render_is_given_back_whole_with_its_own_warnings_only(tmp_path, caplog):
    from primer.build import render_cache
    cache = render_cache.RenderCache(tmp_path)
    files, calls = _Files([_File("a.md", "a/"), _File("b.md", "b/")]), []
    first = _Page()
    with caplog.at_level("WARNING", logger="mkdocs"):
        cache.render(first, None, files, _original(calls), "files", "settings")
    assert len(calls) == 1 and len(caplog.records) == 2   # the page's warning and the server's, both logged
    for where in ("memory", "disk"):
        if where == "disk":
            cache.memory.clear()
        caplog.clear()
        again = _Page()
        with caplog.at_level("WARNING", logger="mkdocs"):
            cache.render(again, None, files, _original(calls), "files", "settings")
        assert len(calls) == 1, where   # not converted again
        assert [r.getMessage() for r in caplog.records] == ["Doc file 'a.md' contains a link 'b.md'"], where
        assert (again.content, again._title_from_render, again.present_anchor_ids) == (first.content, "A", {"a"})
        assert [(i.title, i.id, i.level) for i in again.toc] == [("A", "a", 1)] and again.toc is not first.toc
        assert again.links_to_anchors == {files[1]: {"x": "b.md#x"}}
    assert cache.stats == {"memory": 1, "disk": 1, "misses": 1}


def test_a_changed_input_is_converted_again_and_a_file_of_the_wrong_shape_ignored(tmp_path):
    from primer.build import render_cache
    cache = render_cache.RenderCache(tmp_path)
    files, calls = _Files([_File("a.md", "a/"), _File("b.md", "b/")]), []
    render = _original(calls)
    cache.render(_Page(), None, files, render, "files", "settings")
    for markdown, files_key, settings_key in (("# B\n", "files", "settings"), ("# A\n", "other files", "settings"),
                                              ("# A\n", "files", "other settings")):
        cache.render(_Page(markdown), None, files, render, files_key, settings_key)
    assert len(calls) == 4
    cache.memory.clear()
    for path in tmp_path.glob("*.json"):   # JSON, but not a render's: its toc is not a list of entries
        path.write_text(json.dumps({"content": "stale", "toc": [1], "title": None, "anchors": [], "links": None,
                                    "records": []}), encoding="utf-8")
    page = _Page()
    cache.render(page, None, files, render, "files", "settings")
    assert len(calls) == 5 and page.content != "stale"


def test_the_settings_key_holds_each_extension_option_and_the_log_level(tmp_path):
    import logging
    from types import SimpleNamespace

    from primer.build import render_cache
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")

    def key(extensions=("toc",), configs=None):
        return render_cache.settings_key(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"),
                                                         markdown_extensions=list(extensions),
                                                         mdx_configs=configs or {}))
    base = key()
    assert key() == base
    assert key(configs={"toc": {"permalink": True}}) != base
    assert key(extensions=("toc", "abbr")) != base
    logger = logging.getLogger("mkdocs")
    level = logger.level
    try:
        logger.setLevel(logging.DEBUG if logger.getEffectiveLevel() > logging.DEBUG else logging.INFO)
        assert key() != base
    finally:
        logger.setLevel(level)
    assert render_cache.files_key([_File("a.md", "a/")]) != render_cache.files_key([_File("a.md", "a.html")])
