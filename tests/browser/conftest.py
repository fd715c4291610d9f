"""Browser tests: the built site, served on 127.0.0.1 by the test itself, in Debian's Chromium
driven by Playwright. Skipped, with a message saying how to enable them, where no `chromium`
is on the PATH (Playwright's own browser download is not used).

Fixtures: `site_url` (the session's strict build from tests/conftest.py, served over HTTP),
`site_pages` (every page of the built site), `browser` (one Chromium per session), `open_page`
(a fresh context at a given viewport and colour scheme, its traffic recorded) and `survey`
(every page visited once per setting, shared by the tests that check every page).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import once_per_run

from primer.bench.browser_parts import launch_chromium, page_paths, serve

from .browsing import CHROMIUM, DESKTOP, NO_CHROMIUM, open_context, survey_all

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a `browser` test, and is skipped when there is no Chromium
    (before the site is built for it)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


# The files are served as they are (browser_parts.serve): what the site does is tested, not what a
# host adds; scripts/primer/bench/ serves them gzip-compressed, as GitHub Pages does, to weigh them.
@pytest.fixture(scope="session")
def site_url(built_site):
    """The strict build, served on 127.0.0.1 at a free port for the whole session."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def editions_url(published_editions):
    """Two editions published with mike (tests/conftest.py), served as GitHub Pages would."""
    with serve(published_editions.served) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(built_site) -> list[str]:
    paths = page_paths(built_site)
    assert len(paths) >= 5, f"the built site has only {len(paths)} pages: {paths}"
    return paths


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """open_page(viewport=DESKTOP, color_scheme="light", **context_options) -> (page, traffic).

    Each call is a new context (fresh storage and cache), closed after the test. Every request
    is recorded; one that would leave 127.0.0.1 is recorded and aborted.
    """
    contexts = []

    def _open(viewport=DESKTOP, color_scheme="light", **options):
        context, page, traffic = open_context(browser, viewport, color_scheme, **options)
        contexts.append(context)
        return page, traffic

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def survey(built_site, site_pages, tmp_path_factory):
    """survey(setting) -> Survey: every page visited once in that setting (see browsing.SETTINGS), its traffic,
    sideways overflow, apparatus and axe-core's findings recorded. Made once per test run, in the background as
    soon as the site is built (tests/conftest.py, survey_soon), each setting in its own Chromium."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)

    def make() -> dict:   # only when the background survey could not be started
        with serve(built_site) as url:
            return survey_all(url, site_pages)

    results = {}

    def _survey(setting: str):
        if not results:
            results.update(once_per_run(tmp_path_factory, "survey", make))
        return results[setting]

    yield _survey
