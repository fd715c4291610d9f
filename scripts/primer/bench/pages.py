"""Pages in Chromium: a local server that compresses as GitHub Pages does, each page's weight and load, the search index."""
from __future__ import annotations

import gzip
import io
import json
import os
import statistics
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

# scripts/primer/bench/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them
from primer.bench.browser_parts import NO_CHROMIUM, SEARCH_INDEX, QuietHandler, find_chromium, launch_chromium, page_paths
from primer.bench.browser_parts import serve as serve_folder

# -- 3. Pages in Chromium ----------------------------------------------------------------------

# What GitHub Pages compresses (among others); PDF, PNG, woff2… are already compressed and sent as is.
GZIP_TYPES = frozenset({"text/html", "text/css", "application/javascript", "text/javascript", "application/json",
                        "image/svg+xml", "application/xml", "text/xml", "text/plain", "text/csv"})
GZIP_LEVEL = 6  # the host's level is not documented; 6 is zlib's default (9 saves ~1-2 % more)


def gzip_body(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (`gzip`, `x-gzip` or `*`, with q > 0)."""
    allowed = {}
    for item in (accept_encoding or "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if coding:
            allowed[coding.lower()] = q > 0
    for coding in ("gzip", "x-gzip"):
        if coding in allowed:
            return allowed[coding]
    return allowed.get("*", False)


class SiteHandler(QuietHandler):
    """A static server like GitHub Pages: text files gzip-compressed when the client accepts gzip
    (each file compressed once, kept in memory), everything else as SimpleHTTPRequestHandler sends
    it. Quiet. Each request's body size, as sent, is recorded in `self.server.sent` when it has one.
    The browser tests serve the site with QuietHandler itself, files as they are: they check what the
    site does, the bench what it weighs on the wire, hence the gzip here alone."""

    _cache: dict[tuple[str, int, int], bytes] = {}
    _lock = threading.Lock()

    def _record(self, nbytes: int, encoding: str | None) -> None:
        sent = getattr(self.server, "sent", None)
        if sent is not None:
            sent[unquote(urlparse(self.path).path)] = (nbytes, encoding)

    def _file(self) -> str | None:
        """The file a GET of this URL sends as is, or None (a redirect, a listing, a 404: the parent's job)."""
        path, url_path = self.translate_path(self.path), urlparse(self.path).path
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return None
            path = os.path.join(path, "index.html")
        elif url_path.endswith("/"):
            return None
        return path if os.path.isfile(path) else None

    def send_head(self):
        path = self._file()
        if (path is None or self.guess_type(path).split(";")[0].strip().lower() not in GZIP_TYPES
                or not accepts_gzip(self.headers.get("Accept-Encoding"))):
            f = super().send_head()  # as is: binary files, a client without gzip, redirects, 404s
            if f is not None and hasattr(f, "fileno"):
                self._record(os.fstat(f.fileno()).st_size, None)
            return f
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            body = self._cache.get(key)
        if body is None:
            with open(path, "rb") as file:
                body = gzip_body(file.read())
            with self._lock:
                self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        self._record(len(body), "gzip")
        return io.BytesIO(body)


def serve(site: Path, sent: dict | None = None):
    """The site on 127.0.0.1 as GitHub Pages serves it (SiteHandler), a context manager yielding its
    base URL; `sent`, if given, receives each path's body size as sent."""
    return serve_folder(site, SiteHandler, sent=sent)




def split_load(resources: list[dict]) -> dict:
    """One page load's requests, each {"url", "transferred", "uncompressed"}: the page's totals, and
    the search index's apart (None when the load did not fetch it)."""
    def is_index(r):
        return urlparse(r["url"]).path.endswith(SEARCH_INDEX)

    page = [r for r in resources if not is_index(r)]
    index = [r for r in resources if is_index(r)]
    out = {"transferred": sum(r["transferred"] for r in page), "uncompressed": sum(r["uncompressed"] for r in page),
           "requests": len(page), "search_index": None}
    if index:
        out["search_index"] = {"transferred": sum(r["transferred"] for r in index),
                               "uncompressed": sum(r["uncompressed"] for r in index)}
    return out


def _resource(request, site: Path) -> dict:
    """One finished request: bytes on the wire (encoded body + response headers: Playwright's
    request.sizes(), which is CDP's encodedDataLength) and the decoded body's size. A request that
    got no response (failed: Playwright's sizes() would raise) counts nothing and is marked `failed`."""
    response = request.response()
    if response is None:
        return {"url": request.url, "transferred": 0, "body": 0, "headers": 0, "uncompressed": 0,
                "encoding": None, "failed": True}
    sizes = request.sizes()
    try:
        uncompressed = len(response.body())
    except Exception:  # noqa: BLE001 - no body to read back (e.g. a worker's): the file served, then
        path = unquote(urlparse(request.url).path).lstrip("/")
        file = site / path / "index.html" if path == "" or path.endswith("/") else site / path
        uncompressed = file.stat().st_size if file.is_file() else sizes["responseBodySize"]
    return {"url": request.url, "transferred": sizes["responseBodySize"] + sizes["responseHeadersSize"],
            "body": sizes["responseBodySize"], "headers": sizes["responseHeadersSize"], "uncompressed": uncompressed,
            "encoding": response.headers.get("content-encoding"), "failed": False}


def bench_pages(site: Path, page_runs: int) -> dict:
    chromium = find_chromium()
    if chromium is None:
        return {"available": False, "why": NO_CHROMIUM}
    from playwright.sync_api import sync_playwright

    pages, external, mismatches, sent = [], [], [], {}
    with serve(site, sent) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        version = browser.version
        for path in page_paths(site):
            loads, first = [], None
            for run in range(page_runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                finished = []
                context.on("requestfinished", lambda request, finished=finished: finished.append(request))  # a function: Playwright marks it
                page = context.new_page()
                page.goto(base + path, wait_until="load")
                page.wait_for_load_state("networkidle")  # the search worker's index and languages
                timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                       " return {load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd}; }")
                loads.append(timing["load"])
                if run == 0:
                    resources = [_resource(request, site) for request in finished
                                 if not request.url.startswith("data:")]
                    for r in resources:
                        if urlparse(r["url"]).hostname != "127.0.0.1":
                            external.append(f"/{path}: {r['url']}")
                            continue
                        # The browser's count against the server's. They agree but for the search
                        # worker's own script, which Chromium reports with an empty body: the server's
                        # count (what it wrote, = Content-Length) is then taken, and the case listed.
                        served = sent.get(unquote(urlparse(r["url"]).path))
                        if served is not None and served[0] != r["body"]:
                            mismatches.append({"page": "/" + path, "url": urlparse(r["url"]).path,
                                               "browser": r["body"], "server": served[0]})
                            r["body"], r["transferred"] = served[0], served[0] + r["headers"]
                    first = {"resources": resources,
                             "dom_elements": page.evaluate("document.getElementsByTagName('*').length"),
                             "dcl_ms": timing["dcl"]}
                context.close()
            load = split_load(first["resources"])
            pages.append({
                "page": "/" + path,
                "transferred": load["transferred"],
                "uncompressed": load["uncompressed"],
                "requests": load["requests"],
                "search_index": load["search_index"],
                "dom_elements": first["dom_elements"],
                "load_ms": statistics.median(loads),
                "dom_content_loaded_ms": first["dcl_ms"],
                "largest": sorted(({"url": urlparse(r["url"]).path, "transferred": r["transferred"],
                                   "uncompressed": r["uncompressed"], "encoding": r["encoding"]}
                                   for r in first["resources"] if not urlparse(r["url"]).path.endswith(SEARCH_INDEX)),
                                  key=lambda r: -r["transferred"])[:3],
            })
        browser.close()
    return {"available": True, "chromium": version, "page_runs": page_runs, "pages": pages,
            "heaviest_transferred": max(pages, key=lambda p: p["transferred"])["page"],
            "heaviest_uncompressed": max(pages, key=lambda p: p["uncompressed"])["page"],
            "external_requests": external, "size_mismatches": mismatches}


def bench_apparatus(site: Path) -> dict:
    """Each chapter's article words, the words around it (notes, works cited, cite block) and its height, at
    1280 px and 390 px, with JavaScript on and every disclosure closed (primer.bench.apparatus)."""
    from primer.bench.apparatus import MEASURE_JS
    chromium = find_chromium()
    if chromium is None:
        return {"available": False, "why": NO_CHROMIUM}
    from playwright.sync_api import sync_playwright

    chapters = [p for p in page_paths(site) if len(p.strip("/").split("/")) == 2
                and p.split("/")[0] in ("primer", "sources")]
    rows = {p: {"page": "/" + p} for p in chapters}
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        for width, height in ((1280, 800), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600,
                                          has_touch=width < 600)
            page = context.new_page()
            for path in chapters:
                page.goto(base + path, wait_until="load")
                measure = page.evaluate(MEASURE_JS) or {}
                rows[path].update({"article_words": measure.get("article"), f"outside_words_{width}": measure.get("outside"),
                                   f"height_{width}": measure.get("height")})
            context.close()
        browser.close()
    return {"available": True, "chapters": list(rows.values())}


# -- 4. Search index ---------------------------------------------------------------------------

def bench_search_index(site: Path, pages: dict | None = None) -> dict:
    """Its size transferred and uncompressed: as measured in Chromium when a page load fetched it
    (`measured`), else its file and the gzip body this server sends (headers not counted)."""
    path = site / SEARCH_INDEX
    if not path.is_file():
        return {"available": False}
    data = path.read_bytes()
    out = {"available": True, "measured": False, "transferred": len(gzip_body(data)), "uncompressed": len(data),
           "docs": len(json.loads(data)["docs"])}
    loaded = [r["search_index"] for r in (pages or {}).get("pages", []) if r.get("search_index")]
    if loaded:
        out.update(measured=True, transferred=loaded[0]["transferred"], uncompressed=loaded[0]["uncompressed"])
    return out
