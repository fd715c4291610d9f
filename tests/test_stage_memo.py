"""Under `mkdocs serve`, the ledgers' chapter pages and downloads of the last rebuild reused while what they are made
from is unchanged (primer.build.stage_memo): an edit makes again only the edited chapter's, its claims shown as
edited, and the site is the one a new process builds from the same files."""
from __future__ import annotations

from conftest import warm
from serve_harness import serve, site_files

from primer.build.stage_memo import Reuse

CHAPTER = "docs/primer/external-risks.md"
REPORT = '{"stages": plugin.build.reuse.stats}'


def test_an_edit_makes_again_only_its_chapters_ledger_pages_and_the_site_is_a_fresh_builds(cold_project_copy, tmp_path):
    project = cold_project_copy
    warm(project)
    text = (project / CHAPTER).read_text(encoding="utf-8")
    cited = next(line for line in text.split("\n") if "[@" in line and not line.startswith(("|", "#", "-")))
    sentence = cited[:cited.index("[@")].rstrip()
    words = sentence.split()
    assert len(words) > 4
    edited = " ".join(words[:-1]) + " zygomorphicword " + words[-1]   # the claim's own words: its ledger card changes
    edit = [str(project / CHAPTER), sentence, edited]
    first, again, after = serve(project, [[str(tmp_path / "a"), None], [str(tmp_path / "b"), None],
                                          [str(tmp_path / "c"), edit]], REPORT)
    made = first["stages"]["misses"]
    assert made > 20 and first["stages"]["memory"] == 0          # a chapter page of each ledger, and the downloads
    assert again["stages"] == {"memory": made, "misses": 0}
    assert 1 <= after["stages"]["misses"] <= 4 and after["stages"]["memory"] >= made - 4
    ledger = (tmp_path / "c" / "reference" / "claims-ledger" / "primer-external-risks" / "index.html")
    assert "zygomorphicword" in ledger.read_text(encoding="utf-8")
    assert "zygomorphicword" in (tmp_path / "c" / "claims.json").read_text(encoding="utf-8")
    (fresh,) = serve(project, [[str(tmp_path / "d"), None]], REPORT)   # a new process: everything made
    assert fresh["stages"] == {"memory": 0, "misses": made}
    a, d = site_files(tmp_path / "c"), site_files(tmp_path / "d")
    assert sorted(a) == sorted(d) and [name for name in a if a[name] != d[name]] == []


def test_reuse_gives_back_only_what_was_made_from_the_same_parts_and_keeps_only_the_last_builds():
    calls = []

    def make(value):
        return lambda: calls.append(value) or value

    kept: dict = {}
    first = Reuse(kept)
    assert (first(["a", 1], make("A")), first(["b"], make("B"))) == ("A", "B")
    first.finish()
    second = Reuse(kept)
    assert second(["a", 1], make("A2")) == "A"               # the same parts: given back
    assert second(["a", 2], make("A3")) == "A3"              # another part: made
    assert second(["a", "1"], make("A4")) == "A"             # (a part is its text: 1 and "1" are one)
    second.finish()
    assert calls == ["A", "B", "A3"] and second.stats == {"memory": 2, "misses": 1}
    assert len(kept) == 2                                     # "b", unused by the last build, is gone
    outside = Reuse(None)                                     # not under serve: always made, nothing kept
    assert outside(["a", 1], make("A5")) == "A5" and outside.stats == {"memory": 0, "misses": 0}
