"""Under `mkdocs serve`, a page's marks and notes of the last rebuild reused while everything they are made from is the
same (primer.build.marks_memo): serve rebuilds write the site a new process writes, and a change in each thing the
marks read (the page's Markdown, its claims, a label, a section's label, a work's reference, a source's entry, an
excerpt's decision, a linked page's URL, the page's own URL) marks the page again, as a new build marks it."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import warm
from serve_harness import serve, site_files

from primer.build.marks_memo import MarksMemo
from primer.build.stages.marks import Marks
from primer.checks.figures.claims import Claim

CHAPTER = "docs/primer/external-risks.md"
REPORT = "plugin.build.marks.memo.stats"


def test_serve_rebuilds_mark_only_what_changed_and_write_a_new_processs_site(cold_project_copy, tmp_path):
    project = cold_project_copy
    warm(project)
    text = (project / CHAPTER).read_text(encoding="utf-8")
    end = text[-80:]   # a paragraph added after the last citation: the claims keep their places, the Markdown changes
    assert text.count(end) == 1
    body = [str(project / CHAPTER), end, end.rstrip("\n") + "\n\nA paragraph added under serve: zygomorphicword.\n"]
    # a work's label, in every page that cites it
    label = [str(project / "references.bib"), "{Guangdong brief}", "{Guangdong policy brief}"]
    first, again, edited, relabelled = serve(project, [
        [str(tmp_path / "a"), None], [str(tmp_path / "b"), None], [str(tmp_path / "c"), body],
        [str(tmp_path / "d"), label]], REPORT)
    pages = first["misses"]
    assert pages > 40 and first["memory"] == 0
    assert again == {**again, "memory": pages, "misses": 0}
    assert 1 <= edited["misses"] <= 6 and edited["memory"] == pages - edited["misses"]
    chapter = tmp_path / "{}" / "primer" / "external-risks" / "index.html"
    assert "zygomorphicword" in Path(str(chapter).format("c")).read_text(encoding="utf-8")
    assert relabelled["misses"] == pages   # (the .bib is one of the figure check's inputs: every page's key changed)
    assert "Guangdong policy brief" in Path(str(chapter).format("d")).read_text(encoding="utf-8")
    (fresh,) = serve(project, [[str(tmp_path / "e"), None]], REPORT)   # a new process: every page marked
    assert fresh["memory"] == 0 and fresh["misses"] == pages
    a, b, d, e = (site_files(tmp_path / name) for name in "abde")
    assert a == b
    assert sorted(d) == sorted(e) and [name for name in d if d[name] != e[name]] == []


# -- each thing the marks read, changed: the page marked again, as a new build marks it ------------------------

TEXT = ("Exports fell [@guangdongndbrief, sec. Problems Ahead]. Li says so [@li2025twoway, sec. 4.2].\n\n"
        "Again [@guangdongndbrief, sec. Problems Ahead].\n")


def _claim(text, key, locator, **fields):
    at = text.index("@" + key)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    values = dict(page="primer/a.md", line=line, col=col, sentence="Exports fell.", key=key, locator=locator,
                  passage="Exports fell by a third in the year.", source_file=f"sources/{key}.txt", source_lines="10",
                  method="quotation", score=100, status="ok", highlight="fell", cites=f"{line}:{col}", sentences="3")
    return Claim(**{**values, **fields})


@dataclasses.dataclass
class Inputs:
    """What a Marks reads, as plain values: the fakes below give them to it."""
    text: str = TEXT
    page_url: str = "primer/a/"
    works: dict = dataclasses.field(default_factory=lambda: {"guangdongndbrief": "Guangdong brief", "li2025twoway": "Li 2025"})
    sections: dict = dataclasses.field(default_factory=lambda: {"problems ahead": "Problems ahead"})
    references: dict = dataclasses.field(default_factory=lambda: {"guangdongndbrief": "<em>Brief</em>",
                                                                  "li2025twoway": "Li, W. 2025."})
    entries: dict = dataclasses.field(default_factory=lambda: {
        "sources/guangdongndbrief.txt": {"republish": "passages", "url": "https://example.org/brief"},
        "sources/li2025twoway.txt": {"republish": "whole", "file": "sources/li2025twoway.txt",
                                     "chapter": "docs/sources/li.md"}})
    shown: dict = dataclasses.field(default_factory=lambda: {"sources/guangdongndbrief.txt": "… fell by a third …",
                                                             "sources/li2025twoway.txt": "Exports fell by a third."})
    urls: dict = dataclasses.field(default_factory=lambda: {"sources/li/text.md": "sources/li/text/"})
    claim_fields: dict = dataclasses.field(default_factory=dict)


class _Excerpts:
    def __init__(self, shown, calls):
        self.shown, self.calls = shown, calls

    def for_claim(self, claim):
        self.calls.append((claim.key, claim.line, claim.col))
        return self.shown.get(claim.source_file)


def _marks(inputs: Inputs, kept: dict | None, calls: list) -> Marks:
    claims = [_claim(inputs.text, "guangdongndbrief", "sec. Problems Ahead", **inputs.claim_fields),
              _claim(inputs.text, "li2025twoway", "sec. 4.2", **inputs.claim_fields)]
    second = inputs.text.rindex("@guangdongndbrief")
    claims.append(dataclasses.replace(claims[0], line=3, col=8, cites=f"3:{second - inputs.text.rfind(chr(10), 0, second)}"))
    marks = Marks.__new__(Marks)
    # the figure check's cache: its project key changes with what the claims are made from (the sources, ...)
    marks.cache = SimpleNamespace(check_markdown=lambda text, page, display: SimpleNamespace(claims=claims),
                                  project_key=lambda: repr(inputs.claim_fields))
    marks.memo = MarksMemo(kept)
    marks.excerpts = _Excerpts(inputs.shown, calls)
    marks.sections, marks.docs, marks.entries = inputs.sections, "docs", inputs.entries
    marks.registry, marks.works, marks.documents = None, inputs.works, set()
    marks.labels, marks.references = {}, dict(inputs.references)
    marks.slots, marks.anchors, marks.notes, marks.cited = {}, {}, {}, {}
    return marks


def _files(inputs: Inputs):
    def file(path):
        url = inputs.urls.get(path)
        return None if url is None else SimpleNamespace(src_uri=path, url_relative_to=lambda page: f"../../{url}")
    return SimpleNamespace(get_file_from_path=file)


def _marked(inputs: Inputs, kept: dict | None = None, calls: list | None = None):
    """What marking the page gives with INPUTS (through KEPT, a memo's memory, or None: no memo), everything the
    page's later steps take from it, and the excerpts' calls."""
    calls = [] if calls is None else calls
    marks = _marks(inputs, kept, calls)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="primer/a.md", url=inputs.page_url, content_string=inputs.text))
    text = marks.mark(inputs.text, page, _files(inputs))
    # the excerpts asked for, in the order first asked: Excerpts.for_claim decides once per claim, and a claim asked
    # again (a page given back up to a read that differs, then marked again) is given the same decision
    return (text, marks.slots.get("primer/a.md"), marks.anchors.get("primer/a.md"), marks.cited.get("primer/a.md"),
            marks.references, list(dict.fromkeys(calls))), marks.memo.stats


CHANGES = {
    "the page's Markdown": lambda i: dataclasses.replace(i, text=i.text.replace("Again", "Once more")),
    "a claim (its passage)": lambda i: dataclasses.replace(i, claim_fields={"passage": "Exports fell by half."}),
    "a claim (its status)": lambda i: dataclasses.replace(i, claim_fields={"status": "weak"}),
    "a work's label": lambda i: dataclasses.replace(i, works={**i.works, "li2025twoway": "Li 2026"}),
    "a section's label": lambda i: dataclasses.replace(i, sections={"problems ahead": "Problems"}),
    "a work's reference": lambda i: dataclasses.replace(i, references={**i.references, "li2025twoway": "Li, W. 2026."}),
    "a source's entry": lambda i: dataclasses.replace(i, entries={**i.entries, "sources/guangdongndbrief.txt": {
        "republish": "passages", "url": "https://example.org/moved"}}),
    "an excerpt's decision": lambda i: dataclasses.replace(i, shown={**i.shown, "sources/guangdongndbrief.txt": None}),
    "a linked page's URL": lambda i: dataclasses.replace(i, urls={"sources/li/text.md": "sources/li/full-text/"}),
    "the page's URL": lambda i: dataclasses.replace(i, page_url="primer/b/"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_in_what_the_marks_read_marks_the_page_again_as_a_new_build(change):
    kept: dict = {}
    before, _ = _marked(Inputs(), kept)
    again, stats = _marked(Inputs(), kept)
    assert again == before and stats == {"memory": 1, "misses": 0}      # nothing changed: given back
    changed = CHANGES[change](Inputs())
    memoised, stats = _marked(changed, kept)
    fresh, _ = _marked(changed)                                          # a new build: no memo
    assert memoised == fresh and stats == {"memory": 0, "misses": 1}
    if change != "the page's URL":   # (the fakes' relative URLs do not depend on it; the key does)
        assert fresh != before


def test_a_page_given_back_asks_for_its_excerpts_in_the_order_a_new_build_does():
    kept: dict = {}
    _marked(Inputs(), kept)
    replayed: list = []
    _, stats = _marked(Inputs(), kept, replayed)
    fresh: list = []
    _marked(Inputs(), None, fresh)
    assert stats == {"memory": 1, "misses": 0} and replayed == fresh and len(fresh) >= 2


def test_an_unknown_key_fails_again_and_nothing_is_kept_outside_serve():
    from mkdocs.exceptions import PluginError
    kept: dict = {}
    _marked(Inputs(), kept)
    unknown = dataclasses.replace(Inputs(), works={"guangdongndbrief": "Guangdong brief"})
    for _ in range(2):
        with pytest.raises(PluginError, match="li2025twoway"):
            _marked(unknown, kept)
    _, stats = _marked(Inputs(), None)
    assert stats == {"memory": 0, "misses": 0}
