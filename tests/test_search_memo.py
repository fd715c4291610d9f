"""Material's search entries of each page reused while the page is unchanged (primer.build.search_memo): from
memory under `mkdocs serve`, from .cache/search/ in a new process; the search index a build writes is the one
it writes when every page is indexed again, and an edited page is indexed again."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import warm
from serve_harness import serve

from primer.build import search_memo

CHAPTER = "docs/primer/external-risks.md"

# what each build reports: where the search entries came from, the index's bytes' sha256, and whether jieba loaded
# its dictionary in this process (tests/serve_harness.py)
REPORT = ('{**plugin.build.search, "index": hashlib.sha256((site / "search" / "search_index.json").read_bytes())'
          '.hexdigest(), "jieba": bool(__import__("jieba").dt.initialized)}')


def _serve(project: Path, builds: list) -> list[dict]:
    return serve(project, builds, REPORT)


def test_unchanged_pages_reuse_their_entries_and_the_index_is_the_same(cold_project_copy, tmp_path):
    project = cold_project_copy
    warm(project)   # the other caches, as a build after the first finds them
    for kept in (project / ".cache" / "search").glob("*.json"):
        kept.unlink()   # this test's first build indexes every page
    (first,) = _serve(project, [[str(tmp_path / "a"), None]])
    pages = first["misses"]
    assert pages > 40 and first["memory"] == first["disk"] == 0 and first["jieba"]

    line = "# External risks\n\n"   # a paragraph added under the title: the page's HTML changes, its title and contents do not
    edit = [str(project / CHAPTER), line, line + "A word found nowhere else: zygomorphicword.\n\n"]
    revert = [edit[0], edit[2], edit[1]]
    again, edited, reverted = _serve(project, [[str(tmp_path / "b"), None], [str(tmp_path / "c"), edit],
                                               [str(tmp_path / "d"), revert]])
    # a new process: every page's entries from disk, and jieba's dictionary never loaded
    assert (again["disk"], again["misses"], again["jieba"]) == (pages, 0, False)
    assert again["index"] == first["index"]
    # the edited page indexed again, with its edit, and the pages that show it (the print edition); no other
    assert 1 <= edited["misses"] <= 3 and edited["memory"] == pages - edited["misses"]
    docs = json.loads((tmp_path / "c" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    chapter = "".join(doc["text"] for doc in docs if doc["location"].startswith("primer/external-risks/"))
    assert "zygomorphicword" in chapter
    # back as it was: its earlier entries found on disk, the index the same bytes as before
    assert (reverted["memory"], reverted["disk"], reverted["misses"]) == (pages - edited["misses"], edited["misses"], 0)
    assert reverted["index"] == first["index"]


def test_a_kept_file_that_is_not_a_list_of_entries_is_ignored():
    assert search_memo._entries('[{"location": "a/", "title": "A", "text": "t"}]') == [
        {"location": "a/", "title": "A", "text": "t"}]
    for bad in (None, "", "not json", "{}", '[{"location": "a/"}]', '[1]', '[{"location": 1, "title": "", "text": ""}]'):
        assert search_memo._entries(bad) is None, bad

