#!/usr/bin/env python3
"""Benchmark of the primer: build time, live reload, figure check, page weight and load time, search index.

    python -m primer.bench [--runs N] [--page-runs N] [--no-browser] [--no-reload] [--out DIR]

Prints figures and writes DIR/bench.json and DIR/bench.md (default DIR: reports/), so that two
runs can be compared (the previous bench.json, when there is one, is compared with on the way).
Budgets are printed as PASS or OVER, never asserted: this is a measurement, not a test.

1. Build: the strict build of the real site (`mkdocs build --strict`, as `make build`) with
   PRIMER_PDF=0, that is without the PDF of the print edition (WeasyPrint, ~20 s: not work that
   Material does), and the same Markdown with Material alone: a temporary mkdocs.yml from the
   real one with only the `search` plugin (its configuration unchanged), no hooks, no
   mkdocs-bibtex, strict off (citations then stay as text). Wall-clock time of the whole command,
   median of --runs runs; the ratio is our overhead. The strict build reuses `.cache/` (warm, as
   every rebuild); it is also timed in a fresh copy of the project, without it (cold, as a fresh
   clone's first build). MkDocs' own "built in" time is shown beside it. Then one full build with the PDF, as `make build` does: its extra time over the median
   strict build is the PDF's cost, reported on its own line (one run: noisy).
2. The figure check (scripts/figures.py, if present) on the real chapters: time of
   `check()` with a cold source index, and per figure.
3. Every page of the full build in Chromium (if installed), each load in a fresh context (cold
   cache), the site served on 127.0.0.1 the way GitHub Pages serves it: text files (HTML, CSS,
   JavaScript, JSON, SVG, XML, plain text, CSV) gzip-compressed for a browser that accepts gzip,
   everything else (PDF, images, fonts) as is. Bytes: transferred (gzip, as GitHub Pages serves
   the site: bytes on the wire, response headers included, Playwright's request.sizes()) and
   uncompressed beside it (the decoded response bodies); requests, DOM elements, load time
   (Navigation Timing's loadEventEnd, median of --page-runs loads). The search index, which the
   search worker fetches on every page, is counted apart from the page.
4. The search index: transferred and uncompressed, as measured in Chromium (or, without it, its
   gzip body as this server sends it), and its number of entries.
5. Live reload after one edit: `mkdocs serve` as `make serve` runs it (a full rebuild on a change,
   no --dirty), on 127.0.0.1 at a free port, in a throw-away copy of the project. Once the first
   build is served: one edit of a chapter (a paragraph appended, with a new marker word and no
   digit), then the wall time from the write until a GET of the page returns the marker (polled
   every 50 ms; includes the watcher's 0.5 s polling and MkDocs' 0.1 s wait), median of --runs
   edits; MkDocs' own "built in" for each rebuild beside it. The browser's own reload
   of the page comes on top. No budget: reported, not judged.

Budgets (from the issue), judged on transferred bytes (transferred: gzip, as GitHub Pages serves
the site; uncompressed beside it): every chapter page under 400 KB on a cold load, the search
index apart; the search index under 500 KB. And the build under 2x Material alone.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

from primer import mkdocs_yml  # (scripts/mkdocs_yml.py: mkdocs.yml as MkDocs reads it)

# scripts/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them
from primer.browser_parts import NO_CHROMIUM, SEARCH_INDEX, QuietHandler, find_chromium, launch_chromium, page_paths
from primer.browser_parts import serve as serve_folder
from primer.project_parts import copy_project  # (scripts/project_parts.py)

ROOT = Path(__file__).resolve().parent.parent
PDF_ENV, PDF_NAME = "PRIMER_PDF", "dual-circulation-primer.pdf"  # hooks/print_edition.py, scripts/print_assembly.py
BUDGETS = {"build_ratio": 2.0, "page_kb": 400, "search_index_kb": 500}
CHAPTERS = ("/primer/", "/sources/")  # the issue's budget is for chapter pages; every page is shown


# -- 1. Build ----------------------------------------------------------------------------------

def _load_config(path: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (scripts/mkdocs_yml.py): `!ENV` and `!relative $config_dir`/
    `$docs_dir` as their values, which the Material-only configuration written from it keeps (an
    absolute path stays right in the temporary folder); `!relative` alone as a PageDir, written
    back as the tag. Any other tag stops the bench with one line naming the file, the line and the
    tag: read as None, or dropped, it would silently change the setting in that configuration."""
    return mkdocs_yml.read(path)


class _Dumper(yaml.SafeDumper):
    """yaml.safe_dump's, with `!relative` alone (the page's folder: no value outside a build) as the tag again."""


_Dumper.add_representer(mkdocs_yml.PageDir, lambda dumper, _: dumper.represent_scalar("!relative", ""))


def baseline_config(tmp: Path) -> Path:
    """The real mkdocs.yml with Material alone: only the search plugin, no hooks, no bibtex."""
    config = _load_config(ROOT / "mkdocs.yml")
    search = [p for p in config.get("plugins", []) if p == "search" or (isinstance(p, dict) and "search" in p)]
    config["plugins"] = search or ["search"]
    config.pop("hooks", None)
    config["strict"] = False
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):  # Material's own overrides stay: they are the theme
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def timed_build(args: list[str], site: Path, pdf: bool = False,
                cwd: Path = ROOT) -> tuple[float, float | None, float | None]:
    """One `mkdocs build`: wall-clock seconds, MkDocs' own "built in" seconds, and the seconds the
    print edition's hook reports for its PDF (None when it made none). Without the PDF unless `pdf`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if pdf:
        env.pop(PDF_ENV, None)
    else:
        env[PDF_ENV] = "0"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-d", str(site), *args],
                            cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: `mkdocs build {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    match = re.search(r"Documentation built in ([\d.]+) seconds", result.stdout + result.stderr)
    made = re.search(r"print edition: \S+\.pdf, \d+ pages, in ([\d.]+) s", result.stdout + result.stderr)
    return wall, float(match.group(1)) if match else None, float(made.group(1)) if made else None


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) - (1 if (site / "404.html").is_file() else 0)


def cold_build(site: Path) -> tuple[float, float | None, float | None]:
    """The strict build of a fresh copy of the project: no .cache/, as a fresh clone's first build
    (the copy has no .git either, which spares one `git log`, a few ms). The project's own .cache/
    is never touched."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        return timed_build(["--strict"], site, cwd=copy_project(Path(tmp) / "project"))


def bench_build(runs: int, tmp: Path) -> tuple[dict, Path]:
    """The ratio (strict build without the PDF / Material alone), warm (the cache of an earlier
    build, as every rebuild has) and cold (no cache, as a fresh clone), then one full build with
    the PDF, whose site is returned: it is the one published, and the one the pages are measured on."""
    base_yml = baseline_config(tmp)
    real_site, base_site, full_site = tmp / "site", tmp / "site-material-only", tmp / "site-with-pdf"
    real, base, cold = [], [], []
    timed_build(["--strict"], real_site)  # fills the cache: the timed warm builds find it full
    timed_build(["-f", str(base_yml)], base_site)  # and the same first, untimed, build for Material alone
    for _ in range(runs):  # interleaved, so that a slow spell of the machine hits all three
        real.append(timed_build(["--strict"], real_site))
        base.append(timed_build(["-f", str(base_yml)], base_site))
        cold.append(cold_build(real_site))

    def summary(samples):
        walls = [w for w, _, _ in samples]
        inner = [b for _, b, _ in samples if b is not None]
        return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                "runs_s": [round(w, 3) for w in walls],
                "mkdocs_built_in_median_s": statistics.median(inner) if inner else None}

    out = {"runs": runs, "strict": {**summary(real), "pages": _pages(real_site)},
           "material_only": {**summary(base), "pages": _pages(base_site)}}
    out["ratio"] = out["strict"]["median_s"] / out["material_only"]["median_s"]
    paired = [s[0] / b[0] for s, b in zip(real, base)]  # each strict build over the Material build beside it
    out["ratio_paired"] = {"median": statistics.median(paired), "min": min(paired), "max": max(paired)}
    out["cold"] = {**summary(cold), "pages": _pages(real_site)}
    out["ratio_cold"] = out["cold"]["median_s"] / out["material_only"]["median_s"]
    inner = (out["strict"]["mkdocs_built_in_median_s"], out["material_only"]["mkdocs_built_in_median_s"])
    out["ratio_mkdocs_built_in"] = inner[0] / inner[1] if all(inner) else None
    wall, built_in, hook_s = timed_build(["--strict"], full_site, pdf=True)
    pdf_file = full_site / PDF_NAME
    out["with_pdf"] = {"wall_s": wall, "mkdocs_built_in_s": built_in, "pdf_made": pdf_file.is_file(),
                       "pdf_bytes": pdf_file.stat().st_size if pdf_file.is_file() else None,
                       "extra_s": wall - out["strict"]["median_s"], "hook_reported_s": hook_s}
    return out, full_site


# -- 2. Figure check ---------------------------------------------------------------------------

def bench_figures(runs: int) -> dict:
    from primer.figures import check
    from primer.figures.passages import clear_index_cache
    times, result = [], None
    for _ in range(runs):
        clear_index_cache()  # a cold source index each time
        start = time.perf_counter()
        try:
            result = check(root=ROOT)
        except Exception as error:  # noqa: BLE001
            return {"available": False, "why": f"check() raised {type(error).__name__}: {error}"}
        times.append(time.perf_counter() - start)
    figures = getattr(result, "figures", None)
    median = statistics.median(times)
    return {"available": True, "median_s": median, "runs_s": [round(t, 4) for t in times],
            "figures": figures, "pages": getattr(result, "pages", None),
            "problems": len(getattr(result, "problems", []) or []),
            "per_figure_us": median / figures * 1e6 if figures else None}


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


def verdict(nbytes: float, limit_kb: float) -> str:
    """PASS when strictly under the budget (KB of 1024 bytes), OVER otherwise."""
    return _verdict(nbytes < limit_kb * 1024)


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
                context.on("requestfinished", finished.append)
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


# -- 5. Live reload after one edit -------------------------------------------------------------

RELOAD_PAGE = "sources/guangdong-technological-brief.md"  # the largest chapter; under docs/
RELOAD_POLL_S = 0.05
BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")


def built_in_seconds(output: str) -> list[float]:
    """Every "Documentation built in X seconds" MkDocs printed in `output`, in order. MkDocs' command
    line never prints the same log message twice (a DuplicateFilter on its build logger): a rebuild
    whose time, to the hundredth, was already printed leaves no line."""
    return [float(s) for s in BUILT_IN.findall(output)]


def logged_rebuild_s(lines: list[tuple[float, str]]) -> float | None:
    """Seconds between serve's "Building documentation..." and the next "Reloading browsers" line,
    (arrival time, line) pairs as read from the server's output: the whole rebuild, configuration
    reloaded included. Always printed (no DuplicateFilter on those loggers). None without both."""
    start = next((t for t, line in lines if "Building documentation" in line), None)
    end = next((t for t, line in lines if "Reloading browsers" in line and start is not None and t >= start), None)
    return end - start if start is not None and end is not None else None


def page_url(source: str, use_directory_urls: bool = True) -> str:
    """The URL path (relative to the site's root, no leading slash) of a page from its path under docs/."""
    path = source[:-3] if source.endswith(".md") else source
    parent, _, name = path.rpartition("/")
    if name in ("index", "README"):
        return parent + "/" if parent else ""
    if not use_directory_urls:
        return path + ".html"
    return path + "/"


def new_marker(seen: set[str]) -> str:
    """A word found nowhere in the site, letters only (no digit: the figure check must have nothing
    to check), never one in `seen`, which it joins."""
    import secrets
    while True:
        marker = "benchreload" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
        if marker not in seen:
            seen.add(marker)
            return marker


def with_edit(text: str, marker: str) -> str:
    """The chapter's text with one paragraph appended: the edit. Letters and punctuation only."""
    return text.rstrip("\n") + f"\n\nA paragraph added by the bench to time the live reload: {marker}.\n"


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Stop `proc` and every process of its group (it was started with start_new_session): SIGINT
    first (`mkdocs serve` then shuts down cleanly and removes its site folder), then SIGTERM, then
    SIGKILL, each to the whole group, until no process of the group is left."""
    import signal
    pgid = proc.pid

    def group_alive() -> bool:
        proc.poll()  # reap the leader, if it has exited
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    for sig, wait_s in ((signal.SIGINT, grace_s), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if not group_alive():
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and group_alive():
            time.sleep(0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _get(url: str, timeout: float) -> tuple[int, str]:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # refused, reset, timed out: not served yet
        return 0, ""


def reload_summary(walls: list[float], inner: list[float | None], logged: list[float | None]) -> dict:
    """The statistics of the edits: for each, the wall time until the page had the edit (`walls`),
    MkDocs' "built in" (`inner`) and the logged rebuild (`logged`), None where not printed. Medians
    (of the known values), the spread of the wall times, and every value."""
    known = [s for s in inner if s is not None]
    logged_known = [s for s in logged if s is not None]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "runs_s": [round(w, 3) for w in walls],
            "mkdocs_built_in_median_s": statistics.median(known) if known else None,
            "mkdocs_built_in_s": inner,
            "logged_rebuild_median_s": statistics.median(logged_known) if logged_known else None,
            "logged_rebuild_s": [None if s is None else round(s, 3) for s in logged]}


def measure_reload(project: Path, source: str, runs: int, timeout_s: float = 600.0) -> dict:
    """`mkdocs serve` (as `make serve`: full rebuilds, no --dirty) in `project` on a free port; once the
    first build is served, `runs` times: one edit of docs/`source` (a paragraph with a new marker word),
    then the wall time from the write until a GET of the page's URL returns the marker (polled every
    RELOAD_POLL_S), and MkDocs' own "built in" for that rebuild. The server is stopped, its whole
    process group, whatever happens."""
    config = _load_config(project / "mkdocs.yml") or {}
    url_path = page_url(source, config.get("use_directory_urls", True) is not False)
    chapter = project / config.get("docs_dir", "docs") / source
    original = chapter.read_text(encoding="utf-8")
    port = _free_port()
    tmpdir = project / ".serve-tmp"  # mkdocs serve's own site folder, removed with the project if it is killed
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmpdir)}
    lines: list[tuple[float, str]] = []

    def output() -> str:
        return "\n".join(line for _, line in lines)

    def count(text: str, since: int = 0) -> int:
        return sum(text in line for _, line in lines[since:])

    def failed(why: str) -> dict:
        return {"available": False, "why": why + "; the server's last output:\n" + "\n".join(
            line for _, line in lines[-15:])}

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                            start_new_session=True)
    reader = threading.Thread(target=lambda: [lines.append((time.perf_counter(), line.rstrip("\n")))
                                              for line in proc.stdout], daemon=True)
    reader.start()
    try:
        deadline = start + timeout_s
        base = None
        while base is None:  # "Serving on" is printed once the first build is done
            match = next((m for _, line in lines for m in [re.search(r"Serving on (http://\S+)", line)] if m), None)
            if match:
                base = match.group(1).rstrip("/") + "/"
            elif proc.poll() is not None:
                return failed(f"`mkdocs serve` exited with code {proc.returncode} before serving")
            elif time.perf_counter() > deadline:
                return failed(f"`mkdocs serve` was not serving after {timeout_s:.0f} s")
            else:
                time.sleep(RELOAD_POLL_S)
        url = base + url_path
        while True:
            status, body = _get(url, timeout=max(1.0, deadline - time.perf_counter()))
            if status == 200:
                break
            if proc.poll() is not None or time.perf_counter() > deadline:
                return failed(f"{url} was not served (HTTP {status})")
            time.sleep(RELOAD_POLL_S)
        first = {"wall_s": time.perf_counter() - start, "mkdocs_built_in_s": next(iter(built_in_seconds(output())),
                                                                                 None)}
        seen: set[str] = set()
        walls, inner, logged, rebuilds = [], [], [], []
        for _ in range(runs):
            time.sleep(1.0)  # the watcher (it polls every 0.5 s) has seen the previous state
            marker = new_marker(seen)
            before = len(lines)
            chapter.write_text(with_edit(original, marker), encoding="utf-8")
            t0 = time.perf_counter()
            deadline = t0 + timeout_s
            while True:
                status, body = _get(url, timeout=max(1.0, deadline - time.perf_counter()))
                if status == 200 and marker in body:
                    walls.append(time.perf_counter() - t0)
                    break
                if proc.poll() is not None:
                    return failed(f"`mkdocs serve` exited with code {proc.returncode} after an edit")
                if time.perf_counter() > deadline:
                    return failed(f"the edit did not reach {url} in {timeout_s:.0f} s")
                time.sleep(RELOAD_POLL_S)
            # The rebuild logs "built in" before the page is served, "Reloading browsers" after;
            # wait for that line, and for any rebuild still going, before the next edit.
            settle = time.perf_counter() + 30
            while time.perf_counter() < settle and (
                    count("Reloading browsers", before) == 0
                    or count("Detected file changes", before) > count("Reloading browsers", before)
                    + count("An error happened during the rebuild", before)):
                time.sleep(RELOAD_POLL_S)
            since = "\n".join(line for _, line in lines[before:])
            inner.append(next(iter(built_in_seconds(since)), None))  # None: not printed (a repeat)
            logged.append(logged_rebuild_s(lines[before:]))
            rebuilds.append(count("Detected file changes", before))
        return {"available": True, "runs": runs, "source": f"docs/{source}", "page": "/" + url_path,
                "command": "mkdocs serve (full rebuild on a change, as `make serve`)",
                **reload_summary(walls, inner, logged),
                "rebuilds_per_edit": rebuilds, "first_build": first,
                "poll_s": RELOAD_POLL_S}
    finally:
        stop_process_group(proc)
        reader.join(timeout=5)
        chapter.write_text(original, encoding="utf-8")


def bench_reload(runs: int) -> dict:
    """The live reload after one edit, in a throw-away copy of the project (measure_reload)."""
    source = RELOAD_PAGE
    if not (ROOT / "docs" / source).is_file():  # renamed: the largest chapter instead
        chapters = [p for d in ("primer", "sources") for p in (ROOT / "docs" / d).glob("*.md") if p.name != "index.md"]
        if not chapters:
            return {"available": False, "why": "no chapter to edit"}
        source = max(chapters, key=lambda p: p.stat().st_size).relative_to(ROOT / "docs").as_posix()
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        project = copy_project(Path(tmp) / "project")
        try:
            return measure_reload(project, source, runs)
        except Exception as error:  # noqa: BLE001 - report, don't crash the rest of the bench
            return {"available": False, "why": f"{type(error).__name__}: {error}"}


# -- Report ------------------------------------------------------------------------------------

def git_commit() -> str | None:
    """HEAD's commit, read from .git without running git."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).is_file():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None


def _kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def _delta(now: float | None, before: float | None, unit: str = "", fmt=None) -> str:
    if now is None or before is None or before == 0:
        return ""
    shown = fmt(before) if fmt else f"{before:,.2f}{unit}"
    return f" (was {shown}, {(now - before) / before:+.0%})"


def report(results: dict, previous: dict | None) -> str:
    """The Markdown report; also what is printed."""
    prev = previous or {}
    lines = [f"# Benchmark, {results['date']}", "",
             f"Commit {results['commit'] or 'unknown'} (working tree as it was; uncommitted changes included) · "
             f"Python {results['python']} · {results['machine']}", ""]
    if previous:
        lines += [f"Compared with the previous run of {previous.get('date', '?')} "
                  f"(commit {previous.get('commit') or 'unknown'}).", ""]

    b, pb = results["build"], prev.get("build", {})
    lines += ["## Build", "",
              f"| Build ({b['runs']} runs, median wall time) | Pages | Time | MkDocs' \"built in\" |",
              "|---|---|---|---|",
              f"| Strict build, all plugins and hooks | {b['strict']['pages']} | {b['strict']['median_s']:.2f} s"
              f"{_delta(b['strict']['median_s'], pb.get('strict', {}).get('median_s'), ' s')} | "
              f"{b['strict']['mkdocs_built_in_median_s'] or 0:.2f} s |",
              f"| Same Markdown, Material and search only | {b['material_only']['pages']} | "
              f"{b['material_only']['median_s']:.2f} s"
              f"{_delta(b['material_only']['median_s'], pb.get('material_only', {}).get('median_s'), ' s')} | "
              f"{b['material_only']['mkdocs_built_in_median_s'] or 0:.2f} s |",
              f"| **Overhead ratio** | | **{b['ratio']:.2f}×**{_delta(b['ratio'], pb.get('ratio'), '×')} | "
              f"{b['ratio_mkdocs_built_in'] or 0:.2f}× |"]
    if b.get("ratio_paired"):
        rp = b["ratio_paired"]
        lines.append(f"| Each strict build over the Material build run beside it (how noisy the ratio is) | | "
                     f"median {rp['median']:.2f}× ({rp['min']:.2f}–{rp['max']:.2f}×) | |")
    if b.get("cold"):
        lines += [f"| Strict build with no `.cache/` (a fresh clone's first build) | {b['cold']['pages']} | "
                  f"{b['cold']['median_s']:.2f} s{_delta(b['cold']['median_s'], pb.get('cold', {}).get('median_s'), ' s')}"
                  f" | {b['cold']['mkdocs_built_in_median_s'] or 0:.2f} s |",
                  f"| Overhead ratio, cold | | {b['ratio_cold']:.2f}×{_delta(b['ratio_cold'], pb.get('ratio_cold'), '×')}"
                  " | |"]
    lines += ["",
              "All without the PDF of the print edition (PRIMER_PDF=0). The strict build reuses `.cache/` (pandoc's "
              "citations, the charts, the figure check, the compiled templates; each keyed by all its inputs) as every rebuild and "
              "`mkdocs serve` do; the cold row builds a fresh copy of the project, without it. The Material-only build has no "
              "generated pages (bibliography, ledger, glossary…); those are part of the overhead.", ""]
    w = b.get("with_pdf")
    if w and w["pdf_made"]:
        hook = f"; the hook's own count: {w['hook_reported_s']:.1f} s" if w.get("hook_reported_s") else ""
        lines += [f"PDF of the print edition, on its own: the full build (as `make build`, one run) took "
                  f"{w['wall_s']:.2f} s, **{w['extra_s']:+.2f} s** over the median strict build without it"
                  f"{_delta(w['extra_s'], pb.get('with_pdf', {}).get('extra_s'), ' s')}{hook}; "
                  f"{PDF_NAME} {_kb(w['pdf_bytes'])}.", ""]
    elif w:
        lines += [f"PDF of the print edition: not made by the full build (WeasyPrint unavailable?); it took "
                  f"{w['wall_s']:.2f} s.", ""]

    r = results.get("reload") or {"available": False, "why": "not measured"}
    lines += ["## Live reload after one edit", ""]
    if r.get("available"):
        inner, printed = r.get("mkdocs_built_in_median_s"), r.get("mkdocs_built_in_s") or []
        shown = sum(s is not None for s in printed)
        logged = r.get("logged_rebuild_median_s")
        lines += [f"Live reload after one edit: median **{r['median_s']:.2f} s** ({r['runs']} edits, page "
                  f"{r['page']}){_delta(r['median_s'], (prev.get('reload') or {}).get('median_s'), ' s')}; "
                  f"MkDocs' rebuild: {f'{inner:.2f} s' if inner is not None else 'not printed'}"
                  + (f" (\"built in\" printed for {shown} of {len(printed)} edits: MkDocs never repeats a log "
                     "line)" if printed and shown < len(printed) else "")
                  + (f"; from \"Building documentation\" to \"Reloading browsers\" in its output: {logged:.2f} s"
                     if logged is not None else "") + ".  ",
                  f"`mkdocs serve` (a full rebuild on each change, as `make serve`): from the write of "
                  f"{r['source']} until the served page has the edit, polled every {r['poll_s'] * 1000:.0f} ms; "
                  f"each edit: {', '.join(f'{t:.2f} s' for t in r['runs_s'])}. The browser's own reload comes on "
                  f"top. First build before serving (the copy has no `.cache/`): {r['first_build']['wall_s']:.1f} s. No budget.", ""]
    else:
        lines += [f"Not measured: {r.get('why')}.", ""]

    f = results["figures"]
    lines += ["## Figure check", ""]
    if f.get("available"):
        per = f"{f['per_figure_us']:,.0f} µs per figure" if f.get("per_figure_us") else "per figure: unknown"
        lines += [f"`check()` on the real chapters, cold source index, median of {len(f['runs_s'])}: "
                  f"**{f['median_s'] * 1000:,.0f} ms** for {f['figures']} figures on {f['pages']} pages "
                  f"({per}; {f['problems']} problems reported)"
                  f"{_delta(f['median_s'], prev.get('figures', {}).get('median_s'), ' s')}.", ""]
    else:
        lines += [f"Figure check not available: {f.get('why')}.", ""]

    p, s = results["pages"], results["search_index"]
    lines += ["## Pages (Chromium, cold load, desktop 1280×800)", ""]
    if p.get("available"):
        before = {row["page"]: row for row in prev.get("pages", {}).get("pages", [])}
        lines += [f"Chromium {p['chromium']}. Transferred: gzip, as GitHub Pages serves the site (bytes on the "
                  f"wire, response headers included); uncompressed beside it (decoded bodies). The search index "
                  f"is counted apart. The budget ({BUDGETS['page_kb']} KB) is judged on transferred bytes. Load "
                  f"time is the median of {p['page_runs']} loads.", "",
                  "| Page | Transferred (gzip) | Uncompressed | Requests | DOM elements | Load | Budget |",
                  "|---|---|---|---|---|---|---|"]
        for row in p["pages"]:
            was = before.get(row["page"], {}).get("transferred")
            change = f" ({(row['transferred'] - was) / was:+.0%})" if was else ""
            lines.append(f"| {row['page']} | {_kb(row['transferred'])}{change} | {_kb(row['uncompressed'])} | "
                         f"{row['requests']} | {row['dom_elements']:,} | {row['load_ms']:,.0f} ms | "
                         f"{verdict(row['transferred'], BUDGETS['page_kb'])} |")
        lines.append("")
        for key in ("transferred", "uncompressed"):
            heavy = next(r for r in p["pages"] if r["page"] == p[f"heaviest_{key}"])
            lines.append(f"Heaviest page by {key} bytes: **{heavy['page']}**, {_kb(heavy['transferred'])} "
                         f"transferred, {_kb(heavy['uncompressed'])} uncompressed.  ")
        heavy = next(r for r in p["pages"] if r["page"] == p["heaviest_transferred"])
        lines += ["", "Its largest files, transferred (uncompressed): " + ", ".join(
            f"{r['url']} {_kb(r['transferred'])} ({_kb(r['uncompressed'])})" for r in heavy["largest"]) + "."]
        if p.get("size_mismatches"):
            urls = sorted({m["url"] for m in p["size_mismatches"]})
            lines += ["", f"Body sizes Chromium reported differently from what the server sent, the server's taken "
                      f"({len(p['size_mismatches'])} requests): " + ", ".join(
                          f"{u} ({next(m['browser'] for m in p['size_mismatches'] if m['url'] == u):,} B reported, "
                          f"{next(m['server'] for m in p['size_mismatches'] if m['url'] == u):,} B sent)"
                          for u in urls) + "."]
        if p["external_requests"]:
            lines += ["", "Requests that left 127.0.0.1: " + "; ".join(p["external_requests"])]
        lines.append("")
    else:
        lines += [f"Not measured: {p.get('why')}.", ""]

    lines += ["## Search index", ""]
    if s.get("available"):
        how = ("as the search worker fetched it in Chromium" if s["measured"]
               else "its gzip body as this server sends it, headers not counted (Chromium did not measure it)")
        lines += [f"`{SEARCH_INDEX}`: **{_kb(s['transferred'])} transferred** (gzip, {how}), "
                  f"{_kb(s['uncompressed'])} uncompressed, {s['docs']} entries"
                  f"{_delta(s['transferred'], prev.get('search_index', {}).get('transferred'), fmt=_kb)}.", ""]

    v = results["budgets"]
    lines += ["## Budgets", "", "Page and search-index budgets are judged on transferred bytes (transferred: gzip, "
              "as GitHub Pages serves the site; uncompressed beside it, for information).", "",
              "| Budget | Measured | Verdict |", "|---|---|---|",
              f"| Build overhead ratio < {BUDGETS['build_ratio']:g}× (strict build without the PDF, warm cache) | "
              f"{b['ratio']:.2f}× | {v['build_ratio']} |"]
    if b.get("cold"):
        lines.append(f"| The same, cold (no `.cache/`) | {b['ratio_cold']:.2f}× | "
                     f"{_verdict(b['ratio_cold'] < BUDGETS['build_ratio'])} |")
    if p.get("available"):
        chapters = [r for r in p["pages"] if r["page"].startswith(CHAPTERS)]
        if chapters:
            heavy = max(chapters, key=lambda r: r["transferred"])
            over = sum(verdict(r["transferred"], BUDGETS["page_kb"]) == "OVER" for r in chapters)
            lines.append(f"| Every chapter page (primer/, sources/) < {BUDGETS['page_kb']} KB transferred on a cold "
                         f"load (search index apart) | heaviest {_kb(heavy['transferred'])} ({heavy['page']}; "
                         f"{_kb(heavy['uncompressed'])} uncompressed); {over} of {len(chapters)} over | "
                         f"{v['chapters']} |")
        heavy = next(r for r in p["pages"] if r["page"] == p["heaviest_transferred"])
        lines.append(f"| Every page, the same | heaviest {_kb(heavy['transferred'])} ({heavy['page']}; "
                     f"{_kb(heavy['uncompressed'])} uncompressed) | {v['pages']} |")
    if s.get("available"):
        lines.append(f"| Search index < {BUDGETS['search_index_kb']} KB transferred | {_kb(s['transferred'])} "
                     f"({_kb(s['uncompressed'])} uncompressed) | {v['search_index']} |")
    lines += ["| No serious accessibility violation | asserted by `make test-browser` (axe-core) | — |", ""]
    return "\n".join(lines)


def budgets(results: dict) -> dict:
    """PASS or OVER for each budget; the page and search-index budgets on transferred bytes."""
    pages, index = results["pages"], results["search_index"]

    def every(rows):
        return _verdict(all(verdict(r["transferred"], BUDGETS["page_kb"]) == "PASS" for r in rows))

    return {
        "limits": BUDGETS, "judged_on": "transferred (gzip, as GitHub Pages serves the site)",
        "build_ratio": _verdict(results["build"]["ratio"] < BUDGETS["build_ratio"]),
        "chapters": every([r for r in pages["pages"] if r["page"].startswith(CHAPTERS)])
        if pages.get("available") else None,
        "pages": every(pages["pages"]) if pages.get("available") else None,
        "search_index": verdict(index["transferred"], BUDGETS["search_index_kb"]) if index.get("available") else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 9: on a shared 2-core machine the ratio of two medians of 5 moved by ±10 % from one bench to the next
    parser.add_argument("--runs", type=int, default=9,
                        help="builds of each kind, figure checks, and edits under `mkdocs serve` (median)")
    parser.add_argument("--page-runs", type=int, default=3, help="cold loads of each page (median load time)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page measurements")
    parser.add_argument("--no-reload", action="store_true", help="skip the live-reload measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="folder for bench.json and bench.md")
    args = parser.parse_args(argv)

    results = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": git_commit(),
               "python": platform.python_version(), "machine": f"{platform.system()} {platform.machine()}, "
               f"{os.cpu_count()} CPUs"}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(f"building the site {args.runs}× strict (PRIMER_PDF=0), {args.runs}× with Material alone and "
              f"{args.runs}× strict with no cache, then once with the PDF…", file=sys.stderr)
        results["build"], site = bench_build(args.runs, Path(tmp))
        print("timing the figure check…", file=sys.stderr)
        results["figures"] = bench_figures(args.runs)
        if args.no_browser:
            results["pages"] = {"available": False, "why": "--no-browser"}
        else:
            print("loading every page in Chromium…", file=sys.stderr)
            results["pages"] = bench_pages(site, args.page_runs)
        results["search_index"] = bench_search_index(site, results["pages"])
    if args.no_reload:
        results["reload"] = {"available": False, "why": "--no-reload"}
    else:
        print(f"timing the live reload under `mkdocs serve`, {args.runs} edits…", file=sys.stderr)
        results["reload"] = bench_reload(args.runs)

    results["budgets"] = budgets(results)

    args.out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = args.out / "bench.json", args.out / "bench.md"
    previous = None
    if json_path.is_file():
        with contextlib.suppress(ValueError):
            previous = json.loads(json_path.read_text(encoding="utf-8"))
    text = report(results, previous)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(text, encoding="utf-8")
    print(text)
    print(f"written: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}, "
          f"{md_path.relative_to(ROOT) if md_path.is_relative_to(ROOT) else md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
