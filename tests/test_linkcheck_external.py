"""The external link check (scripts/primer/linkcheck_external.py), without the internet:
a local HTTP server on 127.0.0.1, started and stopped here, answers 200,
301 -> 200, 404, 500, a redirect loop and a hang; a closed port and an
unresolvable `.invalid` host stand for the unreachable. Every request is
bounded by a 1 s timeout and the hang by 3 s."""
from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ROOT

from primer import linkcheck_external as lx

TIMEOUT = 1.0   # seconds per request, for the checker
HANG = 3.0      # the hanging handler answers after this long, or as soon as the server stops


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def _answer(self, send_body: bool):
        server = self.server
        with server.lock:
            server.hits[self.path] += 1
        if self.path == "/hang":
            server.stopping.wait(HANG)
        routes = {"/ok": (200, None), "/moved": (301, "/ok"), "/missing": (404, None), "/error": (500, None),
                  "/loop-a": (302, "/loop-b"), "/loop-b": (302, "/loop-a"), "/hang": (200, None),
                  "/head-refused": (405 if self.command == "HEAD" else 200, None)}
        code, location = routes.get(self.path, (404, None))
        try:
            self.send_response(code)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if send_body:
                self.wfile.write(b"ok")
        except OSError:
            pass  # the client gave up (the hang)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.hits, httpd.lock, httpd.stopping = Counter(), threading.Lock(), threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield httpd
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert sum(httpd.hits.values()) < 100, f"too many requests: {httpd.hits}"


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"


UNRESOLVABLE = "https://no-such-host.invalid/page"


def run(urls, cache_file, **kwargs):
    options = dict(cache_file=cache_file, timeout=TIMEOUT, concurrency=8, max_redirects=10, probe_url=None)
    return lx.check_urls(urls, **{**options, **kwargs})


def test_each_answer_is_classified(server, tmp_path):
    b = server.base
    closed = closed_port_url()
    urls = [f"{b}/ok", f"{b}/moved", f"{b}/missing", f"{b}/error", f"{b}/loop-a", f"{b}/hang",
            f"{b}/head-refused", closed, UNRESOLVABLE]
    result = run(urls, tmp_path / "cache.json")
    r = result.results
    assert result.offline is None
    assert (r[f"{b}/ok"].status, r[f"{b}/ok"].code) == ("ok", 200)
    assert (r[f"{b}/moved"].status, r[f"{b}/moved"].final_url) == ("redirected", f"{b}/ok")
    assert (r[f"{b}/missing"].status, r[f"{b}/missing"].code) == ("broken", 404)
    assert (r[f"{b}/error"].status, r[f"{b}/error"].code) == ("broken", 500)
    assert r[f"{b}/loop-a"].status == "loop" and "redirect loop" in r[f"{b}/loop-a"].detail
    assert (r[f"{b}/hang"].status, r[f"{b}/hang"].kind) == ("unreachable", "timeout")
    assert (r[f"{b}/head-refused"].status, r[f"{b}/head-refused"].code) == ("ok", 200)  # GET after HEAD's 405
    assert (r[closed].status, r[closed].kind) == ("unreachable", "connection")
    assert (r[UNRESOLVABLE].status, r[UNRESOLVABLE].kind) == ("unreachable", "dns")
    # HEAD, then GET only where HEAD failed with a status; a hang is not asked twice
    assert server.hits["/hang"] == 1
    assert server.hits["/missing"] == 2 and server.hits["/head-refused"] == 2
    assert lx.exit_code(result) == lx.EXIT_BROKEN


def test_too_many_redirects_is_a_loop(server, tmp_path):
    result = run([f"{server.base}/moved"], tmp_path / "cache.json", max_redirects=0).results[f"{server.base}/moved"]
    assert result.status == "loop" and "more than 0 redirects" in result.detail


def test_cache_prevents_a_second_fetch_within_a_week(server, tmp_path):
    b, cache = server.base, tmp_path / "cache.json"
    urls = [f"{b}/ok", f"{b}/moved", f"{b}/missing"]
    first = run(urls, cache)
    hits = sum(server.hits.values())
    assert first.fetched == 3 and hits >= 3
    second = run(urls, cache)
    assert sum(server.hits.values()) == hits, "a cached URL was fetched again"
    assert second.fetched == 0 and all(res.cached for res in second.results.values())
    assert [res.status for res in second.results.values()] == ["ok", "redirected", "broken"]
    assert second.results[f"{b}/moved"].final_url == f"{b}/ok"
    run(urls, cache, use_cache=False)                  # --no-cache
    assert sum(server.hits.values()) > hits
    hits = sum(server.hits.values())
    run(urls, cache, max_age=timedelta(seconds=0))     # --max-age 0: everything is stale
    assert sum(server.hits.values()) > hits
    # an entry older than a week is fetched again
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["entries"][f"{b}/ok"]["checked_at"] = "2000-01-01T00:00:00+00:00"
    cache.write_text(json.dumps(data), encoding="utf-8")
    before = server.hits["/ok"]
    again = run(urls, cache)
    assert server.hits["/ok"] > before and again.fetched == 1


def test_all_unreachable_means_offline(tmp_path):
    """No request gets through and neither does the probe: offline, nothing checked or cached."""
    cache = tmp_path / "cache.json"
    closed = closed_port_url()
    result = run([closed, UNRESOLVABLE], cache, probe_url=closed_port_url())
    assert result.offline and "failed at DNS/connection level" in result.offline
    assert {res.status for res in result.results.values()} == {"not checked"}
    assert lx.exit_code(result) == lx.EXIT_OFFLINE
    assert not cache.exists(), "an offline run must not cache anything"


def test_all_unreachable_but_the_probe_answers_is_not_offline(server, tmp_path):
    """The network works (the probe answers): the URLs are really unreachable."""
    closed = closed_port_url()
    result = run([closed, UNRESOLVABLE], tmp_path / "cache.json", probe_url=f"{server.base}/ok")
    assert result.offline is None
    assert [res.kind for res in result.results.values()] == ["connection", "dns"]
    assert lx.exit_code(result) == lx.EXIT_BROKEN


def make_project(tmp_path, urls):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# T\n\n" + "\n".join(f"[x]({url})" for url in urls) + "\n",
                                            encoding="utf-8")
    return root


def cli(root, *extra):
    return lx.main(["--root", str(root), "--timeout", str(TIMEOUT), "--probe-url", "", *extra])


def test_command_line_exit_codes_and_report(server, tmp_path, capsys):
    b = server.base
    ok_root = make_project(tmp_path / "a", [f"{b}/ok", f"{b}/moved"])
    assert cli(ok_root) == lx.EXIT_OK
    report = json.loads((ok_root / "reports" / "linkcheck-external.json").read_text(encoding="utf-8"))
    assert report["summary"]["ok"] == 1 and report["summary"]["redirected"] == 1
    assert (ok_root / "reports" / ".linkcheck-cache.json").is_file()

    bad_root = make_project(tmp_path / "b", [f"{b}/ok", f"{b}/missing", f"{b}/loop-a"])
    assert cli(bad_root) == lx.EXIT_BROKEN
    markdown = (bad_root / "reports" / "linkcheck-external.md").read_text(encoding="utf-8")
    assert "## Broken (1)" in markdown and "HTTP 404" in markdown and "docs/index.md:4" in markdown
    assert "## Loop (1)" in markdown

    offline_root = make_project(tmp_path / "c", [closed_port_url(), UNRESOLVABLE])
    capsys.readouterr()
    assert cli(offline_root) == lx.EXIT_OFFLINE
    err = capsys.readouterr().err
    assert "cannot reach the network" in err and "nothing was checked" in err
    markdown = (offline_root / "reports" / "linkcheck-external.md").read_text(encoding="utf-8")
    assert "Nothing was checked" in markdown and "## Not checked (2)" in markdown
    assert not (offline_root / "reports" / ".linkcheck-cache.json").exists()


def test_inventory_of_the_project():
    uses = lx.inventory(ROOT)
    assert uses, "no external URL found"
    dois = [url for url in uses if url.startswith("https://doi.org/10.")]
    assert len(dois) >= 8, dois
    assert all(where.startswith("references.bib:") for url in dois for where in uses[url])
    assert any(where.startswith("sources/manifest.yaml:") for places in uses.values() for where in places)
    assert any(where.startswith("docs/") for places in uses.values() for where in places)
    assert not any("unknown" in url for url in uses)


def test_inventory_finds_every_kind_of_place(tmp_path):
    root = tmp_path / "project"
    (root / "docs" / "sub").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "docs" / "sub" / "page.md").write_text(
        "[a](https://a.example/x) and <https://b.example/>.\n"
        '<a href="https://c.example/?q=1&amp;r=2">c</a>\n'
        "```text\nhttps://d.example/in-code.\n```\n", encoding="utf-8")
    (root / "references.bib").write_text(
        "@article{k,\n  title = {T},\n  doi = {10.1000/XYZ-1},\n  url = {https://e.example/paper},\n}\n",
        encoding="utf-8")
    (root / "sources" / "manifest.yaml").write_text(
        "sources:\n  - key: k\n    url: unknown\n  - key: j\n    url: https://f.example/src\n", encoding="utf-8")
    assert lx.inventory(root) == {
        "https://a.example/x": ["docs/sub/page.md:1"],
        "https://b.example/": ["docs/sub/page.md:1"],
        "https://c.example/?q=1&r=2": ["docs/sub/page.md:2"],
        "https://d.example/in-code": ["docs/sub/page.md:4"],
        "https://doi.org/10.1000/XYZ-1": ["references.bib:3"],
        "https://e.example/paper": ["references.bib:4"],
        "https://f.example/src": ["sources/manifest.yaml:5"],
    }
