"""Reading budgets on the built site, and the counting behind them (scripts/primer/site/reading.py).

Each budget is shown to fail on a page planted to exceed it: a synthetic site in a temporary folder
(no build), as the real pages would look."""
from __future__ import annotations

from pathlib import Path

import pytest

from primer.site import reading

ROOT = Path(__file__).resolve().parent.parent

MARK = '<sup id="fnref:cite-{n}"><a class="footnote-ref" href="#fn:cite-{n}">{n}</a></sup>'
NOTES = ('<div class="footnote"><hr /><ol><li id="fn:cite-1"><p><span class="cite-label">Li 2025, §1</span> '
         'Li, Wenqi. 2025. A long reference that is not the page’s own text.</p></li></ol></div>')


def page(body: str, key_points: str = "One point. Another point.") -> str:
    points = (f'<div class="admonition abstract">\n<p class="admonition-title">Key points</p>\n<ul><li>{key_points}'
              '</li></ul>\n</div>') if key_points is not None else ""
    return (f'<html><body><article class="md-content__inner md-typeset"><h1>Title</h1>'
            f'<p class="reading-time">1 min read</p>{points}{body}{NOTES}'
            '<div class="cite-block"><p>Cite this page: words words words</p></div></article></body></html>')


def site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for path, html in pages.items():
        target = tmp_path / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return tmp_path


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_reading_text_leaves_out_notes_cite_block_and_marks():
    text = reading.read_html(page(f"<p>Growth was fast{MARK.format(n=1)}.</p>", key_points="Point."))
    assert "reference" not in text.text and "Cite this page" not in text.text and "1 min read" not in text.text
    assert text.marks == ["1"]
    assert text.words == len("Title Key points Point Growth was fast".split())


def test_mark_share_counts_characters_of_marks():
    text = reading.read_html(f'<p>abcd{MARK.format(n=12)}</p>')
    assert text.mark_share == pytest.approx(2 / 6)


def test_within_budget_passes(tmp_path):
    root = site(tmp_path, {"primer/theme": page(f"<p>{words(1400)}{MARK.format(n=1)}.</p>")})
    assert reading.budget_problems(root, {}) == []


@pytest.mark.parametrize("path,n,chapters,budget", [
    ("primer/theme", 1600, {}, "1,500 for a thematic chapter"),
    ("", 900, {}, "800 for the landing page"),
    ("sources/short", 600, {"sources/short/": 400}, "500 for a chapter on a source of 400 words"),
    ("sources/long", 1100, {"sources/long/": 2000}, "1,000 for a chapter on a source of 2,000 words"),
])
def test_a_page_over_its_word_budget_fails(tmp_path, path, n, chapters, budget):
    sources = {}
    for chapter, length in chapters.items():
        sources[chapter] = tmp_path / f"source-{length}.txt"
        sources[chapter].write_text(words(length), encoding="utf-8")
    root = site(tmp_path / "site", {path: page(f"<p>{words(n)}</p>")})
    problems = reading.budget_problems(root, sources)
    assert len(problems) == 1 and budget in problems[0], problems
    assert (f"{path}/index.html" if path else "index.html") in problems[0]


def test_key_points_over_budget_or_missing_fail(tmp_path):
    root = site(tmp_path, {"primer/long": page("<p>Text.</p>", key_points=words(121)),
                           "primer/none": page("<p>Text.</p>", key_points=None)})
    problems = reading.budget_problems(root, {})
    assert any("primer/long/" in p and "121 words in Key points" in p for p in problems), problems
    assert any("primer/none/" in p and 'no "Key points" box' in p for p in problems), problems


def test_citation_marks_over_five_percent_fail(tmp_path):
    dense = "".join(f"Short claim{MARK.format(n=n)}. " for n in range(10, 60))
    root = site(tmp_path, {"primer/dense": page(f"<p>{dense}</p>")})
    problems = reading.budget_problems(root, {})
    assert any("citation marks are" in p and "primer/dense/" in p for p in problems), problems


@pytest.mark.parametrize("word", ["the vendored text", "see the register", "in CHANGELOG.md",
                                  "sources/li-2025.txt", "the source manifest", "hand-over notes"])
def test_project_jargon_on_a_reader_page_fails(tmp_path, word):
    root = site(tmp_path, {"reference/any": page(f"<p>As {word} says.</p>")})
    problems = reading.budget_problems(root, {})
    assert any("project word" in p for p in problems), problems


def test_every_budget_holds_on_the_built_site(built_site):
    problems = reading.budget_problems(built_site, reading.source_chapters(ROOT))
    assert not problems, "\n".join(problems)


def test_every_source_chapter_has_a_budget():
    chapters = reading.source_chapters(ROOT)
    on_disk = {f"sources/{p.stem}/" for p in (ROOT / "docs/sources").glob("*.md") if p.name != "index.md"}
    assert set(chapters) == on_disk


def test_site_readings_lists_every_page_but_redirects(tmp_path):
    root = site(tmp_path, {"": page(f"<p>{words(10)}</p>"), "primer/a": page(f"<p>{words(500)}</p>")})
    (root / "old").mkdir()
    (root / "old" / "index.html").write_text('<meta http-equiv="refresh" content="0; url=../primer/a/">'
                                             + reading.ARTICLE_START + "</article>", encoding="utf-8")
    rows = {row["page"]: row for row in reading.site_readings(root)}
    assert set(rows) == {"", "primer/a/"}
    assert rows["primer/a/"]["minutes"] == 3 and rows["primer/a/"]["words"] > rows[""]["words"]
