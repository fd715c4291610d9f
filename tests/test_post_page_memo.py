"""Under `mkdocs serve`, the last steps of a page's output (the tooltips' titles, the search for script URLs, the
Content-Security-Policy) reused while the page's HTML is unchanged (primer.build.post_page_memo): a rebuild runs
them only on the pages that changed and writes the site a first build writes, and a page whose steps warned runs
them again, so a strict rebuild fails again."""
from __future__ import annotations

import logging
import re
from types import SimpleNamespace

from conftest import warm
from serve_harness import serve, site_files

from primer.build.post_page_memo import PostPageMemo

CHAPTER = "docs/primer/external-risks.md"
REPORT = "plugin.build.post_page.stats"
SCRIPT_LINK = '<a href="javascript:alert(1)">planted</a>'


def _same(a, b) -> None:
    first, second = site_files(a), site_files(b)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_rebuild_finishes_only_what_changed_and_a_warning_is_given_again(cold_project_copy, tmp_path):
    project = cold_project_copy
    warm(project)
    heading = "# External risks\n\n"
    plant = [str(project / CHAPTER), heading, heading + SCRIPT_LINK + "\n\n"]
    body = [str(project / CHAPTER), SCRIPT_LINK, "A paragraph added under serve: zygomorphicword."]
    first, planted, again, edited = serve(project, [
        [str(tmp_path / "a"), None], [str(tmp_path / "b"), plant], [str(tmp_path / "c"), None],
        [str(tmp_path / "d"), body]], REPORT, aborts=True)
    pages = first["misses"]
    assert first["outcome"] == "built" and pages > 40 and first["memory"] == 0
    # the planted link: its page's steps run and warn, in this rebuild and in the next with nothing changed
    for build in (planted, again):
        assert build["outcome"].startswith("aborted")
        assert any("javascript:" in warning and "primer/external-risks.md" in warning for warning in build["warnings"])
        assert 1 <= build["misses"] <= 6 and build["memory"] == pages - build["misses"]
    assert again["misses"] >= 1   # the page that warned was not kept
    assert edited["outcome"] == "built" and 1 <= edited["misses"] <= 6 and edited["memory"] == pages - edited["misses"]
    assert "zygomorphicword" in (tmp_path / "d" / "primer" / "external-risks" / "index.html").read_text(encoding="utf-8")
    (fresh,) = serve(project, [[str(tmp_path / "e"), None]], REPORT)   # a new process: every page's steps run
    assert fresh["memory"] == 0 and fresh["misses"] == pages
    _same(tmp_path / "d", tmp_path / "e")


def _page(src_uri="primer/a.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_src_path=f"/p/docs/{src_uri}"))


def _policy(live_reload=True, script="x = 1;"):
    return SimpleNamespace(live_reload=live_reload, templates=[re.compile(re.escape(script))])


def test_the_key_covers_the_html_the_page_and_the_policy_and_nothing_is_kept_outside_serve():
    made = []

    def steps(output):
        made.append(output)
        return output.upper()

    kept: dict = {}
    memo = PostPageMemo(kept, _policy(), "/p")
    assert memo("<p>a</p>", _page(), steps) == "<P>A</P>"
    assert memo("<p>a</p>", _page(), steps) == "<P>A</P>" and len(made) == 1          # the same: given back
    assert memo("<p>b</p>", _page(), steps) == "<P>B</P>" and len(made) == 2          # its HTML changed: made
    assert memo("<p>b</p>", _page("primer/b.md"), steps) == "<P>B</P>" and len(made) == 3   # another page: made
    assert memo.stats == {"memory": 1, "misses": 3}
    for policy in (_policy(live_reload=False), _policy(script="y = 2;")):          # the policy changed: made
        before = len(made)
        assert PostPageMemo(kept, policy, "/p")("<p>b</p>", _page(), steps) == "<P>B</P>" and len(made) == before + 1
    before = len(made)
    PostPageMemo(kept, _policy(), "/q")("<p>b</p>", _page(), steps)                   # another project folder: made
    assert len(made) == before + 1
    outside = PostPageMemo(None, _policy(), "/p")                                     # not under serve: always made
    before = len(made)
    outside("<p>b</p>", _page(), steps), outside("<p>b</p>", _page(), steps)
    assert len(made) == before + 2 and outside.stats == {"memory": 0, "misses": 0}


def test_a_page_whose_steps_warned_is_not_kept():
    calls = []

    def warns(output):
        calls.append(output)
        logging.getLogger("mkdocs.plugins.primer.safety").warning("a script URL")
        return output

    memo = PostPageMemo({}, _policy(), "/p")
    memo("<p>a</p>", _page(), warns)
    memo("<p>a</p>", _page(), warns)
    assert len(calls) == 2 and memo.stats == {"memory": 0, "misses": 2}
