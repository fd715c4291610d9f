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


def test_the_recorder_sees_a_request_to_another_host(open_page, site_url):
    """The privacy check must see what it claims to see: plant a third-party image and a font."""
    page, traffic = open_page()
    goto(page, site_url)
    with page.expect_request("https://tracker.example.com/**"), page.expect_request("https://fonts.gstatic.com/**"):
        page.evaluate("""() => {
            const img = document.createElement("img");
            img.src = "https://tracker.example.com/pixel.gif";
            document.body.append(img);
            const style = document.createElement("style");
            style.textContent = "@font-face { font-family: X; src: url(https://fonts.gstatic.com/x.woff2); }"
                              + " body { font-family: X; }";
            document.head.append(style);
        }""")
    assert any("tracker.example.com" in line for line in traffic.external), traffic.external
    assert any("fonts.gstatic.com" in line for line in traffic.external), traffic.external
    assert any("leaves 127.0.0.1" in problem for problem in traffic.problems())
