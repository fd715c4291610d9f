"""docs/javascripts/cite.js in the browser: the live formats filled in (address, today's date), and
each h2/h3 numbered with a "cite" button that a tap (390 px, touch) and the keyboard reach, opening
APA, Chicago and BibTeX, whose copy buttons put the rendered string on the clipboard."""
from __future__ import annotations

import datetime as dt
import html
import json
import re

from .browsing import goto

PAGE = "primer/domestic-circulation/"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _today(page) -> dt.date:
    return dt.date(*page.evaluate("(() => { const d = new Date(); "
                                  "return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; })()"))


def _sections(page) -> dict:
    return json.loads(page.get_attribute(".cite-block", "data-cite-sections"))


def _filled(text: str, site_url: str, day: dt.date) -> str:
    return (text.replace("[site URL]/", site_url).replace("[date accessed]", f"{MONTHS[day.month - 1]} {day.day}, "
                                                                              f"{day.year}")
            .replace("[date, YYYY/MM/DD]", day.strftime("%Y/%m/%d")).replace("[date]", day.isoformat()))


def test_the_live_formats_carry_the_address_and_todays_date(open_page, site_url):
    page, traffic = open_page()
    goto(page, site_url + PAGE, traffic)
    texts = page.eval_on_selector_all(".cite-block pre code", "codes => codes.map(c => c.textContent)")
    assert len(texts) == 5, f"expected the five citation formats, found {len(texts)}"
    joined = "\n".join(texts)
    assert "[date" not in joined and "[site URL]" not in joined, "cite.js left a placeholder"
    iso = _today(page).isoformat()
    assert texts[1].endswith(f" {site_url}{PAGE}"), texts[1]  # APA
    assert f"urldate   = {{{iso}}}" in texts[2] and f"url       = {{{site_url}{PAGE}}}" in texts[2], texts[2]
    coins = html.unescape(page.get_attribute(".cite-block span.Z3988", "title"))
    assert "rft_id=" + re.sub(r"[:/]", lambda m: f"%{ord(m.group(0)):02X}", site_url + PAGE) in coins, coins
    traffic.assert_clean()


def test_sections_are_numbered_and_cited_by_keyboard(open_page, site_url):
    page, traffic = open_page(permissions=["clipboard-read", "clipboard-write"])
    goto(page, site_url + PAGE, traffic)
    sections = _sections(page)
    headings = page.eval_on_selector_all("article h2[id], article h3[id]", """hs => hs.map(h => ({
        id: h.id, number: h.querySelector('.section-number') && h.querySelector('.section-number').textContent,
        button: !!h.querySelector('button.cite-section')}))""")
    cited = [h for h in headings if h["id"] in sections]
    assert len(cited) >= 3 and cited[0]["number"].strip() == "1", headings
    for heading in cited:
        assert heading["button"] and heading["number"].strip() == sections[heading["id"]]["number"], heading

    page.evaluate("navigator.clipboard.writeText('')")
    first = page.locator("article h2[id] button.cite-section").first
    first.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "true"
    panel = page.locator("#" + first.get_attribute("aria-controls"))
    assert panel.is_visible()
    copy = panel.locator("button.cite-panel__copy").first  # APA
    copy.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    anchor = cited[0]["id"]
    assert copied == _filled(sections[anchor]["apa"], site_url, _today(page)), copied
    assert copied.endswith(f"{site_url}{PAGE}#{anchor}")
    page.wait_for_function("() => document.querySelector('.cite-status')?.textContent === "
                           "'APA citation of section 1 copied to the clipboard'", timeout=2_000)
    traffic.assert_clean()


def test_a_section_is_cited_by_tap_on_a_phone(open_page, site_url):
    page, traffic = open_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                              permissions=["clipboard-read", "clipboard-write"])
    goto(page, site_url + PAGE, traffic)
    sections = _sections(page)
    button = page.locator("article :is(h2, h3)[id] button.cite-section").nth(1)
    anchor = button.evaluate("b => b.closest('h2, h3').id")
    button.scroll_into_view_if_needed()
    assert button.is_visible() and button.bounding_box()["width"] >= 24
    button.tap()
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    assert panel.is_visible()
    page.evaluate("navigator.clipboard.writeText('')")
    panel.locator("button.cite-panel__copy").nth(2).tap()  # BibTeX
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == _filled(sections[anchor]["bibtex"], site_url, _today(page)), copied
    assert f"#{anchor}}}" in copied and "section " + sections[anchor]["number"] in copied
    traffic.assert_clean()


def _source_box(page, traffic, site_url, key, label, value):
    """The bibliography's "Cite this source" box of KEY, opened, with a locator of kind LABEL typed in."""
    goto(page, site_url + "reference/bibliography/", traffic)
    box = page.locator(f'.source-cite[data-source-key="{key}"]')
    box.locator("summary").click()
    box.locator(".source-cite__label").select_option(label)
    box.locator(".source-cite__value").fill(value)
    return box


def test_a_source_is_cited_with_the_readers_locator(open_page, site_url):
    """The bibliography: Li (2025)'s box, section 4.2 typed in, each format as the CSL processor renders
    it (primer.site.source_citations.source_citations, the same pandoc run as the build), copied."""
    from primer.site import source_citations

    page, traffic = open_page(permissions=["clipboard-read", "clipboard-write"])
    box = _source_box(page, traffic, site_url, "li2025twoway", "section", "4.2")
    expected = source_citations.source_citations("li2025twoway", "sec. 4.2")
    for name, style in (("APA", "apa"), ("Chicago", "chicago")):
        shown = box.locator(f'code[data-source-format="{name}"]').text_content()
        assert shown == expected[style], (shown, expected[style])
    assert "\\autocite[sec. 4.2]{li2025twoway}" in box.locator('code[data-source-format="BibTeX"]').text_content()
    page.evaluate("navigator.clipboard.writeText('')")
    box.locator('button[data-source-format="APA"]').click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=5_000)
    assert page.evaluate("navigator.clipboard.readText()") == expected["apa"]
    box.locator(".source-cite__value").fill("Historical Context")  # a named section: worded as the style does
    assert box.locator('code[data-source-format="Chicago"]').text_content() == \
        source_citations.source_citations("li2025twoway", "sec. Historical Context")["chicago"]
    traffic.assert_clean()


def test_a_source_read_online_without_a_date_is_cited_with_todays_access_date(open_page, site_url):
    """The explainer has no date: APA cites it "Retrieved <date>, from <URL>", Chicago "Accessed <date>",
    BibTeX with a urldate; the box puts in the day the reader reads it."""
    from primer.site import source_citations

    page, traffic = open_page()
    box = _source_box(page, traffic, site_url, "chinesedreamndinternal", "paragraph", "3")
    expected = source_citations.source_citations("chinesedreamndinternal", "para. 3")
    day = _today(page)
    for name, style in (("APA", "apa"), ("Chicago", "chicago"), ("BibTeX", "bibtex")):
        shown = box.locator(f'code[data-source-format="{name}"]').text_content()
        assert shown == _filled(expected[style], site_url, day), (shown, expected[style])
        assert "[date" not in shown
    apa = box.locator('code[data-source-format="APA"]').text_content()
    assert f"Retrieved {MONTHS[day.month - 1]} {day.day}, {day.year}, from https://www.chinesedream.earth/" in apa
    assert f"urldate      = {{{day.isoformat()}}}" in box.locator('code[data-source-format="BibTeX"]').text_content()
    traffic.assert_clean()


def test_a_section_is_saved_from_its_address_and_its_files(open_page, site_url):
    """At a section's address, the COinS span (what Zotero's web save reads first) is the section's, and back to the
    page's when the address names none; the section's panel links to its RIS and CSL-JSON files, which the site
    serves, the section's own record."""
    page, traffic = open_page()
    goto(page, site_url + PAGE, traffic)
    anchor, entry = list(_sections(page).items())[1]
    goto(page, site_url, traffic)
    goto(page, f"{site_url}{PAGE}#{anchor}", traffic)   # arriving at the section's address

    def coins() -> dict:
        return dict(pair.split("=", 1) for pair in html.unescape(
            page.get_attribute(".cite-block span.Z3988", "title")).split("&"))
    from urllib.parse import unquote
    saved = coins()
    assert unquote(saved["rft.btitle"]).endswith(f", section {entry['number']}: {entry['heading']}"), saved
    assert unquote(saved["rft_id"]) == f"{site_url}{PAGE}#{anchor}", saved
    page.evaluate("() => { window.location.hash = ''; }")
    page.wait_for_function("() => !decodeURIComponent(document.querySelector('.cite-block span.Z3988')"
                           ".getAttribute('title')).includes(', section ')", timeout=5_000)

    button = page.locator(f"#{anchor} button.cite-section")
    button.click()
    links = page.locator("#" + button.get_attribute("aria-controls") + " a.cite-panel__download")
    assert links.count() == 2 and links.nth(0).text_content() == "RIS", links.all_text_contents()
    for i, name in ((0, "RIS"), (1, "CSL-JSON")):
        href = links.nth(i).evaluate("a => a.href")
        assert href == site_url + entry["files"][name], href
        response = page.request.get(href)
        assert response.ok, f"{href}: HTTP {response.status}"
        if name == "CSL-JSON":
            item = response.json()[0]
            assert item["title"].endswith(f", section {entry['number']}: {entry['heading']}"), item
    traffic.assert_clean()
