"""Published editions in the browser: the site's root opens the current edition; an earlier
edition, still at its own URL, shows the banner that points to the current one; Material's
selector lists both; nothing fails to load and nothing leaves 127.0.0.1."""
from __future__ import annotations

from .browsing import goto


def test_the_root_opens_the_current_edition_without_a_banner(open_page, editions_url, published_editions):
    page, traffic = open_page()
    goto(page, editions_url, traffic)
    page.wait_for_url(f"{editions_url}{published_editions.current}/")
    traffic.wait_quiet(page)
    assert page.locator("[data-md-component=outdated]").is_hidden()
    selector = page.locator(".md-version")
    selector.wait_for()
    assert published_editions.current in selector.locator(".md-version__current").inner_text()
    listed = [item.strip() for item in selector.locator(".md-version__link").all_inner_texts()]
    assert listed == [published_editions.current, published_editions.earlier], listed
    traffic.assert_clean()


def test_an_earlier_edition_stays_at_its_url_and_points_to_the_current_one(open_page, editions_url,
                                                                         published_editions):
    page, traffic = open_page()
    earlier = f"{editions_url}{published_editions.earlier}/sources/"
    goto(page, earlier, traffic)
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible")
    assert f"edition {published_editions.earlier} of this primer" in " ".join(banner.inner_text().split())
    assert page.url == earlier
    banner.get_by_role("link", name="Go to the current edition").click()
    page.wait_for_url(f"{editions_url}{published_editions.current}/")
    traffic.wait_quiet(page)
    traffic.assert_clean()


def test_latest_forwards_a_cited_section_with_its_query_under_the_policy(open_page, editions_url, published_editions):
    """A section cited at latest/… opens in the current edition at that section, the query kept; the redirect
    page's script runs under its Content-Security-Policy (a refusal would be in the traffic's problems)."""
    page, traffic = open_page()
    goto(page, f"{editions_url}latest/primer/external-risks/?from=report#technology-controls-and-the-chokehold-problem", traffic)
    page.wait_for_url(f"{editions_url}{published_editions.current}/primer/external-risks/?from=report"
                      "#technology-controls-and-the-chokehold-problem")
    traffic.wait_quiet(page)
    traffic.assert_clean()
