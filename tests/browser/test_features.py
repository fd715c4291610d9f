"""What a reader does on a page: hover, focus or tap a citation mark, hover a glossary term, copy a
citation of the page, switch between light and dark.

Features that other issues are still building (glossary tooltips, "Cite this page") are looked
for in the built site first; where absent, their test is skipped with the missing feature named,
and asserts for real once the feature is there."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from primer.build import mkdocs_yml  # scripts/primer/build/mkdocs_yml.py

from .browsing import MOBILE, goto

ROOT = Path(__file__).resolve().parents[2]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _first_page_with(built_site, site_pages, pattern: str):
    """The first page, in the order given, whose HTML matches `pattern`, with the match."""
    for path in site_pages:
        match = re.search(pattern, (built_site / path / "index.html").read_text(encoding="utf-8"), re.S)
        if match:
            return path, match
    return None, None


def _citation_page(built_site, site_pages):
    path, _ = _first_page_with(built_site, [p for p in site_pages if p.startswith("primer/")] + site_pages,
                               r'<sup[^>]*><a class="footnote-ref" href="#fn:cite-')
    assert path is not None, "no page has a citation mark (sup a.footnote-ref to #fn:cite-N): primer.build.stages.marks made none"
    return path


def _note_labels(page, mark) -> list[str]:
    """The labels of the mark's note, as its one line in the list of notes shows them."""
    return [_norm(label) for label in page.evaluate("""(ref) => {
        const note = document.getElementById(decodeURIComponent(ref.getAttribute("href").slice(1)));
        return [...note.querySelector("summary, p").querySelectorAll(".cite-label")].map(l => l.textContent);
    }""", mark.element_handle())]


def _popup_shows(page, path, mark, how):
    popup = page.locator("#cite-popup")
    try:
        popup.wait_for(state="visible", timeout=5_000)
    except Exception:
        pytest.fail(f"{path}: {how} a citation mark shows no popup (javascripts/citation-popup.js)", pytrace=False)
    labels = _note_labels(page, mark)
    shown = _norm(popup.inner_text())
    assert labels and all(label in shown for label in labels), \
        f"{path}: after {how} the mark the popup shows {shown!r}; its note's labels are {labels!r}"
    # each citation shows its passage, or (public evidence, no text kept) its work's reference, or (an absence claim)
    # what the search of the whole source looked for
    assert popup.locator("q.cite-passage, .cite-reference, .cite-withheld, .cite-absence").count() >= 1, shown
    return popup


def test_citation_mark_shows_its_note_on_hover_and_focus(open_page, site_url, built_site, site_pages):
    path = _citation_page(built_site, site_pages)
    page, traffic = open_page()
    goto(page, site_url + path)
    marks = page.locator('article sup a.footnote-ref[href^="#fn:cite-"]')
    first = marks.nth(0)
    first.scroll_into_view_if_needed()
    first.hover()
    _popup_shows(page, path, first, "hovering")
    page.mouse.move(0, 0)
    page.locator("#cite-popup").wait_for(state="hidden", timeout=5_000)
    # Keyboard: focus the second mark as Tab would, and Escape hides the popup again.
    second = marks.nth(1)
    second.focus()
    popup = _popup_shows(page, path, second, "focusing")
    page.keyboard.press("Escape")
    popup.wait_for(state="hidden", timeout=5_000)
    assert page.evaluate("document.activeElement.getAttribute('href')") == second.get_attribute("href"), \
        "Escape must leave the focus on the mark"
    traffic.assert_clean()


def test_citation_mark_shows_its_note_on_tap_at_phone_width(open_page, site_url, built_site, site_pages):
    path = _citation_page(built_site, site_pages)
    page, traffic = open_page(viewport=MOBILE)
    goto(page, site_url + path)
    mark = page.locator('article sup a.footnote-ref[href^="#fn:cite-"]').nth(0)
    mark.scroll_into_view_if_needed()
    mark.tap()
    popup = _popup_shows(page, path, mark, "tapping")
    assert "#" not in page.url.replace(site_url, ""), f"tapping a mark jumped to its note ({page.url})"
    box, width = popup.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"the popup overflows a {width}px screen: {box}"
    page.touchscreen.tap(3, page.viewport_size["height"] - 3)  # elsewhere: beside the popup, 8px from each edge
    popup.wait_for(state="hidden", timeout=5_000)
    traffic.assert_clean()


def test_cite_this_source_from_a_popup_carries_the_locator(open_page, site_url, built_site, site_pages):
    """A note's "Cite this source" leads to the bibliography's box for that source, opened, with the locator the
    reader was reading filled in, and the formats carrying it (no typing)."""
    path = "sources/li-2025-two-way-internationalization/"
    page_html = (built_site / path / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<p class="cite-passage-item" id="[^"]*" data-cite-key="li2025twoway" '
                      r'data-cite-locator="sec\. ([\d.]+)">', page_html)
    assert match, f"{path}: no note links to Li's own citation with a section locator"
    number = match.group(1)
    page, traffic = open_page(viewport=MOBILE)
    goto(page, site_url + path)
    mark = page.locator('article sup a.footnote-ref[href^="#fn:cite-"]').first
    mark.scroll_into_view_if_needed()
    mark.tap()
    link = page.locator('#cite-popup a.cite-source-link[data-cite-key="li2025twoway"]').first
    link.wait_for(state="visible", timeout=5_000)
    locator = link.get_attribute("data-cite-locator")
    link.tap()
    page.wait_for_url("**/reference/bibliography/**")
    box = page.locator('.source-cite[data-source-key="li2025twoway"]')
    assert box.locator("details").evaluate("d => d.open"), "the source's box did not open"
    value = locator.split(" ", 1)[1]
    assert box.locator(".source-cite__label").input_value() == "section"
    assert box.locator(".source-cite__value").input_value() == value
    apa = box.locator('code[data-source-format="APA"]').inner_text()
    assert value in apa and "Li" in apa, apa
    assert number  # the page has at least one such note
    traffic.assert_clean()


def test_glossary_term_shows_its_definition(open_page, site_url, built_site, site_pages):
    path, match = _first_page_with(built_site, site_pages,
                                   r'<article.*?<abbr title="([^"]+)"[^>]*>(.*?)</abbr>')
    if path is None:
        pytest.skip("no glossary term (<abbr title=…>) on any page yet (issue: glossary tooltips)")
    definition, term = _norm(html.unescape(match.group(1))), _norm(re.sub(r"<[^>]+>", "", match.group(2)))
    assert definition and definition.casefold() != term.casefold(), \
        f"{path}: glossary term {term!r} has no definition (title={definition!r})"
    page, traffic = open_page()
    goto(page, site_url + path)
    abbr = page.locator("article abbr", has_text=term).first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active")
    try:
        tooltip.first.wait_for(state="visible", timeout=2_000)
    except Exception:  # no tooltip of Material's: without content.tooltips the browser shows the title
        assert _norm(abbr.get_attribute("title") or "") == definition, (
            f"{path}: hovering {term!r} shows neither a tooltip nor a title with its definition")
    else:
        shown = _norm(tooltip.first.inner_text())
        assert definition in shown, f"{path}: hovering {term!r} shows {shown!r}, not its definition {definition!r}"
    traffic.assert_clean()


def _site_name() -> str:
    return mkdocs_yml.read(ROOT)["site_name"]


def test_cite_this_page_copies_a_citation(open_page, site_url, built_site, site_pages):
    path, _ = _first_page_with(built_site, site_pages, r'class="[^"]*\bcite-block\b')
    if path is None:
        pytest.skip("no Cite this page block yet (issue: cite-this-page)")
    page, traffic = open_page(permissions=["clipboard-read", "clipboard-write"])
    goto(page, site_url + path)
    block = page.locator(".cite-block").first
    block.scroll_into_view_if_needed()
    button = block.locator("button, .md-clipboard, [data-clipboard-target], [data-clipboard-text]").first
    assert button.count(), f"{path}: the Cite this page block has no copy button"
    page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).trim().length > 0", timeout=5_000)
    copied = _norm(page.evaluate("navigator.clipboard.readText()"))
    title = _norm(page.locator("article h1").first.inner_text())
    names = [_site_name(), title, title.replace("¶", "").strip()]
    assert any(_norm(name).casefold() in copied.casefold() for name in names if name), \
        f"{path}: the copied citation names neither the primer nor the page: {copied!r}"
    assert re.search(r"\b20\d\d\b", copied), f"{path}: the copied citation has no year: {copied!r}"
    placeholder = re.search(r"\[(?:date|site URL|URL|access date)\]", copied, re.I)
    assert not placeholder, f"{path}: the copied citation still holds {placeholder.group(0)!r}: {copied!r}"
    traffic.assert_clean()


def test_palette_toggle_switches_and_persists(open_page, site_url):
    page, traffic = open_page(color_scheme="light")
    goto(page, site_url, traffic)   # search ready: a reload must not cut its loading short (an aborted request)
    scheme = lambda: page.get_attribute("body", "data-md-color-scheme")  # noqa: E731
    assert scheme() == "default", "a reader who prefers light does not get the light scheme"

    page.locator("label.md-header__button[for=__palette_1]").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.endsWith('.__palette'))")
    assert stored, "Material did not store the reader's choice in localStorage"
    page.reload(wait_until="load")
    traffic.wait_quiet(page)
    assert scheme() == "slate", "the dark scheme did not persist across a reload"

    page.locator("label.md-header__button[for=__palette_0]").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.reload(wait_until="load")
    traffic.wait_quiet(page)
    assert scheme() == "default", "the light scheme did not persist across a reload"
    traffic.assert_clean()


@pytest.mark.parametrize("locator, label, apa", [
    ("sec. 4.2", "section", "Section 4.2"), ("para. 3", "paragraph", "para. 3"), ("table 1", "table", "Table 1"),
    ("fig. 1", "figure", "Figure 1"), ("para. 1–21", "paragraph", "paras. 1–21"),
    ("sec. Historical Context", "section", "Section Historical Context")])
def test_every_kind_of_locator_the_chapters_use_prefills_the_source_box(open_page, site_url, locator, label, apa):
    """Li's "fig. 1" opened the box with no locator (issue #25): each kind the chapters use (sec., para., table,
    fig.; a number, a range, a name) arrives in the box, and the formats carry it as the CSL processor words it
    (APA's own labels: "Section", "Table", "paras.")."""
    from primer.site import source_citations
    page, traffic = open_page()
    goto(page, site_url)
    page.evaluate("(l) => sessionStorage.setItem('primer-cite-source', JSON.stringify({key: 'li2025twoway', "
                  "locator: l}))", locator)
    goto(page, site_url + "reference/bibliography/")
    box = page.locator('.source-cite[data-source-key="li2025twoway"]')
    assert box.locator("details").evaluate("d => d.open"), "the source's box did not open"
    assert box.locator(".source-cite__label").input_value() == label
    assert box.locator(".source-cite__value").input_value() == locator.split(" ", 1)[1]
    expected = source_citations.source_citations("li2025twoway", locator)["apa"]
    assert expected.endswith(f"(Li, 2025, {apa})"), expected
    assert box.locator('code[data-source-format="APA"]').text_content() == expected
    traffic.assert_clean()
