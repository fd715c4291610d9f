"""primer.checks.figures.quotations: a quotation's words against a source's text, as the extraction wrote it."""
from __future__ import annotations

from primer.checks.figures import quotations


def test_a_word_the_source_breaks_with_a_hyphen_at_a_line_end_still_matches():
    text = "It aims at high-quality eco-\n  nomic growth and an open\neconomy."
    assert quotations.line_breaks(text) == {("o", "n")}
    found = quotations.search("high-quality economic growth and an open economy", text)
    assert found is not None and found.group().startswith("high-quality eco-\n")
    assert quotations.search("high-quality economics", text) is None
    assert quotations.search("high-quality", "a high-\n quality one") is not None   # its own hyphen, at a line end


def test_the_line_break_alternative_is_written_only_where_the_source_has_one():
    """The same matches as with the alternative between every two letters, for a pattern ten times shorter."""
    words = "economic growth"
    plain = quotations.pattern(words).pattern
    assert r"\n" not in plain
    broken = quotations.pattern(words, frozenset({("o", "n"), ("w", "t")})).pattern
    assert broken.count(r"(?:-[ \t]*\n\s*)?") == 2                       # eco|nomic, grow|th
    assert quotations.search(words, "economic grow-\nth") is not None
    assert quotations.search(words, "economic grow- th") is None          # a hyphen, but no line end


def test_a_heading_in_capitals_matches_in_any_case_once_the_quotation_is_not_found_as_written():
    text = "SECTION TWO\nEXTERNAL RISKS AND TRADE\nThe external risks are many."
    assert quotations.search("external risks and trade", text).group() == "EXTERNAL RISKS AND TRADE"
    assert quotations.search("external risks are", text).group() == "external risks are"
    assert quotations.search("External Risks Are", "external risks are") is None   # not capitals: no match
