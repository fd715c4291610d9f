"""Every page loads in Chromium with no console error, no failed request, and no request to a
host other than 127.0.0.1 (fonts, scripts, styles, images, analytics).

Every other browser test checks the same of what it does (`traffic.assert_clean()`), and the
accessibility test of each setting of the survey, so the phone layout and the dark scheme,
search and tooltips are covered too."""
from __future__ import annotations

from .browsing import goto


def test_every_page_loads_cleanly_and_fetches_only_from_127_0_0_1(survey):
    result = survey("desktop-light")
    result.traffic.assert_clean()
    # Material's search worker fetches the index after the page has loaded: it must have been
    # waited for and seen, else the check above proves less than it says.
    missed = [f"/{visit.path}" for visit in result.visits if not visit.search_index_seen]
    assert not missed, f"the search index was not seen loading on {missed}: the wait was too short"


PLANT_THIRD_PARTY = """() => {
    const img = document.createElement("img");
    img.src = "https://tracker.example.com/pixel.gif";
    document.body.append(img);
    const style = document.createElement("style");
    style.textContent = "@font-face { font-family: X; src: url(https://fonts.gstatic.com/x.woff2); }"
                      + " body { font-family: X; }";
    document.head.append(style);
}"""


def test_the_recorder_sees_a_request_to_another_host(open_page, site_url):
    """The privacy check must see what it claims to see: plant a third-party image and a font (with the page's
    Content-Security-Policy set aside, which would refuse both before any request: the next test)."""
    page, traffic = open_page(bypass_csp=True)
    goto(page, site_url)
    with page.expect_request("https://tracker.example.com/**"), page.expect_request("https://fonts.gstatic.com/**"):
        page.evaluate(PLANT_THIRD_PARTY)
    assert any("tracker.example.com" in line for line in traffic.external), traffic.external
    assert any("fonts.gstatic.com" in line for line in traffic.external), traffic.external
    assert any("leaves 127.0.0.1" in problem for problem in traffic.problems())


def test_the_policy_refuses_a_third_party_request_and_an_inline_script_and_the_recorder_sees_it(open_page, site_url):
    """The page's Content-Security-Policy (primer.site.csp) refuses what a page might be made to load from another
    host, and a script or handler put into the page; Chromium says so in the console, which the recorder reports."""
    page, traffic = open_page()
    goto(page, site_url)
    refused_loads = []
    page.on("requestfailed", lambda request: refused_loads.append(request.url) if request.failure == "csp" else None)
    page.evaluate(PLANT_THIRD_PARTY)
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.pwnPlanted = true";
        document.body.append(script);
        const img = document.createElement("img");
        img.setAttribute("onerror", "window.pwnPlanted = true");
        img.src = "missing.png";
        document.body.append(img);
    }""")
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwnPlanted") is None, "a script planted in the page ran"
    # Chromium announces a request the policy then stops before it leaves (Playwright: failure "csp")
    assert sorted(refused_loads) == ["https://fonts.gstatic.com/x.woff2", "https://tracker.example.com/pixel.gif"], \
        f"the policy did not stop the requests to other hosts: {traffic.external}, stopped {refused_loads}"
    refused = "\n".join(traffic.csp_violations)
    for what in ("tracker.example.com", "fonts.gstatic.com", "inline script", "inline event handler"):
        assert what in refused, f"Chromium did not report refusing the planted {what}: {refused or 'nothing'}"
