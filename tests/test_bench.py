"""primer.bench (scripts/primer/bench/): its server (gzip like GitHub Pages), its reading of mkdocs.yml, the bytes it
counts for each request (with stand-ins for Playwright's requests), its sums and verdicts, and the
helpers of its live-reload measurement; and what it shares with the browser tests
(scripts/primer/bench/browser_parts.py). Nothing here needs Chromium or judges a time; one test (marked REAL in
its docstring) starts a real `mkdocs serve` on a tiny project, a few seconds."""
from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from primer import ROOT
from primer.bench import budgets, builds, cli, pages, reload, report
from primer.bench.browser_parts import page_paths
from primer.build import mkdocs_yml

KB = 1024
HTML = ("<!doctype html><html><body>" + "<p>The dual circulation strategy, a paragraph. </p>" * 400
        + "</body></html>").encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(site folder, base URL, the server's record of bodies sent): one server for the module."""
    tmp_path = tmp_path_factory.mktemp("site")
    (tmp_path / "index.html").write_bytes(HTML)
    (tmp_path / "primer").mkdir()
    (tmp_path / "primer" / "index.html").write_bytes(HTML.replace(b"paragraph", b"chapter"))
    (tmp_path / "style.css").write_bytes(b"body { margin: 0 }\n" * 200)
    (tmp_path / "app.js").write_bytes(b"console.log('x');\n" * 200)
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_bytes(b'{"docs": [' + b'{"text": "abc"},' * 300 + b'{}]}')
    (tmp_path / "icon.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g/>" * 300 + b"</svg>")
    (tmp_path / "sitemap.xml").write_bytes(b"<urlset>" + b"<url/>" * 300 + b"</urlset>")
    (tmp_path / "primer.pdf").write_bytes(b"%PDF-1.7\n" + b"stream of text " * 300)
    (tmp_path / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"a" * 3000)
    (tmp_path / "font.woff2").write_bytes(b"wOF2" + b"b" * 3000)
    (tmp_path / "changing.js").write_bytes(b"console.log('x');\n" * 200)
    sent = {}
    with pages.serve(tmp_path, sent) as base:
        yield tmp_path, base, sent


def get(base: str, path: str, accept: str | None = "gzip, deflate, br", method: str = "GET"):
    """(status, headers, raw body as sent) for one request, without any decoding."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    headers = {"Accept-Encoding": accept} if accept is not None else {"Accept-Encoding": "identity"}
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, body
    connection.close()
    return result


@pytest.mark.parametrize("path, file", [("/", "index.html"), ("/primer/", "primer/index.html"),
                                        ("/style.css", "style.css"), ("/app.js", "app.js"),
                                        ("/search/search_index.json", "search/search_index.json"),
                                        ("/icon.svg", "icon.svg"), ("/sitemap.xml", "sitemap.xml")])
def test_text_is_sent_gzipped_when_accepted(server, path, file):
    site, base, sent = server
    status, headers, body = get(base, path)
    data = (site / file).read_bytes()
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body)
    assert len(body) < len(data)  # these files compress well
    assert gzip.decompress(body) == data
    assert sent[path] == (len(body), "gzip")


@pytest.mark.parametrize("accept", [None, "br", "gzip;q=0", "deflate, gzip;q=0, br"])
def test_text_is_sent_plain_when_gzip_is_not_accepted(server, accept):
    site, base, _ = server
    status, headers, body = get(base, "/primer/", accept=accept)
    assert status == 200
    assert "content-encoding" not in headers
    assert int(headers["content-length"]) == len(body)
    assert body == (site / "primer" / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/primer.pdf", "/favicon.png", "/font.woff2"])
def test_compressed_formats_are_never_gzipped(server, path):
    site, base, sent = server
    status, headers, body = get(base, path, accept="gzip")
    assert status == 200
    assert "content-encoding" not in headers
    assert int(headers["content-length"]) == len(body)
    assert body == (site / path.lstrip("/")).read_bytes()
    assert sent[path] == (len(body), None)


def test_head_sends_the_headers_of_get_and_no_body(server):
    _, base, _ = server
    _, get_headers, get_body = get(base, "/style.css")
    status, headers, body = get(base, "/style.css", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-encoding"] == "gzip"
    assert headers["content-length"] == get_headers["content-length"] == str(len(get_body))


def test_redirects_and_missing_files_are_left_to_the_parent(server):
    _, base, _ = server
    status, headers, _ = get(base, "/primer")
    assert status == 301 and headers["location"].endswith("/primer/")
    assert get(base, "/nothing.html")[0] == 404
    assert get(base, "/style.css/")[0] == 404


def test_a_changed_file_is_compressed_again(server):
    site, base, _ = server
    first = get(base, "/changing.js")[2]
    assert get(base, "/changing.js")[2] == first  # from the cache, the same bytes
    (site / "changing.js").write_bytes(b"console.log('changed');\n" * 300)
    stat = os.stat(site / "changing.js")
    os.utime(site / "changing.js", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert gzip.decompress(get(base, "/changing.js")[2]) == (site / "changing.js").read_bytes()


@pytest.mark.parametrize("header, accepted", [("gzip", True), ("gzip, deflate, br, zstd", True), ("GZIP", True),
                                              ("x-gzip", True), ("*", True), ("gzip;q=0.5", True),
                                              ("gzip;q=0", False), ("br, *;q=0", False), ("*, gzip;q=0", False),
                                              ("identity", False), ("", False), (None, False), ("deflate", False)])
def test_accepts_gzip(header, accepted):
    assert pages.accepts_gzip(header) is accepted


def test_verdict_is_strictly_under_the_budget():
    assert budgets.size_verdict(401 * KB, 400) == "OVER"
    assert budgets.size_verdict(400 * KB, 400) == "OVER"  # "under 400 KB"
    assert budgets.size_verdict(400 * KB - 1, 400) == "PASS"
    assert budgets.size_verdict(499 * KB, 500) == "PASS"


def test_split_load_counts_the_search_index_apart():
    load = pages.split_load([
        {"url": "http://127.0.0.1:1/primer/", "transferred": 40 * KB, "uncompressed": 180 * KB},
        {"url": "http://127.0.0.1:1/assets/main.css", "transferred": 25 * KB, "uncompressed": 140 * KB},
        {"url": "http://127.0.0.1:1/search/search_index.json", "transferred": 150 * KB, "uncompressed": 640 * KB},
        {"url": "http://127.0.0.1:1/assets/bundle.js?v=1", "transferred": 35 * KB, "uncompressed": 115 * KB},
    ])
    assert load["transferred"] == 100 * KB and load["uncompressed"] == 435 * KB and load["requests"] == 3
    assert load["search_index"] == {"transferred": 150 * KB, "uncompressed": 640 * KB}
    assert pages.split_load([{"url": "http://x/a.css", "transferred": 1, "uncompressed": 2}])["search_index"] is None


class FakeResponse:
    """What _resource() uses of a Playwright Response: `headers` (lower-case names) and body()."""

    def __init__(self, body: bytes | None, headers: dict | None = None, status: int = 200):
        self._body, self.headers, self.status = body, headers or {}, status

    def body(self) -> bytes:
        if self._body is None:  # as Playwright says of a body it cannot read back (a worker's fetch)
            raise RuntimeError("Response.body: Network.getResponseBody: No resource with given identifier found")
        return self._body


class FakeRequest:
    """What _resource() uses of a Playwright Request: `url`, sizes() and response()."""

    def __init__(self, url: str, response: FakeResponse | None, body_size: int = 0, headers_size: int = 0,
                 resource_type: str = "fetch"):
        self.url, self._response, self.resource_type = url, response, resource_type
        self._sizes = {"requestBodySize": 0, "requestHeadersSize": 400, "responseBodySize": body_size,
                       "responseHeadersSize": headers_size}

    def response(self) -> FakeResponse | None:
        return self._response

    def sizes(self) -> dict:
        if self._response is None:  # Playwright's own words for a request that got no response
            raise RuntimeError("Unable to fetch sizes for failed request")
        return self._sizes


def test_resource_of_a_gzipped_text_file(tmp_path):
    wire = pages.gzip_body(HTML)
    row = pages._resource(FakeRequest("http://127.0.0.1:1/primer/", FakeResponse(HTML, {"content-encoding": "gzip"}),
                                      body_size=len(wire), headers_size=231, resource_type="document"), tmp_path)
    assert row == {"url": "http://127.0.0.1:1/primer/", "transferred": len(wire) + 231, "body": len(wire),
                   "headers": 231, "uncompressed": len(HTML), "encoding": "gzip", "failed": False}
    assert row["transferred"] < row["uncompressed"]


def test_resource_of_an_image_sent_as_is(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"a" * 3000
    row = pages._resource(FakeRequest("http://127.0.0.1:1/assets/logo.png", FakeResponse(png, {"content-type": "image/png"}),
                                      body_size=len(png), headers_size=180, resource_type="image"), tmp_path)
    assert row["transferred"] == len(png) + 180 and row["body"] == row["uncompressed"] == len(png)
    assert row["encoding"] is None and row["failed"] is False


def test_resource_of_a_request_with_no_response_counts_nothing(tmp_path):
    (tmp_path / "app.js").write_bytes(b"x" * 500)  # the file exists: still, nothing came
    row = pages._resource(FakeRequest("http://127.0.0.1:1/app.js", None, resource_type="script"), tmp_path)
    assert row == {"url": "http://127.0.0.1:1/app.js", "transferred": 0, "body": 0, "headers": 0,
                   "uncompressed": 0, "encoding": None, "failed": True}


@pytest.mark.parametrize("url, file", [
    ("http://127.0.0.1:1/search/search_index.json", "search/search_index.json"),  # the search worker's fetch
    ("http://127.0.0.1:1/assets/app.js?v=3#top", "assets/app.js"),  # query and fragment: the same file
    ("http://127.0.0.1:1/assets/two%20words.css", "assets/two words.css"),  # percent-encoded
    ("http://127.0.0.1:1/primer/", "primer/index.html"),  # a page: its index.html
    ("http://127.0.0.1:1/", "index.html"),
])
def test_resource_with_an_unreadable_body_takes_the_file_served(tmp_path, url, file):
    for name, size in (("search/search_index.json", 9000), ("assets/app.js", 7000), ("assets/two words.css", 6000),
                       ("primer/index.html", 5000), ("index.html", 4000)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    row = pages._resource(FakeRequest(url, FakeResponse(None, {"content-encoding": "gzip"}), body_size=1500,
                                      headers_size=200), tmp_path)
    assert row["uncompressed"] == (tmp_path / file).stat().st_size
    assert row["transferred"] == 1700 and row["encoding"] == "gzip"


def test_resource_with_an_unreadable_body_and_no_file_takes_the_body_size(tmp_path):
    row = pages._resource(FakeRequest("http://127.0.0.1:1/gone.js", FakeResponse(None), body_size=1500,
                                      headers_size=200), tmp_path)
    assert row["uncompressed"] == 1500 and row["transferred"] == 1700


def test_a_page_load_counts_the_search_index_apart(tmp_path):
    """_resource() then split_load(), as bench_pages() does: the worker's index (body unreadable, the
    file's size then) is counted apart from the page, whatever its query string."""
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_bytes(b"x" * 80_000)
    page = gzip.compress(HTML)
    requests = [FakeRequest("http://127.0.0.1:1/primer/", FakeResponse(HTML, {"content-encoding": "gzip"}),
                            len(page), 200),
                FakeRequest("http://127.0.0.1:1/assets/logo.png", FakeResponse(b"p" * 3000), 3000, 150),
                FakeRequest("http://127.0.0.1:1/search/search_index.json?v=2", FakeResponse(None, {"content-encoding": "gzip"}),
                            20_000, 250)]
    load = pages.split_load([pages._resource(r, tmp_path) for r in requests])
    assert load["requests"] == 2
    assert load["transferred"] == len(page) + 200 + 3150 and load["uncompressed"] == len(HTML) + 3000
    assert load["search_index"] == {"transferred": 20_250, "uncompressed": 80_000}


@pytest.mark.parametrize("text, tag, line", [
    ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
     "!!python/name:material.extensions.emoji.twemoji", 4),
    ("extra:\n  a: !include other.yml\n", "!include", 3)])
def test_a_tag_in_mkdocs_yml_stops_the_bench_naming_it(tmp_path, text, tag, line):
    """A tagged value read as None would silently change that setting in the Material-only
    configuration: the bench stops instead, with one line naming the file, the line and the tag
    (scripts/primer/build/mkdocs_yml.py; !ENV and !relative, which it values as MkDocs does, are below)."""
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: Tiny\n" + text, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        builds.load_config(path)
    message = str(stop.value)
    assert message == (f"{path}, line {line}: the tag {tag} is not understood here (only !ENV and !relative "
                       "are); teach scripts/primer/build/mkdocs_yml.py what it stands for")


def test_the_baseline_keeps_env_and_relative_as_mkdocs_reads_them(tmp_path, monkeypatch):
    """!ENV is written as its value, `!relative $config_dir/…` as the path it stands for (absolute:
    still right beside the temporary mkdocs.yml), `!relative` alone as the tag again."""
    monkeypatch.setenv("BENCH_SITE_URL", "https://example.org/")
    monkeypatch.setattr(builds, "ROOT", tmp_path / "project")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "mkdocs.yml").write_text(
        "site_name: Tiny\nsite_url: !ENV [BENCH_SITE_URL, 'https://default.org/']\n"
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path:\n        - !relative $config_dir/snippets\n"
        "        - !relative\n",
        encoding="utf-8")
    (tmp_path / "out").mkdir()
    written = builds.baseline_config(tmp_path / "out")
    text = written.read_text(encoding="utf-8")
    assert "!relative ''" in text and "BENCH_SITE_URL" not in text
    base = builds.load_config(written)
    assert base["site_url"] == "https://example.org/"
    assert base["markdown_extensions"] == [{"pymdownx.snippets": {"base_path": [
        str(tmp_path / "project" / "snippets"), mkdocs_yml.PageDir()]}}]


def test_a_plain_mkdocs_yml_loads_and_the_baseline_keeps_material_and_search(tmp_path):
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: Tiny\nplugins:\n  - search:\n      lang: [en]\nstrict: true\n", encoding="utf-8")
    assert builds.load_config(path) == {"site_name": "Tiny", "plugins": [{"search": {"lang": ["en"]}}],
                                        "strict": True}
    base = builds.load_config(builds.baseline_config(tmp_path))  # the real mkdocs.yml: no tag it cannot read
    real = builds.load_config(builds.ROOT / "mkdocs.yml")
    assert base["plugins"] == [p for p in real["plugins"] if p == "search" or "search" in p]
    assert "hooks" not in base and base["strict"] is False and base["theme"]["name"] == "material"
    assert base["markdown_extensions"] == real["markdown_extensions"] and base["nav"] == real["nav"]


def test_page_paths_leave_out_404_and_redirect_pages(tmp_path):
    """The pages the bench weighs and the browser tests visit (scripts/primer/bench/browser_parts.py)."""
    from mkdocs_redirects.plugin import HTML_TEMPLATE  # the page mkdocs-redirects writes at an old URL
    for rel in ("", "primer/", "primer/one/", "404/", "old-name/"):
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        (tmp_path / rel / "index.html").write_text(
            HTML_TEMPLATE.format(url="../primer/one/") if rel == "old-name/" else "<!doctype html><p>A page.</p>",
            encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>Not found</p>", encoding="utf-8")
    assert page_paths(tmp_path) == ["", "primer/", "primer/one/"]


def test_the_browser_tests_server_sends_files_as_they_are(tmp_path):
    """browser_parts.serve with its default handler (the browser tests'): no gzip, unlike the bench's."""
    from primer.bench import browser_parts
    (tmp_path / "style.css").write_bytes(b"body { margin: 0 }\n" * 200)
    with browser_parts.serve(tmp_path) as base:
        status, headers, body = get(base, "/style.css", accept="gzip")
    assert status == 200 and "content-encoding" not in headers
    assert body == (tmp_path / "style.css").read_bytes()


def _results(chapter_kb: float, index_kb: float) -> dict:
    """Results as main() gathers them, with the given transferred sizes; uncompressed far over budget."""
    def row(page, kb):
        return {"page": page, "transferred": kb * KB, "uncompressed": 4 * kb * KB, "requests": 10,
                "search_index": {"transferred": index_kb * KB, "uncompressed": 4 * index_kb * KB},
                "dom_elements": 1000, "load_ms": 100.0, "dom_content_loaded_ms": 80.0,
                "largest": [{"url": "/x", "transferred": KB, "uncompressed": 3 * KB, "encoding": "gzip"}]}
    rows = [row("/", 100), row("/primer/one/", chapter_kb), row("/reference/print-edition/", 900)]
    pages = {"available": True, "chromium": "test", "page_runs": 1, "pages": rows, "external_requests": [],
             "size_mismatches": [], "heaviest_transferred": "/reference/print-edition/",
             "heaviest_uncompressed": "/reference/print-edition/"}
    build = {"runs": 1, "ratio": 1.5, "ratio_mkdocs_built_in": 1.4,
             "strict": {"median_s": 3.0, "mkdocs_built_in_median_s": 2.5, "pages": 3},
             "material_only": {"median_s": 2.0, "mkdocs_built_in_median_s": 1.8, "pages": 3},
             "with_pdf": {"wall_s": 21.0, "extra_s": 18.0, "pdf_made": True, "pdf_bytes": 2_000_000,
                          "hook_reported_s": 17.5, "mkdocs_built_in_s": 20.0}}
    results = {"date": "today", "commit": None, "python": "3.11", "machine": "test", "build": build,
               "figures": {"available": False, "why": "test"}, "pages": pages}
    site_index = {"available": True, "measured": True, "transferred": index_kb * KB,
                  "uncompressed": 4 * index_kb * KB, "docs": 3}
    results["search_index"] = site_index
    results["budgets"] = report.budgets(results)
    return results


def test_budgets_are_judged_on_transferred_bytes():
    over = _results(chapter_kb=401, index_kb=499)
    assert over["budgets"]["chapters"] == "OVER"
    assert over["budgets"]["search_index"] == "PASS"  # ~2 MB uncompressed, 499 KB transferred
    under = _results(chapter_kb=390, index_kb=501)  # ~1.5 MB uncompressed: transferred is what counts
    assert under["budgets"]["chapters"] == "PASS"
    assert under["budgets"]["search_index"] == "OVER"
    assert under["budgets"]["pages"] == "OVER"  # the print edition, 900 KB, is no chapter
    assert under["budgets"]["build_ratio"] == "OVER"  # 1.5× is not under 1.5×
    under["build"]["ratio"] = 1.49
    assert report.budgets(under)["build_ratio"] == "PASS"
    assert under["budgets"]["build_ratio_cold"] is None and under["budgets"]["reload"] is None  # not measured
    under["build"]["ratio_cold"] = 2.5
    assert report.budgets(under)["build_ratio_cold"] == "OVER"
    under["build"]["ratio_cold"] = 2.4
    assert report.budgets(under)["build_ratio_cold"] == "PASS"


def test_report_says_what_is_judged_and_names_the_heaviest_pages():
    text = report.report(_results(chapter_kb=401, index_kb=499), None)
    assert "judged on transferred bytes" in text
    assert "transferred: gzip, as GitHub Pages serves the site; uncompressed beside it" in text
    assert "Heaviest page by transferred bytes: **/reference/print-edition/**" in text
    assert "Heaviest page by uncompressed bytes: **/reference/print-edition/**" in text
    assert "| /primer/one/ | 401.0 KB | 1,604.0 KB |" in text and "| OVER |" in text
    assert "+18.00 s** over the median strict build" in text


def test_builds_are_timed_without_the_pdf_unless_asked(monkeypatch, tmp_path):
    seen = []

    def run(command, cwd, env, **kwargs):
        seen.append(env.get("PRIMER_PDF"))
        out = "INFO    -  print edition: dual-circulation-primer.pdf, 80 pages, in 17.3 s\n" if "PRIMER_PDF" not in env \
            else "INFO    -  print edition: PRIMER_PDF=0 turns it off; no PDF made\n"
        return subprocess.CompletedProcess(command, 0, out + "INFO    -  Documentation built in 4.20 seconds\n", "")

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setenv("PRIMER_PDF", "1")
    assert builds.timed_build(["--strict"], tmp_path)[1:] == (4.2, None)
    assert builds.timed_build(["--strict"], tmp_path, pdf=True)[1:] == (4.2, 17.3)
    assert seen == ["0", None]


# -- Live reload (section 5) -------------------------------------------------------------------

SERVE_OUTPUT = """INFO    -  Building documentation...
INFO    -  Cleaning site directory
INFO    -  Documentation built in 8.28 seconds
INFO    -  [10:00:00] Serving on http://127.0.0.1:8123/
INFO    -  [10:00:05] Detected file changes
INFO    -  Building documentation...
INFO    -  Documentation built in 3.64 seconds
INFO    -  [10:00:09] Reloading browsers
"""


def test_built_in_seconds_reads_every_build_mkdocs_reports():
    assert reload.built_in_seconds(SERVE_OUTPUT) == [8.28, 3.64]
    assert reload.built_in_seconds("INFO    -  Building documentation...\n") == []


def test_logged_rebuild_is_from_building_to_reloading():
    lines = [(1.0, "INFO    -  [10:00:05] Detected file changes"), (1.1, "INFO    -  Building documentation..."),
             (4.7, "INFO    -  [10:00:09] Reloading browsers")]
    assert reload.logged_rebuild_s(lines) == pytest.approx(3.6)
    assert reload.logged_rebuild_s(lines[:2]) is None
    assert reload.logged_rebuild_s([(0.5, "INFO    -  [10:00:04] Reloading browsers"), *lines]) == pytest.approx(3.6)


@pytest.mark.parametrize("source, url", [("sources/guangdong-technological-brief.md",
                                          "sources/guangdong-technological-brief/"),
                                         ("sources/index.md", "sources/"), ("index.md", ""),
                                         ("primer/README.md", "primer/")])
def test_page_url(source, url):
    assert reload.page_url(source) == url


def test_page_url_without_directory_urls():
    assert reload.page_url("sources/brief.md", use_directory_urls=False) == "sources/brief.html"


def test_each_edit_has_a_new_marker_and_no_digit():
    original = "# A chapter\n\nGDP grew by 5.2 per cent in 2024.\n"
    seen: set[str] = set()
    markers = [reload.new_marker(seen) for _ in range(50)]
    assert len(set(markers)) == 50 and seen == set(markers)
    for marker in markers:
        edited = reload.with_edit(original, marker)
        added = edited[len(original.rstrip("\n")):]
        assert edited.startswith(original.rstrip("\n"))  # the chapter itself is unchanged
        assert marker in added and marker.isalpha() and marker.islower()
        assert not any(c.isdigit() for c in added)  # the figure check finds nothing new to check
        assert edited.count(marker) == 1
    assert marker not in reload.with_edit(original, markers[0])  # an edit replaces the previous one


def test_stop_process_group_leaves_no_process():
    """A group whose background child ignores SIGINT (as sh's do): SIGTERM follows, no orphan is left."""
    proc = subprocess.Popen(["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    child = int(proc.stdout.readline())
    reload.stop_process_group(proc, grace_s=0.3)
    proc.stdout.close()
    assert proc.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_report_has_the_live_reload_line():
    results = _results(chapter_kb=390, index_kb=400)
    assert "## Live reload after one edit" in report.report(results, None)
    assert "Not measured: not measured." in report.report(results, None)  # results from before the reload
    results["reload"] = {"available": True, "runs": 3, "source": "docs/sources/x.md", "page": "/sources/x/",
                         "median_s": 4.23, "runs_s": [4.69, 4.16, 4.23], "mkdocs_built_in_median_s": 3.68,
                         "mkdocs_built_in_s": [3.68, 3.70, 3.64], "first_build": {"wall_s": 8.9}, "poll_s": 0.05}
    text = report.report(results, {"reload": {"median_s": 5.0}})
    assert ("Live reload after one edit: median **4.23 s** (3 edits, page /sources/x/) (was 5.00 s, -15%); "
            "MkDocs' rebuild: 3.68 s.") in text
    results["reload"].update(mkdocs_built_in_s=[3.68, None, 3.64], logged_rebuild_median_s=3.9)
    assert ("MkDocs' rebuild: 3.68 s (\"built in\" printed for 2 of 3 edits: MkDocs never repeats a log line); "
            "from \"Building documentation\" to \"Reloading browsers\" in its output: 3.90 s.") \
        in report.report(results, None)
    assert "Budget: under 1.5 s." in text and report.budgets(results)["reload"] == "OVER"
    results["budgets"] = report.budgets(results)  # as main() judges them, once every measurement is in
    assert "| Live reload after one edit < 1.5 s | 4.23 s | OVER |" in report.report(results, None)
    results["reload"].update(median_s=1.49)
    assert report.budgets(results)["reload"] == "PASS"
    results["reload"] = {"available": False, "why": "--no-reload"}
    assert "Not measured: --no-reload." in report.report(results, None)


def test_no_reload_skips_the_serve(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "bench_build", lambda runs, tmp: (_results(390, 400)["build"], tmp_path))
    monkeypatch.setattr(cli, "bench_figures", lambda runs: {"available": False, "why": "test"})
    monkeypatch.setattr(cli, "bench_reload", lambda runs: pytest.fail("serve started despite --no-reload"))
    monkeypatch.setattr(cli, "bench_tenfold", lambda *a: pytest.fail("tenfold built despite --no-tenfold"))
    assert cli.main(["--runs", "1", "--no-browser", "--no-reload", "--no-tenfold", "--out", str(tmp_path / "out")]) == 0
    written = (tmp_path / "out" / "bench.json").read_text()
    assert written.count('"why": "--no-reload"') == 1 and written.count('"why": "--no-tenfold"') == 1


def test_reload_summary_takes_medians():
    """Samples whose median is neither their mean nor their first or last: a mean, or one sample,
    fails. MkDocs' "built in" and the logged rebuild: medians of the values printed (None: not)."""
    walls = [4.9, 3.1, 8.0, 3.6, 3.4]  # median 3.6, mean 4.6
    inner = [6.0, None, 3.7, None, 3.2]  # known 6.0, 3.7, 3.2: median 3.7, mean 4.3
    logged = [4.0, 3.3, None, 7.5, 3.6]  # known four: median (3.6 + 4.0) / 2 = 3.8, mean 4.6
    out = reload.reload_summary(walls, inner, logged)
    assert out["median_s"] == 3.6 and out["min_s"] == 3.1 and out["max_s"] == 8.0
    assert out["runs_s"] == walls and out["mkdocs_built_in_s"] == inner and out["logged_rebuild_s"] == logged
    assert out["mkdocs_built_in_median_s"] == 3.7
    assert out["logged_rebuild_median_s"] == pytest.approx(3.8)
    assert reload.reload_summary([2.0], [None], [None])["mkdocs_built_in_median_s"] is None
    assert reload.reload_summary([2.0], [None], [None])["logged_rebuild_median_s"] is None
    assert reload.reload_summary([1.23456], [None], [2.34567])["runs_s"] == [1.235]  # rounded to the ms


def test_real_serve_on_a_tiny_project(tmp_path):
    """REAL `mkdocs serve` (default theme, two pages; a few seconds): two edits reach the served page,
    MkDocs' "built in" is read for each, the chapter is restored and no server process is left."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Tiny\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "chapter.md").write_text("# Chapter\n\nSome text.\n", encoding="utf-8")
    before = {p.name for p in Path("/proc").iterdir() if p.name.isdigit()}
    result = reload.measure_reload(tmp_path, "chapter.md", runs=2, timeout_s=30)
    assert result["available"], result.get("why")
    assert result["page"] == "/chapter/" and len(result["runs_s"]) == 2
    assert all(0 < t < 30 for t in result["runs_s"])
    assert result["median_s"] == pytest.approx(sum(result["runs_s"]) / 2, abs=1e-3)  # two edits: the median
    # is their mean here; test_reload_summary_takes_medians tells a median from a mean
    # MkDocs does not print a "built in" line it has printed before (0.06 s twice, here: often): None then
    assert len(result["mkdocs_built_in_s"]) == 2 and all(s is None or s > 0 for s in result["mkdocs_built_in_s"])
    assert all(0 < s < 30 for s in result["logged_rebuild_s"]), result
    assert (tmp_path / "docs" / "chapter.md").read_text(encoding="utf-8") == "# Chapter\n\nSome text.\n"
    left = []
    for pid in {p.name for p in Path("/proc").iterdir() if p.name.isdigit()} - before:
        with contextlib.suppress(OSError):
            if b"mkdocs" in (Path("/proc") / pid / "cmdline").read_bytes() and str(tmp_path).encode() in \
                    os.readlink(Path("/proc") / pid / "cwd").encode():
                left.append(pid)
    assert left == []


def test_a_cold_build_builds_a_fresh_copy_and_leaves_the_project_alone(tmp_path, monkeypatch):
    seen = []

    def build(args, site, pdf=False, cwd=None):
        seen.append((cwd, (cwd / "mkdocs.yml").is_file(), (cwd / "docs").is_dir(), (cwd / ".cache").exists(),
                     (cwd / ".git").exists()))
        return 1.0, 0.9, None

    monkeypatch.setattr(builds, "timed_build", build)
    assert builds.cold_build(tmp_path / "site") == (1.0, 0.9, None)
    (cwd, has_config, has_docs, has_cache, has_git), = seen
    assert cwd != builds.ROOT and has_config and has_docs and not has_cache and not has_git
    assert not cwd.exists()  # the copy is thrown away


def test_the_build_ratio_is_reported_with_its_spread(tmp_path, monkeypatch):
    """The ratio of the medians, and each strict build over the Material build run beside it."""
    # warm-ups, (strict, Material on the same pages, Material on docs/ only, cold) × 3, PDF; each median
    # is neither the mean nor the first or last run
    walls = iter([9.0, 9.0, 3.0, 1.5, 1.0, 8.0, 4.0, 2.0, 1.2, 7.0, 6.5, 2.0, 1.6, 12.0, 11.0])
    monkeypatch.setattr(builds, "baseline_config", lambda tmp, docs=None: tmp / "base.yml")
    monkeypatch.setattr(builds, "same_pages_docs", lambda dest: dest)
    monkeypatch.setattr(builds, "timed_build", lambda args, site, pdf=False, cwd=None: (next(walls), None, None))
    monkeypatch.setattr(builds, "cold_build", lambda site: (next(walls), None, None))
    monkeypatch.setattr(builds, "_pages", lambda site: 1)
    out, _ = cli.bench_build(3, tmp_path)
    assert out["strict"]["runs_s"] == [3.0, 4.0, 6.5] and out["material_only"]["runs_s"] == [1.5, 2.0, 2.0]
    assert out["material_docs_only"]["runs_s"] == [1.0, 1.2, 1.6]
    assert out["ratio"] == 4.0 / 2.0 and out["ratio_docs_only"] == 4.0 / 1.2
    assert out["ratio_paired"] == {"median": 2.0, "min": 2.0, "max": 3.25}
    assert out["cold"]["median_s"] == 8.0 and out["ratio_cold"] == 8.0 / 2.0
    assert out["with_pdf"]["extra_s"] == 11.0 - 4.0  # the full build over the median strict build


def test_material_alone_builds_the_same_pages(tmp_path):
    """The Material-only build's docs/ holds every page the strict build makes: the hand-written ones and
    the generated ones (ledgers, claims pages, bibliography, print edition, source text)."""
    docs = builds.same_pages_docs(tmp_path / "docs")
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert {p.relative_to(builds.ROOT / "docs").as_posix() for p in (builds.ROOT / "docs").rglob("*.md")} < pages
    for generated in ("reference/bibliography.md", "reference/print-edition.md", "reference/claims-ledger.md",
                      "sources/li-2025-two-way-internationalization/text.md"):
        assert generated in pages
    assert (docs / "figures.json").is_file()
    assert not (builds.ROOT / "docs" / "reference" / "print-edition.md").exists()  # the project is untouched


def test_reading_section_gives_words_and_reading_time_beside_the_weight():
    from primer.bench.report import reading_section
    rows = [{"page": "", "words": 799, "minutes": 4, "mark_share": 0.008},
            {"page": "primer/x/", "words": 1414, "minutes": 7, "mark_share": 0.02}]
    lines = reading_section(rows, {"pages": [{"page": "primer/x/", "transferred": 51_200}]})
    assert "| (landing page) | 799 | 4 min | 0.8% | not measured |" in lines
    row = next(line for line in lines if line.startswith("| primer/x/"))
    assert row.startswith("| primer/x/ | 1,414 | 7 min | 2.0% | ") and "not measured" not in row
    assert reading_section([], {}) == []


def test_the_tenfold_budgets_and_their_report():
    results = _results(chapter_kb=390, index_kb=400)
    tenfold = {"sources": 40, "chapters": 120, "citation_blocks": 6420, "pages": 150, "cold_s": 260.0,
               "warm_median_s": 130.0, "per_page_ms": 866.7, "per_citation_ms": 20.2, "ratio_to_today": 12.5,
               "reload": {"available": True, "median_s": 2.5}}
    results["tenfold"] = tenfold
    verdicts = report.budgets(results)
    assert verdicts["tenfold_ratio"] == "OVER" and verdicts["tenfold_reload"] == "OVER"
    tenfold["ratio_to_today"], tenfold["reload"]["median_s"] = 11.9, 1.9
    verdicts = report.budgets(results)
    assert verdicts["tenfold_ratio"] == "PASS" and verdicts["tenfold_reload"] == "PASS"
    results["budgets"] = verdicts
    text = report.report(results, None)
    assert "40 sources, 120 chapters, 6,420 citation blocks, 150 pages" in text
    assert "| The tenfold primer's warm build < 12× today's | 11.9× | PASS |" in text
    assert "Material alone on the same pages (no primer plugin" not in text
    tenfold["reload_material"] = {"available": True, "median_s": 9.8}
    assert "Material alone on the same pages (no primer plugin; MkDocs rebuilds every page on any change), live " \
           "reload after the same edit: median 9.80 s." in report.report(results, None)
    results["tenfold"] = {"available": False, "why": "--no-tenfold"}
    assert "Not measured: --no-tenfold." in report.report(results, None)


def test_the_tenfold_primer_has_ten_times_the_sources_and_chapters(tmp_path):
    import yaml

    from primer.bench.tenfold import make_tenfold
    counts = make_tenfold(tmp_path / "p", factor=3)
    manifest = yaml.safe_load((tmp_path / "p" / "sources" / "manifest.yaml").read_text(encoding="utf-8"))
    today = yaml.safe_load((ROOT / "sources" / "manifest.yaml").read_text(encoding="utf-8"))
    assert counts["sources"] == 3 * len(today["sources"]) == len(manifest["sources"])
    keys = [s["key"] for s in manifest["sources"]]
    assert len(set(keys)) == len(keys)
    bib = (tmp_path / "p" / "references.bib").read_text(encoding="utf-8")
    assert all(f"{{{key}," in bib for key in keys)
    copy = next(s for s in manifest["sources"] if s["key"].endswith("x2"))
    assert (tmp_path / "p" / copy["file"]).read_bytes() == (ROOT / copy["file"].replace("-x2", "")).read_bytes()
    chapter = (tmp_path / "p" / "docs" / "primer" / "external-risks-x2.md").read_text(encoding="utf-8")
    assert "@zhao" in chapter and all(f"@{s['key']}" not in chapter.replace(f"@{s['key']}x2", "")
                                      for s in today["sources"])


def test_report_gives_the_share_of_public_evidence_with_a_kept_passage_and_lists_the_rest():
    results = _results(chapter_kb=100, index_kb=100)
    results["figures"] = {"available": True, "median_s": 1.0, "runs_s": [1.0], "figures": 10, "pages": 2, "problems": 0,
                          "per_figure_us": 100.0,
                          "evidence": {"kept": 3, "unkept": 1, "share_kept": 75.0, "unkept_list": ["docs/index.md:37 [@yu2020decoding]"]}}
    text = report.report(results, None)
    assert ("Public evidence: 4 citations, **3** resting on a passage kept in `sources/evidence.yaml` (75.0%), checked "
            "like a source's; **1** on none, cited and not checked: `docs/index.md:37 [@yu2020decoding]`.") in text
