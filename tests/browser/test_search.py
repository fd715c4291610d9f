"""Material's search, typed into as a reader would: English terms and a Chinese one (segmented
by jieba at build time) show the right pages first.

"Right" is read from the built search index, so that the test holds as chapters are added and
a failure says whether the content is missing or the search is broken:
- the source chapter named for each term contains it, and is among the first results;
- the first result is a page where the term is prominent: in a heading (Material boosts
  titles), or among the three pages that use it most;
- each of the first three results contains the term (nothing irrelevant ranks first)."""
from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from .browsing import goto

FIRST = 10  # "the first results": Material renders results ten at a time
RELEVANT = 3  # the first results that must each contain the term
MOST_USED = 3  # how many of the pages using the term most count as "prominent"

SEARCHES = [  # (term, the source chapter that must be among the first results, what it is)
    ("chokehold", "sources/guangdong-technological-brief/", "the Guangdong brief"),
    ("CBAM", "sources/li-2025-two-way-internationalization/", "Li's chapter"),
    ("内循环", "sources/internal-circulation-explainer/", "the Internal Circulation explainer"),
]


def term_in_index(built_site, term: str) -> dict[str, dict]:
    """Pages of the search index that contain `term`: {page: {"count": n, "headings": [...]}}.
    Material writes jieba's segmentation into the index as zero-width spaces: ignore them."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    needle, found = term.casefold(), {}
    for doc in index["docs"]:
        title = doc.get("title", "").replace("\u200b", "")
        text = doc.get("text", "").replace("\u200b", "").casefold()
        if needle in text or needle in title.casefold():
            page = found.setdefault(doc["location"].split("#")[0], {"count": 0, "headings": []})
            page["count"] += text.count(needle) + title.casefold().count(needle)
            if needle in title.casefold():
                page["headings"].append(title)
    return found


def prominent(pages: dict[str, dict]) -> set[str]:
    most_used = sorted(pages, key=lambda p: -pages[p]["count"])[:MOST_USED]
    return {p for p in pages if pages[p]["headings"]} | set(most_used)


def search(page, term: str) -> list[str]:
    """Type `term` into Material's search box; the pages listed, in order, as site paths."""
    page.keyboard.press("/")  # Material's shortcut to focus the search box
    box = page.locator(".md-search__input")
    box.wait_for(state="visible")
    box.press_sequentially(term, delay=20)
    # Material queries on keyup; Playwright types non-ASCII characters with insertText, which
    # sends no key event (an input method sends one when the composition ends): press End,
    # which leaves the text as it is.
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    page.wait_for_function(  # the result list settles once the meta line counts the matches
        "() => /\\d/.test(document.querySelector('.md-search-result__meta')?.textContent || '')")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link:first-child",
                                      "links => links.map(a => a.href)")
    return [urlparse(href).path for href in hrefs]


@pytest.mark.parametrize("term, expected, what", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_shows_the_right_pages_first(open_page, site_url, built_site, term, expected, what):
    pages = term_in_index(built_site, term)
    assert pages, (f"no page of the built site contains {term!r}: search cannot find it "
                   f"(expected in {what}, {expected})")
    assert expected in pages, f"{what} ({expected}) does not contain {term!r}; the pages that do: {sorted(pages)}"

    page, traffic = open_page()
    goto(page, site_url)
    base = urlparse(site_url).path
    results = [path[len(base):] if path.startswith(base) else path for path in search(page, term)]
    shown = f"results for {term!r}: {[f'/{r}' for r in results]}"
    assert expected in results[:FIRST], f"{what} (/{expected}) is not among the first {FIRST} {shown}"
    assert results[0] in prominent(pages), (
        f"the first of the {shown} uses the term only in passing; pages where it is prominent: "
        f"{sorted(f'/{p}' for p in prominent(pages))}")
    irrelevant = [f"/{r}" for r in results[:RELEVANT] if r not in pages]
    assert not irrelevant, f"among the first {RELEVANT} {shown}, {irrelevant} do not contain the term"
    traffic.assert_clean()
