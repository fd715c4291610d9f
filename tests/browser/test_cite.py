"""docs/javascripts/cite.js in the browser: the placeholders filled in, and a "cite" button on
every h2/h3 that the keyboard reaches, with an accessible name, copying the section's citation."""
from __future__ import annotations

import datetime as dt
import re

from .browsing import goto

PAGE = "primer/domestic-circulation/"


def test_placeholders_are_filled_with_the_address_and_todays_date(open_page, site_url):
    page, traffic = open_page()
    goto(page, site_url + PAGE, traffic)
    texts = page.eval_on_selector_all(".cite-block pre code", "codes => codes.map(c => c.textContent)")
    assert len(texts) == 5, f"expected the five citation formats, found {len(texts)}"
    joined = "\n".join(texts)
    assert "[date]" not in joined and "[site URL]" not in joined, "cite.js left a placeholder"
    today = page.evaluate("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; })()")
    iso = dt.date(*today).isoformat()
    assert f"Accessed {iso}. {site_url}{PAGE}." in texts[0], texts[0]
    assert f"urldate     = {{{iso}}}" in texts[2] and f"url         = {{{site_url}{PAGE}}}" in texts[2], texts[2]
    traffic.assert_clean()


def test_every_section_has_a_keyboard_reachable_cite_button_that_copies_its_citation(open_page, site_url):
    page, traffic = open_page(permissions=["clipboard-read", "clipboard-write"])
    goto(page, site_url + PAGE, traffic)
    headings = page.eval_on_selector_all("article h2[id], article h3[id]", """hs => hs.map(h => ({
        tag: h.tagName, id: h.id, button: h.querySelector('button.cite-section') && {
            label: h.querySelector('button.cite-section').getAttribute('aria-label'),
            number: h.querySelector('button.cite-section').dataset.number,
            tabIndex: h.querySelector('button.cite-section').tabIndex}}))""")
    assert len(headings) >= 3, f"{PAGE}: too few sections to test"
    h2 = h3 = 0
    for heading in headings:
        h2, h3 = (h2 + 1, 0) if heading["tag"] == "H2" else (h2, h3 + 1)
        number = str(h2) if heading["tag"] == "H2" else f"{h2}.{h3}"
        button = heading["button"]
        assert button, f"#{heading['id']} has no cite button"
        assert button["number"] == number and button["tabIndex"] >= 0
        assert button["label"].startswith(f"Cite section {number}, "), button["label"]

    page.evaluate("navigator.clipboard.writeText('')")
    first = page.locator("article h2[id] button.cite-section").first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    heading_id = next(heading["id"] for heading in headings if heading["tag"] == "H2")
    assert re.fullmatch(r"Dual Circulation Primer contributors\. (\d{4}|n\.d)\. “.+?\.” In .+?, version [\w.]+, "
                        rf"§ 1 “[^”]+”, {re.escape(site_url + PAGE)}#{heading_id} \(accessed \d{{4}}-\d\d-\d\d\)\.",
                        copied), copied
    page.wait_for_function("document.querySelector('.cite-status')?.textContent === "
                           "'Citation of section 1 copied to the clipboard'", timeout=2_000)  # for screen readers
    traffic.assert_clean()
