"""The glossary: every required term, defined with a citation, shown as a hover
tooltip on the pages that use it, and its figures checked like a chapter's."""
from __future__ import annotations

import html
import re

import pytest
import yaml
from conftest import ROOT, mkdocs_build, site_markdown

from primer.site import glossary as _glossary
from primer.site.glossary import GlossaryError

abbreviations, load, tooltip = _glossary.abbreviations, _glossary.load, _glossary.tooltip

REQUIRED_TERMS = ["双循环", "内循环", "国内大循环", "新发展格局", "卡脖子", "自力更生",
                  "GBA", "BRI", "RCEP", "CBAM", "FDI", "SME"]


def test_glossary_has_every_required_term_with_pinyin_for_chinese():
    terms = {t["term"]: t for t in load(ROOT)}
    for term in REQUIRED_TERMS:
        assert term in terms, f"glossary.yaml lacks {term}"
        assert terms[term]["cite"].startswith("[@") and ", " in terms[term]["cite"], f"{term}: cite with a locator"
    for term in terms.values():
        if any("\u4e00" <= ch <= "\u9fff" for ch in term["term"]):
            assert any(ch in term["pinyin"] for ch in "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"), f"{term['term']}: tone marks"


def test_glossary_page_lists_terms_and_where_they_are_used(built_site):
    page = (built_site / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in REQUIRED_TERMS:
        assert f">{term}" in page
    # GBA is used in the Guangdong chapter, so the page must link there.
    gba = page[page.index('id="term-greater-bay-area"'):]
    gba = gba[:gba.index("<h2")] if "<h2" in gba else gba
    assert "../../sources/guangdong-technological-brief/" in gba


def test_terms_show_their_definition_on_hover(built_site):
    page = (built_site / "sources" / "guangdong-technological-brief" / "index.html").read_text(encoding="utf-8")
    gba = next(t for t in load(ROOT) if t["term"] == "GBA")
    titles = {html.unescape(t) for t in re.findall(r'<abbr title="([^"]*)">GBA</abbr>', page)}
    assert titles == {tooltip(gba)}


def test_a_chinese_term_without_pinyin_is_refused(tmp_path):
    (tmp_path / "glossary.yaml").write_text(yaml.safe_dump({"terms": [
        {"term": "内循环", "english": "internal circulation", "definition": "x", "cite": "[@a2020b, para. 1]"}]},
        allow_unicode=True), encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"glossary.yaml: 内循环 needs `pinyin`"):
        load(tmp_path)


def test_a_term_without_citation_is_refused(tmp_path):
    (tmp_path / "glossary.yaml").write_text("terms:\n  - term: GBA\n    english: Greater Bay Area\n"
                                            "    definition: A region.\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"glossary.yaml: term 1 \(GBA\) lacks cite"):
        load(tmp_path)


def test_a_wrong_figure_in_a_definition_or_a_description_fails_the_build(project_copy, tmp_path):
    """The strict build stops on a glossary figure and on a chapter description's figure, each named at its own
    file's line (the figure check's rows for every case: tests/figure_check/test_reader_words.py)."""
    data = project_copy / "glossary.yaml"
    text = data.read_text(encoding="utf-8")
    assert "effective from 2026" in text
    data.write_text(text.replace("effective from 2026", "effective from 2027"), encoding="utf-8")
    chapter = project_copy / "docs" / "primer" / "guangdong-greater-bay-area.md"
    page = chapter.read_text(encoding="utf-8")
    planted = page.replace("its key figures and", "its key figures (a digital economy of 46.7% of GDP) and", 1)
    assert planted != page
    chapter.write_text(planted, encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert 'glossary.yaml:110:62: figure "2027" is not in [@li2025twoway, sec. 4.2]' in output, output   # its own line
    assert ('docs/primer/guangdong-greater-bay-area.md:5:83: figure "46.7%" in the description is not a figure this '
            "page states") in output, output


def test_pages_using_finds_a_term_as_a_word_only(tmp_path):
    pages_using, read_pages, triggers = _glossary.pages_using, _glossary.read_pages, _glossary.triggers
    docs = ROOT / "docs"
    pages = read_pages(docs)
    for term in load(ROOT):                              # the real pages: as one search per trigger finds them
        words = [p for p, text in pages.items()
                 if any(re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text) for t in triggers(term))]
        assert pages_using(term, docs) == pages_using(term, docs, pages) == words, term["term"]
    (tmp_path / "a.md").write_text("The GBAX and xBRI are not terms.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Inside the BRI.", encoding="utf-8")
    (tmp_path / "c.md").write_text("An alias: Belt and Road", encoding="utf-8")
    term = {"term": "BRI", "aliases": ["Belt and Road", "GBA"]}
    assert pages_using(term, tmp_path) == ["b.md", "c.md"]


def test_word_search_is_the_regex_word_search():
    import random
    _as_word = _glossary._as_word
    rng = random.Random(8)
    alphabet = "ab _-(é1\n"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        assert _as_word(word, text) == bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)), (word, text)


def test_abbreviation_definitions_cost_time_in_proportion_to_their_number():
    """Every page ends with the glossary's definitions. Each is a block of its own, so Python-Markdown's
    block processors each test it once; on consecutive lines, each would be tested again with all the
    lines after it (as the square of their number). The measure is the characters tested (a time would
    flake); without the blank lines it is over four times this bound."""
    text = abbreviations(load(ROOT))
    md = site_markdown()
    tested = []
    for processor in md.parser.blockprocessors:
        def test(parent, block, original=processor.test):
            tested.append(len(block))
            return original(parent, block)
        processor.test = test
    html_text = md.convert(text)
    assert sum(tested) <= 2 * len(md.parser.blockprocessors) * len(text)
    assert html_text == "", "the definitions alone render to nothing"
