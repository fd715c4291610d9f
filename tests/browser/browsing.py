"""What the browser tests share besides fixtures: the viewports and colour schemes, a recorder of
a context's traffic, how to load a page, and the survey of every page (each page visited once per
setting, then checked by several tests). How Chromium is found and launched, the list of the
site's pages and the server are scripts/primer/bench/browser_parts.py's, shared with scripts/primer/bench/."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from primer.bench.apparatus import MEASURE_JS
from primer.bench.browser_parts import NO_CHROMIUM as _NO_CHROMIUM
from primer.bench.browser_parts import SEARCH_INDEX, find_chromium, launch_chromium

CHROMIUM = find_chromium()
NO_CHROMIUM = _NO_CHROMIUM + " to run the browser tests"

MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"mobile": MOBILE, "desktop": DESKTOP}
# Every page is surveyed in each of these: (viewport, the colour scheme the reader prefers).
SETTINGS = {"desktop-light": (DESKTOP, "light"), "desktop-dark": (DESKTOP, "dark"), "mobile-light": (MOBILE, "light")}
# axe-core's rules per setting. Every page gets every rule on the desktop in light; the other
# settings run what can differ there (and axe's colour rules are most of its time on a long
# page): the dark scheme changes only colours; the phone changes the layout, not the colours
# or the type sizes (Material sets the same root size below 100em), so neither colour rule runs there.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
ALL_BUT_COLOUR = {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}
ONLY_COLOUR = {"runOnly": {"type": "rule", "values": COLOUR_RULES}}
# Pages that repeat other pages: the print edition is every printed page on one page; the ledgers' pages,
# one per chapter, are one template filled from the same rows (the largest of each kind, AXE_LEDGER_SAMPLES,
# stands for them). What the colour rules read of a text is its style: its colour, the backgrounds behind it,
# its size and weight, its shadow and opacity, and a link's decoration and its paragraph's colour
# (TEXT_STYLES_JS). On a repeating page the colour rules check only the texts whose style they have not yet
# checked in that setting (NEW_STYLE, marked by TEXT_STYLES_JS); every other rule runs on every page on the
# desktop. tests/browser/test_accessibility.py asserts that the colour rules saw every text style of every
# page, in both schemes.
AXE_FIRST_SETTING_ONLY = {"reference/print-edition/"}
AXE_LEDGER_PAGES = ("reference/figure-ledger/", "reference/claims-ledger/")
AXE_LEDGER_SAMPLES = {"reference/figure-ledger/sources-guangdong-technological-brief/",
                      "reference/claims-ledger/primer-agreement-and-disagreement/"}
NEW_STYLE = "data-primer-new-style"


def repeats(path: str) -> bool:
    """Whether PATH repeats other pages (the print edition, a ledger page other than the samples)."""
    ledger = any(path.startswith(prefix) and path != prefix for prefix in AXE_LEDGER_PAGES)
    return path in AXE_FIRST_SETTING_ONLY or (ledger and path not in AXE_LEDGER_SAMPLES)


def survey_order(paths: list[str]) -> list[str]:
    """The pages in the order the survey visits them: the repeating pages last, so that the colour rules have
    checked the styles of the pages they repeat first."""
    return sorted(paths, key=repeats)


def axe_runs(path: str, setting: str, new_styles: bool) -> list[tuple[dict | None, dict]]:
    """axe-core's runs on PATH in SETTING, each (context, options): none, one or two. NEW_STYLES: whether the
    page shows a text style the colour rules have not checked in this setting (TEXT_STYLES_JS)."""
    def run(rules, context=None):
        return context, {"resultTypes": ["violations"], **rules}
    new = [run(ONLY_COLOUR, {"include": [f"[{NEW_STYLE}]"]})] if new_styles else []
    if setting == "mobile-light":   # the layout's rules, on the pages that do not repeat others
        return [] if repeats(path) else [run(ALL_BUT_COLOUR)]
    if setting == "desktop-dark":
        return new if repeats(path) else [run(ONLY_COLOUR)]
    return [run(ALL_BUT_COLOUR), *new] if repeats(path) else [run({})]


def colour_checked(runs: list[tuple[dict | None, dict]]) -> bool:
    """Whether RUNS include the colour rules."""
    return any("rules" not in options for _context, options in runs)


# Each text's style as the colour rules read it (distinct styles only): the element's colour, size, weight,
# shadow and decoration, its opacity (with its ancestors'), the backgrounds behind it up to the first opaque one
# (a colour or an image) and, for a link, its parent's colour (link-in-text-block compares them). Given the
# styles already checked (a list), it marks each text's element whose style is not among them with NEW_STYLE.
TEXT_STYLES_JS = """(checked) => {
    const known = new Set(checked), styles = new Set(), behind = new Map();
    const opaque = bg => bg.startsWith("url(") || bg.includes("gradient") || bg.startsWith("rgb(");
    const backdrop = el => {
        if (!el || el === document.documentElement) return [[], 1];
        if (behind.has(el)) return behind.get(el);
        const cs = getComputedStyle(el), [below, opacity] = backdrop(el.parentElement);
        const own = cs.backgroundImage !== "none" ? cs.backgroundImage
            : (cs.backgroundColor !== "rgba(0, 0, 0, 0)" ? cs.backgroundColor : "");
        const layers = !own ? below : (opaque(own) ? [own] : [own, ...below]);
        const found = [layers, opacity * parseFloat(cs.opacity)];
        behind.set(el, found);
        return found;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || !el.getClientRects().length) continue;
        const cs = getComputedStyle(el), [layers, opacity] = backdrop(el);
        const link = el.closest("a");
        const style = JSON.stringify([cs.color, layers, opacity, cs.fontSize, cs.fontWeight, cs.textShadow,
            cs.textDecorationLine, link && link.parentElement ? getComputedStyle(link.parentElement).color : null]);
        styles.add(style);
        if (!known.has(style)) el.setAttribute("data-primer-new-style", "");
    }
    return [...styles];
}"""
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}
# Material shows "Initializing search" (theme.language: en) until its search worker has loaded
# the index and the lunr languages, then "Type to start searching". A page without search is ready.
SEARCH_READY_JS = """() => {
    const meta = document.querySelector(".md-search-result__meta");
    return !meta || !/^\\s*Initializing search/.test(meta.textContent);
}"""


def is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlparse(url).hostname == "127.0.0.1"


@dataclass
class Traffic:
    """What a browser context did: every request, and everything that went wrong."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # what the page's Content-Security-Policy refused (Chromium: "Executing inline script violates the following
    # Content Security Policy directive …", earlier versions "Refused to execute …"): the site's own scripts,
    # styles and requests must all be allowed (primer.site.csp)
    csp_violations: list[str] = field(default_factory=list)
    in_flight: set = field(default_factory=set)
    last_activity: float = 0.0

    def watch(self, page):
        page.on("console", lambda msg: self.on_console(page, msg))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: uncaught exception: {error}"))
        return page

    def on_console(self, page, msg):
        if "Content Security Policy" in msg.text or msg.text.startswith("Refused to "):
            self.csp_violations.append(f"{page.url}: refused by the Content-Security-Policy: {msg.text}")
        elif msg.type == "error":
            self.console_errors.append(f"{page.url}: console error: {msg.text}")

    def on_request(self, request):
        self.in_flight.add(request)
        self.last_activity = time.monotonic()
        self.requests.append(request.url)
        if not is_local(request.url):
            self.external.append(f"{request.url} (from {request.frame.url})")

    def on_finished(self, request):
        self.in_flight.discard(request)
        self.last_activity = time.monotonic()

    def on_failed(self, request):
        self.on_finished(request)
        if is_local(request.url):  # a request to another host is reported (and aborted) as external
            self.failed.append(f"{request.url}: failed ({request.failure})")

    def on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        return ([f"request leaves 127.0.0.1: {line}" for line in self.external]
                + self.failed + self.console_errors + self.csp_violations)

    def assert_clean(self):
        problems = self.problems()
        assert not problems, "\n".join(problems)

    def wait_quiet(self, page, quiet_ms: int = 150, timeout_ms: int = 15_000):
        """Wait until Material's search is ready and then no request has been in flight for
        `quiet_ms` (Playwright's "networkidle" waits 500 ms, which a run over every page pays
        many times). The search worker parses the index before it fetches the lunr language
        files: with a large index that pause is longer than any quiet spell one would wait."""
        page.wait_for_function(SEARCH_READY_JS, timeout=timeout_ms)
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            page.wait_for_timeout(25)  # lets Playwright deliver the request events
            if not self.in_flight and time.monotonic() - self.last_activity >= quiet_ms / 1000:
                return
        raise AssertionError(f"{page.url}: still loading after {timeout_ms} ms: "
                             f"{sorted(r.url for r in self.in_flight)}")


def open_context(browser, viewport=DESKTOP, color_scheme="light", **options):
    """A new context (fresh storage and cache) and page, with every request recorded; a request
    that would leave 127.0.0.1 is recorded and aborted, so no test ever reaches the network."""
    traffic = Traffic()
    mobile = viewport is MOBILE
    options = {"is_mobile": mobile, "has_touch": mobile, **options}
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **options)
    context.set_default_timeout(15_000)
    context.on("request", traffic.on_request)
    context.on("requestfinished", traffic.on_finished)
    context.on("requestfailed", traffic.on_failed)
    context.on("response", traffic.on_response)
    context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
    return context, traffic.watch(context.new_page()), traffic


def goto(page, url: str, traffic: Traffic | None = None):
    """Load a page and wait until the network is quiet: Material loads its search worker, the
    search index and the lunr language files after the page itself. With the page's `traffic`
    recorder, a shorter quiet spell than Playwright's "networkidle" is enough."""
    response = page.goto(url, wait_until="load" if traffic else "networkidle")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"
    if traffic:
        traffic.wait_quiet(page)
    return response


# The elements that stick out past the right edge, outermost first, those inside a box that
# scrolls or clips on its own (Material's table wrapper, code blocks) excepted.
OVERFLOW_JS = """() => {
    const root = document.documentElement, limit = root.clientWidth;
    if (root.scrollWidth <= limit) return null;
    const clipped = el => {
        for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
            if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true;
        }
        return false;
    };
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].slice(0, 2).map(c => "." + c).join("");
    const wide = [...document.body.querySelectorAll("*")].filter(el =>
        el.getBoundingClientRect().right > limit + 1 && !clipped(el) && getComputedStyle(el).position !== "fixed");
    const outermost = wide.filter(el => !wide.includes(el.parentElement));
    return {scrollWidth: root.scrollWidth, clientWidth: limit,
            culprits: outermost.slice(0, 5).map(el =>
                `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`)};
}"""


@dataclass
class PageVisit:
    path: str
    scheme: str | None  # Material's data-md-color-scheme on <body>
    search_index_seen: bool  # the search worker's on-demand fetch was waited for and seen
    overflow: dict | None  # OVERFLOW_JS's answer: None when the page does not scroll sideways
    violations: list[dict]  # axe-core's violations
    apparatus: dict | None = None  # primer.bench.apparatus.MEASURE_JS's answer: words, height, tables, marks
    axe: list = field(default_factory=list)  # axe's runs, each (context, options) (axe_runs)
    styles: frozenset = frozenset()  # the page's text styles (TEXT_STYLES_JS)


@dataclass
class Survey:
    setting: str
    traffic: Traffic
    visits: list[PageVisit]


def survey_site(browser, site_url: str, paths: list[str], setting: str) -> Survey:
    """Visit every page once in `setting`: record its traffic, measure sideways overflow, run axe."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    viewport, color_scheme = SETTINGS[setting]
    context, page, traffic = open_context(browser, viewport, color_scheme)
    visits, checked = [], set()   # the text styles the colour rules have checked
    try:
        for path in survey_order(paths):
            seen = len(traffic.requests)
            # Checked once loaded, while Material's search worker fetches the index and builds it
            # (it changes nothing on the page until one searches); then wait for it to finish.
            response = page.goto(site_url + path, wait_until="load")
            assert response is not None and response.ok, f"/{path}: HTTP {response.status if response else '-'}"
            scheme = page.get_attribute("body", "data-md-color-scheme")
            overflow = page.evaluate(OVERFLOW_JS)
            apparatus = page.evaluate(MEASURE_JS)
            styles = frozenset(page.evaluate(TEXT_STYLES_JS, sorted(checked) if repeats(path) else []))
            runs = axe_runs(path, setting, bool(styles - checked))
            violations = [found for context, options in runs
                          for found in axe.run(page, context=context, options=options).response["violations"]]
            if colour_checked(runs):
                checked |= styles
            traffic.wait_quiet(page)
            visits.append(PageVisit(path, scheme, site_url + SEARCH_INDEX in traffic.requests[seen:],
                                    overflow, violations, apparatus, runs, styles))
    finally:
        context.close()
    # what was recorded, without the browser's objects Playwright attached to the recorder: a survey is kept
    # (pickled) for the other workers of a test run
    kept = Traffic(requests=list(traffic.requests), external=list(traffic.external), failed=list(traffic.failed),
                   console_errors=list(traffic.console_errors))
    return Survey(setting, kept, visits)


def survey_all(site_url: str, paths: list[str]) -> dict:
    """{setting: Survey} for every setting, each in a Chromium of its own in a thread of its own: the surveys
    are most of the browser tests' time, and they overlap well."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=len(SETTINGS), thread_name_prefix="survey") as executor:
        futures = {name: executor.submit(survey_in_own_browser, site_url, paths, name) for name in SETTINGS}
        return {name: future.result() for name, future in futures.items()}


def survey_in_own_browser(site_url: str, paths: list[str], setting: str) -> Survey:
    """survey_site() in a Chromium of its own, so that the settings can be surveyed in parallel
    threads (Playwright's sync API wants one instance per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, CHROMIUM)
        try:
            return survey_site(browser, site_url, paths, setting)
        finally:
            browser.close()
