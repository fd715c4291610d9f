"""Phone (390 px) and desktop (1280 px): navigation works, and no page scrolls sideways."""
from __future__ import annotations

import pytest

from .browsing import VIEWPORTS, goto


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_scrolls_horizontally(survey, viewport):
    """The root is no wider than the window (document.documentElement.scrollWidth <= clientWidth)."""
    result = survey(f"{viewport}-light")
    problems = [f"/{visit.path} at {viewport} width scrolls sideways: {visit.overflow['scrollWidth']} px wide "
                f"in {visit.overflow['clientWidth']} px; sticking out: {', '.join(visit.overflow['culprits'])}"
                for visit in result.visits if visit.overflow]
    assert not problems, "\n".join(problems)
    result.traffic.assert_clean()


TARGET = "sources/li-2025-two-way-internationalization/"  # a chapter one level down the navigation


def _assert_arrived(page, site_url, path):
    page.wait_for_url(site_url + path)
    page.wait_for_load_state("networkidle")  # the search worker loads after the page
    heading = page.locator("article h1").first
    heading.wait_for(state="visible")
    assert heading.inner_text().strip(), f"/{path} has no visible heading"


def _on_screen(locator) -> bool:
    box = locator.bounding_box()
    width = locator.page.viewport_size["width"]
    return bool(box) and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_mobile_drawer_navigates(open_page, site_url):
    page, traffic = open_page(viewport=VIEWPORTS["mobile"])
    goto(page, site_url)
    drawer_box = page.locator(".md-sidebar--primary")
    assert not _on_screen(drawer_box), "at 390 px the navigation should sit in the closed drawer, off the screen"
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator(".md-sidebar--primary .md-nav--primary")
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    # On a phone a section opens as a panel of its own: tap the section, then the chapter.
    section = page.evaluate("""(target) => {
        const link = document.querySelector(`.md-nav--primary a.md-nav__link[href$="${target}"]`);
        const item = link && link.closest(".md-nav__item--nested");
        const toggle = item && item.querySelector(":scope > input.md-nav__toggle");
        return toggle ? toggle.id : null;
    }""", TARGET)
    assert section, f"the navigation has no section holding {TARGET}"
    page.locator(f".md-nav--primary label.md-nav__link[for='{section}']").click()
    link = drawer.locator(f"a.md-nav__link[href$='{TARGET}']").first
    page.wait_for_function("(link) => { const r = link.getBoundingClientRect();"
                           " return r.left >= 0 && r.right <= window.innerWidth; }", arg=link.element_handle())
    link.click()
    _assert_arrived(page, site_url, TARGET)
    assert not page.locator("#__drawer").is_checked(), "the drawer stayed open after navigating"
    traffic.assert_clean()


def test_desktop_sidebar_navigates(open_page, site_url):
    page, traffic = open_page(viewport=VIEWPORTS["desktop"])
    goto(page, site_url)
    assert not page.locator("label.md-header__button[for=__drawer]").is_visible(), \
        "at 1280 px the navigation should be in the sidebar, not behind the menu button"
    sidebar = page.locator(".md-sidebar--primary .md-nav--primary")
    sidebar.locator(f"a.md-nav__link[href$='{TARGET}']").first.click()
    _assert_arrived(page, site_url, TARGET)
    # and onwards from a chapter, by the sidebar again
    sidebar.locator("a.md-nav__link[href$='reference/bibliography/']").first.click()
    _assert_arrived(page, site_url, "reference/bibliography/")
    traffic.assert_clean()
