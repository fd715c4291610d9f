"""The apparatus around a chapter (issue #21), in Chromium at 1280 px and 390 px: the notes, works cited and cite
block no bigger than the article; no table wider than its column; no ledger column narrower than its longest
word; every citation mark a 24 x 24 tap target; a popup at most half the window, scrolling inside, never over
its mark's line. The measures are primer.bench.apparatus's (`make bench` reports them too), each shown to catch
a planted fault."""
from __future__ import annotations

import pytest

from primer.bench.apparatus import MEASURE_JS, POPUP_JS, popup_problems, problems

from .browsing import VIEWPORTS, goto


def is_chapter(path: str) -> bool:
    """A thematic or source chapter: primer/NAME/ or sources/NAME/ (not a section's index, not a source text)."""
    parts = path.strip("/").split("/")
    return len(parts) == 2 and parts[0] in ("primer", "sources")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_keeps_its_apparatus_within_budget(survey, viewport):
    result = survey(f"{viewport}-light")
    found, chapters = [], 0
    for visit in result.visits:
        chapters += is_chapter(visit.path)
        found += problems(visit.path, visit.apparatus, chapter=is_chapter(visit.path))
    assert chapters >= 12, f"only {chapters} chapters surveyed: the budget would hold vacuously"
    assert not found, "\n".join(found)


CHAPTERS = ("primer/external-risks/", "sources/guangdong-technological-brief/")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_popup_is_at_most_half_the_window_and_never_covers_its_line(open_page, site_url, viewport):
    page, traffic = open_page(viewport=VIEWPORTS[viewport])
    found, shown = [], 0
    for chapter in CHAPTERS:
        goto(page, site_url + chapter, traffic)
        marks = page.locator('article a.footnote-ref[href^="#fn:cite-"]')
        # the first marks, and the mark whose note holds the most passages (the longest popup)
        longest = page.evaluate("""() => { let best = null, most = -1;
            for (const a of document.querySelectorAll('article a.footnote-ref[href^="#fn:cite-"]')) {
              const note = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
              const n = note ? note.querySelectorAll('.cite-passage-item').length : 0;
              if (n > most) { most = n; best = a.getAttribute('href'); } }
            return best; }""")
        for index in [*range(4), None]:
            mark = marks.nth(index) if index is not None else page.locator(f'article a.footnote-ref[href="{longest}"]').first
            mark.scroll_into_view_if_needed()
            page.mouse.click(2, 300)   # anything open is closed
            if viewport == "mobile":
                mark.tap()
            else:
                mark.hover()
            page.wait_for_function("() => { const p = document.getElementById('cite-popup'); return p && !p.hidden; }")
            found += popup_problems(f"/{chapter} {viewport} mark {index if index is not None else longest}",
                                    page.evaluate(POPUP_JS, mark.element_handle()))
            shown += 1
    assert shown == 5 * len(CHAPTERS)
    assert not found, "\n".join(found)
    traffic.assert_clean()


PLANTED = """<!doctype html><html><head><style>
  body { width: 370px; margin: 10px; font: 16px/1.5 sans-serif; }
  .ledger-cards td { overflow-wrap: anywhere; }
  #cite-popup { position: absolute; left: 10px; top: 20px; height: 600px; overflow-y: visible; }
</style></head><body><article>
<p>A short article of eight words, and a mark<sup><a class="footnote-ref" href="#fn:cite-1">1</a></sup>.</p>
<table style="width: 1200px"><tr><td>a wide table</td></tr></table>
<table class="ledger-cards"><tr><td>Guangdong</td></tr></table>
<div class="footnote"><ol><li id="fn:cite-1"><p>A long note: """ + "word " * 60 + """</p></li></ol></div>
</article><div id="cite-popup">A popup over its mark's line.</div></body></html>"""


def test_the_measures_catch_each_planted_fault(open_page):
    """A long note, a wide table, a ledger that breaks words, a small mark, a tall popup over its line: each is
    reported."""
    page, _ = open_page(viewport={"width": 390, "height": 844})
    page.set_content(PLANTED)
    found = problems("planted/", page.evaluate(MEASURE_JS), chapter=True)
    for expected in ("visible words around the article", "table wider than its column", "may break words",
                     "citation mark smaller than 24 x 24"):
        assert any(expected in line for line in found), (expected, found)
    placed = page.evaluate(POPUP_JS, page.locator("a.footnote-ref").element_handle())
    found = popup_problems("planted", placed)
    for expected in ("at most half", "does not scroll inside", "covers its mark's line"):
        assert any(expected in line for line in found), (expected, found)
