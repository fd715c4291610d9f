"""The passage behind a citation (primer.build.stages.marks, primer.build.stages.claims_ledger): its popup shows the passage on hover,
tap and focus, on a desktop and at 390 px; the source-text page of a source republished whole scrolls to
and highlights the cited line; a source of unknown licence has no page of its own; the ledgers' rows read
without scrolling sideways on a phone."""
from __future__ import annotations

import pytest

from .browsing import DESKTOP, MOBILE, goto

LI_CHAPTER = "sources/li-2025-two-way-internationalization/"
LI_TEXT = "sources/li-2025-two-way-internationalization/text/"
MARKS = 'article sup a.footnote-ref[href^="#fn:cite-"]'


def _shows_passage(page, how: str) -> None:
    popup = page.locator("#cite-popup")
    popup.wait_for(state="visible", timeout=5_000)
    passage = popup.locator("q.cite-passage").first
    assert passage.is_visible(), f"{how}: the popup shows no passage: {popup.inner_text()[:300]!r}"
    assert len(passage.inner_text().split()) >= 3, f"{how}: the passage is empty: {passage.inner_text()!r}"
    box, width = popup.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{how}: the popup overflows a {width}px screen: {box}"
    link = popup.locator(".cite-where a").first
    assert link.count() and "text/#line-" in link.get_attribute("href"), f"{how}: no link to the passage in Li's text"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "390px"])
def test_popup_shows_the_passage_on_hover_tap_and_focus(open_page, site_url, viewport):
    page, traffic = open_page(viewport=viewport)
    goto(page, site_url + LI_CHAPTER)
    marks = page.locator(MARKS)
    first = marks.nth(1)
    first.scroll_into_view_if_needed()
    if viewport is DESKTOP:
        first.hover()
        _shows_passage(page, "hovering")
        page.mouse.move(0, 0)
    else:
        first.tap()
        _shows_passage(page, "tapping")
        page.touchscreen.tap(3, viewport["height"] - 3)   # beside the popup (8px from each edge): a tap elsewhere
    page.locator("#cite-popup").wait_for(state="hidden", timeout=5_000)
    second = marks.nth(2)
    second.focus()
    _shows_passage(page, "focusing")
    page.keyboard.press("Escape")
    traffic.assert_clean()


def test_a_passage_in_the_popup_marks_the_quoted_words(open_page, site_url):
    page, _ = open_page()
    goto(page, site_url + LI_CHAPTER)
    marked = page.evaluate("""() => [...document.querySelectorAll('.footnote q.cite-passage mark')].length""")
    assert marked >= 10, f"only {marked} passages mark their quoted words or figures"


def test_the_source_text_page_scrolls_to_and_highlights_the_cited_line(open_page, site_url):
    page, traffic = open_page(viewport=MOBILE)
    goto(page, site_url + LI_TEXT + "#line-60")
    line = page.locator("#line-60")
    # the fragment's target, once the page has settled (once, under load, it was read before it was set)
    page.wait_for_function("() => document.querySelector('#line-60').matches(':target')", timeout=5_000)
    box = line.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], f"the cited line is not on screen: {box}"
    header = page.locator("header.md-header").bounding_box()
    assert box["y"] >= header["height"] - 1, f"the cited line hides under the header: {box}, {header}"
    colours = line.evaluate("""el => [getComputedStyle(el).backgroundColor,
                                        getComputedStyle(el.nextElementSibling).backgroundColor]""")
    assert colours[0] != colours[1], f"the cited line is not highlighted: {colours}"
    assert "Huawei" in line.inner_text() and "CC BY 4.0" in page.locator(".source-licence").inner_text()
    traffic.assert_clean()


def test_a_source_of_unknown_licence_has_no_page_of_its_own(open_page, site_url):
    page, _ = open_page()
    for name in ("guangdong-technological-brief", "zhao-innovative-inclusive-development", "internal-circulation-explainer"):
        response = page.goto(site_url + f"sources/{name}/text/")
        assert response is not None and response.status == 404, f"sources/{name}/text/ is served: {response and response.status}"


@pytest.mark.parametrize("path", ["reference/claims-ledger/sources-li-2025-two-way-internationalization/",
                                  "reference/figure-ledger/sources-guangdong-technological-brief/"])
def test_ledger_rows_read_without_scrolling_sideways_on_a_phone(open_page, site_url, path):
    page, _ = open_page(viewport=MOBILE)
    goto(page, site_url + path)
    widths = page.evaluate("""() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
        Math.max(...[...document.querySelectorAll('table.ledger-cards')].map(t => t.scrollWidth)),
        Math.max(...[...document.querySelectorAll('table.ledger-cards')].map(t => t.clientWidth))]""")
    assert widths[0] <= widths[1] and widths[2] <= widths[3] + 1, f"{path} scrolls sideways at 390px: {widths}"
    assert page.locator("table.ledger-cards td[data-label] a").count() > 0, f"{path}: no row links to its passage"
