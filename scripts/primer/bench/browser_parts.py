"""What scripts/primer/bench/ and the browser tests (tests/browser/) both need to put the built site in
Chromium, kept in one place so that they measure and test the same thing: Debian's Chromium found
and launched with the same options, the site's pages listed, a folder served on 127.0.0.1, and
where Material's search index is (its worker fetches it after every page)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

SEARCH_INDEX = "search/search_index.json"  # Material's, under the site's root
NO_CHROMIUM = 'Chromium not found: install it with "apt-get install chromium" (Debian)'

# Headless, and no call home: without the background-networking flags Chromium tries to reach
# Google; running as root it needs --no-sandbox.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str | None:
    """The `chromium` on the PATH (Debian's), or None. Playwright's own browser download is not used."""
    return shutil.which("chromium")


def launch_chromium(playwright, executable: str):
    """Headless Chromium at `executable`, with CHROMIUM_ARGS, from a (sync) Playwright instance."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def page_paths(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to its root ("" for the landing page):
    not 404 pages, nor redirect pages (the mkdocs-redirects plugin's), which are no page of
    their own and forward the browser as soon as they load."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel == "404" or rel.startswith("404/"):
            continue
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8"):
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler without its log line for every request."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path, handler: type[http.server.BaseHTTPRequestHandler] = QuietHandler, **attributes):
    """Serve `directory` on 127.0.0.1 at a free port, in a thread, with `handler` (files as they are,
    by default); yields the base URL ("http://127.0.0.1:PORT/"). `attributes` are set on the server,
    where the handler finds them as `self.server.NAME`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
