"""No script from content, in Chromium (issue 22, part 1): the copy of the project with a payload planted in every
data file (tests/planted_payloads.py, built once per run) served and read as a reader would: each row's pages
loaded, the glossary term hovered, the citation popups opened, Li's "Cite this source" box filled in, the search
results for the planted words shown (Material renders them as HTML). No payload
runs (no window.pwn… set), each is shown as text, and Chromium reports nothing refused by the page's policy (the
escaping alone keeps the payloads out; the policy is the second wall: tests/browser/test_pages.py)."""
from __future__ import annotations

import pytest
from planted_payloads import POPUP_PAGE, ROWS, TOOLTIP_PAGE, payload, planted_site

from primer.bench.browser_parts import serve

from .browsing import goto
from .test_search import search

RAN_JS = """() => Object.keys(window).filter(name => name.startsWith("pwn"))
    .concat([...document.querySelectorAll("script:not([src])")].filter(s => s.text.includes("pwn")).map(s => "<script>"))
    .concat([...document.querySelectorAll("[onerror]")].map(el => "<" + el.tagName.toLowerCase() + " onerror>"))"""


@pytest.fixture(scope="module")
def planted_url(tmp_path_factory):
    with serve(planted_site(tmp_path_factory)) as url:
        yield url


def _nothing_ran(page, traffic, what: str) -> None:
    ran = page.evaluate(RAN_JS)
    assert not ran, f"{what}: a planted payload became markup or ran: {ran}"
    traffic.assert_clean()   # no console error, and nothing the Content-Security-Policy had to refuse


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_payload_planted_in_a_data_file_runs_nowhere(open_page, planted_url, row):
    page, traffic = open_page()
    for path in row.pages:
        goto(page, planted_url + path, traffic)
        # textContent: the "Cite this page" formats (where a description is shown) are in a closed disclosure
        shown = page.evaluate("() => document.title + ' ' + document.body.textContent").lower()
        assert f"<script>window.pwn{row.name}=true</script>".lower() in shown, \
            f"/{path}: the payload planted in {row.file} is not shown as text"
        _nothing_ran(page, traffic, f"/{path} ({row.file})")


def test_the_glossary_tooltip_shows_the_definitions_text(open_page, planted_url):
    """Material's tooltip parses the abbr's title as HTML: the planted definition is shown as its characters."""
    page, traffic = open_page()
    goto(page, planted_url + TOOLTIP_PAGE, traffic)
    abbr = page.locator("article abbr[title*='pwnGlossary']").first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    shown = " ".join(tooltip.inner_text().split())
    assert ("reinforce each other " + payload("Glossary")) in shown, shown
    assert tooltip.locator("img, script").count() == 0
    _nothing_ran(page, traffic, f"/{TOOLTIP_PAGE}, hovering the glossary term")


def test_the_citation_popups_and_the_cite_box_show_the_reference_as_text(open_page, planted_url):
    page, traffic = open_page()
    goto(page, planted_url + POPUP_PAGE, traffic)
    marks = page.locator("article sup a.footnote-ref")
    assert marks.count() > 0
    for number in range(min(marks.count(), 6)):
        marks.nth(number).scroll_into_view_if_needed()
        marks.nth(number).hover()
        page.locator("#cite-popup").wait_for(state="visible", timeout=5_000)
    _nothing_ran(page, traffic, f"/{POPUP_PAGE}, hovering its citation marks")
    goto(page, planted_url + "reference/bibliography/", traffic)
    box = page.locator('.source-cite[data-source-key="li2025twoway"]')
    box.locator("summary").click()
    box.locator(".source-cite__label").select_option("section")
    box.locator(".source-cite__value").fill("4.2")
    apa = box.locator('code[data-source-format="APA"]').text_content().lower()
    assert "<script>window.pwnbib=true</script>" in apa, apa
    _nothing_ran(page, traffic, "/reference/bibliography/, Li's cite box")


# words beside the payloads: the glossary definition, the chart caption, Li's references (source texts are not indexed)
@pytest.mark.parametrize("term", ["reinforce", "patents", "Wenqi"])
def test_search_results_show_the_planted_text_and_run_nothing(open_page, planted_url, term):
    """Material's search renders each result's title and text from the index as HTML."""
    page, traffic = open_page()
    goto(page, planted_url, traffic)
    assert search(page, term), f"searching {term!r} finds no page"
    page.wait_for_timeout(300)
    _nothing_ran(page, traffic, f"the search results for {term!r}")
