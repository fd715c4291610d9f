#!/usr/bin/env python3
"""Benchmark of the primer: build time, figure check, page weight and load time, search index.

    python scripts/bench.py [--runs N] [--page-runs N] [--no-browser] [--out DIR]

Prints figures and writes DIR/bench.json and DIR/bench.md (default DIR: reports/), so that two
runs can be compared (the previous bench.json, when there is one, is compared with on the way).
Budgets are printed as PASS or OVER, never asserted: this is a measurement, not a test.

1. Build: the strict build of the real site (`mkdocs build --strict`, as `make build`), and the
   same Markdown with Material alone: a temporary mkdocs.yml from the real one with only the
   `search` plugin (its configuration unchanged), no hooks, no mkdocs-bibtex, strict off
   (citations then stay as text). Wall-clock time of the whole command, median of --runs runs;
   the ratio is our overhead. MkDocs' own "built in" time is shown beside it.
2. The figure check (scripts/check_figures.py, if present) on the real chapters: time of
   `check()` with a cold source index, and per figure.
3. Every page in Chromium (if installed), each load in a fresh context (cold cache), the site
   served on 127.0.0.1: bytes transferred (response bodies, as sent: the test server does not
   compress; a gzip estimate beside it), requests, DOM elements, load time (Navigation Timing's
   loadEventEnd, median of --page-runs loads). The search index is counted apart.
4. The search index's size.
"""
from __future__ import annotations

import argparse
import os
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import importlib.util
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEARCH_INDEX = "search/search_index.json"
BUDGETS = {"build_ratio": 2.0, "page_kb": 400, "search_index_kb": 500}
CHAPTERS = ("/primer/", "/sources/")  # the budget is for chapter pages; every page is shown
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# -- 1. Build ----------------------------------------------------------------------------------

def _load_config(path: Path) -> dict:
    """mkdocs.yml as data; `!ENV [NAME, default]` becomes its default, `!relative` the project root."""
    class Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        if isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node)
        else:
            value = [loader.construct_scalar(node)]
        return value[-1] if len(value) > 1 else None

    Loader.add_constructor("!ENV", env)
    Loader.add_constructor("!relative", lambda loader, node: str(ROOT))
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


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
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def timed_build(args: list[str], site: Path) -> tuple[float, float | None]:
    """One `mkdocs build`: wall-clock seconds, and MkDocs' own "built in" seconds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-d", str(site), *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: `mkdocs build {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    match = re.search(r"Documentation built in ([\d.]+) seconds", result.stdout + result.stderr)
    return wall, float(match.group(1)) if match else None


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) - (1 if (site / "404.html").is_file() else 0)


def bench_build(runs: int, tmp: Path) -> tuple[dict, Path]:
    base_yml = baseline_config(tmp)
    real_site, base_site = tmp / "site", tmp / "site-material-only"
    real, base = [], []
    for _ in range(runs):  # interleaved, so that a slow spell of the machine hits both
        real.append(timed_build(["--strict"], real_site))
        base.append(timed_build(["-f", str(base_yml)], base_site))

    def summary(samples):
        walls = [w for w, _ in samples]
        inner = [b for _, b in samples if b is not None]
        return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                "runs_s": [round(w, 3) for w in walls],
                "mkdocs_built_in_median_s": statistics.median(inner) if inner else None}

    out = {"runs": runs, "strict": {**summary(real), "pages": _pages(real_site)},
           "material_only": {**summary(base), "pages": _pages(base_site)}}
    out["ratio"] = out["strict"]["median_s"] / out["material_only"]["median_s"]
    inner = (out["strict"]["mkdocs_built_in_median_s"], out["material_only"]["mkdocs_built_in_median_s"])
    out["ratio_mkdocs_built_in"] = inner[0] / inner[1] if all(inner) else None
    return out, real_site


# -- 2. Figure check ---------------------------------------------------------------------------

def bench_figures(runs: int) -> dict:
    path = ROOT / "scripts" / "check_figures.py"
    if not path.is_file():
        return {"available": False, "why": "scripts/check_figures.py does not exist"}
    try:
        spec = importlib.util.spec_from_file_location("check_figures", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["check_figures"] = module
        spec.loader.exec_module(module)
        check = module.check
    except Exception as error:  # noqa: BLE001 - being written concurrently; report, don't crash
        return {"available": False, "why": f"cannot import check(): {type(error).__name__}: {error}"}
    times, result = [], None
    for _ in range(runs):
        getattr(module, "_INDEX_CACHE", {}).clear()  # a cold source index each time
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

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextlib.contextmanager
def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site: Path) -> list[str]:
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel != "404" and not rel.startswith("404/"):
            paths.append("" if rel == "." else rel + "/")
    return paths


def _gzip_size(site: Path, url: str) -> int | None:
    path = unquote(urlparse(url).path).lstrip("/")
    file = site / path / "index.html" if path == "" or path.endswith("/") else site / path
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else None


def bench_pages(site: Path, page_runs: int) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"available": False, "why": 'Chromium not found: install it with "apt-get install chromium" (Debian)'}
    from playwright.sync_api import sync_playwright

    pages, external = [], []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        version = browser.version
        for path in page_paths(site):
            loads, first = [], None
            for run in range(page_runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                finished = []
                context.on("requestfinished", lambda request: finished.append(request))
                page = context.new_page()
                page.goto(base + path, wait_until="load")
                page.wait_for_load_state("networkidle")  # the search worker's index and languages
                timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                       " return {load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd}; }")
                loads.append(timing["load"])
                if run == 0:
                    resources = []
                    for request in finished:
                        body = request.sizes()["responseBodySize"]
                        resources.append((request.url, body))
                        if urlparse(request.url).hostname != "127.0.0.1" and not request.url.startswith("data:"):
                            external.append(f"/{path}: {request.url}")
                    first = {"resources": resources,
                             "dom_elements": page.evaluate("document.getElementsByTagName('*').length"),
                             "dcl_ms": timing["dcl"]}
                context.close()
            index_hits = [(u, b) for u, b in first["resources"] if urlparse(u).path.endswith(SEARCH_INDEX)]
            rest = [(u, b) for u, b in first["resources"] if not urlparse(u).path.endswith(SEARCH_INDEX)]
            gz = [_gzip_size(site, u) for u, _ in rest]
            pages.append({
                "page": "/" + path,
                "bytes": sum(b for _, b in rest),
                "bytes_gzip_estimate": sum(g for g in gz if g is not None),
                "requests": len(first["resources"]),
                "search_index_loaded": bool(index_hits),
                "dom_elements": first["dom_elements"],
                "load_ms": statistics.median(loads),
                "dom_content_loaded_ms": first["dcl_ms"],
                "largest": sorted(({"url": urlparse(u).path, "bytes": b} for u, b in rest),
                                  key=lambda r: -r["bytes"])[:3],
            })
        browser.close()
    heaviest = max(pages, key=lambda p: p["bytes"])
    return {"available": True, "chromium": version, "page_runs": page_runs, "pages": pages,
            "heaviest": heaviest["page"], "external_requests": external}


# -- 4. Search index ---------------------------------------------------------------------------

def bench_search_index(site: Path) -> dict:
    path = site / SEARCH_INDEX
    if not path.is_file():
        return {"available": False}
    data = path.read_bytes()
    return {"available": True, "bytes": len(data), "bytes_gzip_estimate": len(gzip.compress(data, 6)),
            "docs": len(json.loads(data)["docs"])}


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
              f"{b['ratio_mkdocs_built_in'] or 0:.2f}× |", "",
              "The Material-only build has no generated pages (bibliography, ledger, glossary…): those are "
              "part of the overhead.", ""]

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
        lines += [f"Chromium {p['chromium']}; bytes are response bodies as served (uncompressed), search index "
                  f"excluded; load time is the median of {p['page_runs']} loads.", "",
                  "| Page | Transferred | gzip estimate | Requests | DOM elements | Load | Budget |",
                  "|---|---|---|---|---|---|---|"]
        for row in p["pages"]:
            was = before.get(row["page"], {}).get("bytes")
            change = f" ({(row['bytes'] - was) / was:+.0%})" if was else ""
            lines.append(f"| {row['page']} | {_kb(row['bytes'])}{change} | {_kb(row['bytes_gzip_estimate'])} | "
                         f"{row['requests']} | {row['dom_elements']:,} | {row['load_ms']:,.0f} ms | "
                         f"{_verdict(row['bytes'] < BUDGETS['page_kb'] * 1024)} |")
        heavy = next(r for r in p["pages"] if r["page"] == p["heaviest"])
        lines += ["", f"Heaviest page: **{p['heaviest']}**, {_kb(heavy['bytes'])}; its largest files: "
                  + ", ".join(f"{r['url']} ({_kb(r['bytes'])})" for r in heavy["largest"]) + "."]
        if p["external_requests"]:
            lines += ["", "Requests that left 127.0.0.1: " + "; ".join(p["external_requests"])]
        lines.append("")
    else:
        lines += [f"Not measured: {p.get('why')}.", ""]

    lines += ["## Search index", ""]
    if s.get("available"):
        lines += [f"`{SEARCH_INDEX}`: {_kb(s['bytes'])} ({_kb(s['bytes_gzip_estimate'])} gzipped), "
                  f"{s['docs']} entries{_delta(s['bytes'], prev.get('search_index', {}).get('bytes'), fmt=_kb)}.", ""]

    v = results["budgets"]
    lines += ["## Budgets", "", "| Budget | Measured | Verdict |", "|---|---|---|",
              f"| Build overhead ratio < {BUDGETS['build_ratio']:g}× | {b['ratio']:.2f}× | {v['build_ratio']} |"]
    if p.get("available"):
        chapters = [r for r in p["pages"] if r["page"].startswith(CHAPTERS)]
        if chapters:
            heavy = max(chapters, key=lambda r: r["bytes"])
            over = sum(r["bytes"] >= BUDGETS["page_kb"] * 1024 for r in chapters)
            lines.append(f"| Every chapter page (primer/, sources/) < {BUDGETS['page_kb']} KB on a cold load "
                         f"(search index apart), as served here, uncompressed | heaviest {_kb(heavy['bytes'])} "
                         f"({heavy['page']}); {over} of {len(chapters)} over | {v['chapters']} |")
        lines.append(f"| Every page, the same | heaviest {_kb(max(r['bytes'] for r in p['pages']))} "
                     f"({p['heaviest']}) | {v['pages']} |")
        gz = max(p["pages"], key=lambda r: r["bytes_gzip_estimate"])
        lines.append(f"| Every page, gzip-compressed as a typical host serves it (estimate) | heaviest "
                     f"{_kb(gz['bytes_gzip_estimate'])} ({gz['page']}) | {v['pages_gzip']} |")
    if s.get("available"):
        lines.append(f"| Search index < {BUDGETS['search_index_kb']} KB | {_kb(s['bytes'])} | {v['search_index']} |")
    lines += ["| No serious accessibility violation | asserted by `make test-browser` (axe-core) | — |", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds of each kind, and figure checks (median)")
    parser.add_argument("--page-runs", type=int, default=3, help="cold loads of each page (median load time)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page measurements")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="folder for bench.json and bench.md")
    args = parser.parse_args(argv)

    results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
               "python": platform.python_version(), "machine": f"{platform.system()} {platform.machine()}, "
               f"{os.cpu_count()} CPUs"}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(f"building the site {args.runs}× strict and {args.runs}× with Material alone…", file=sys.stderr)
        results["build"], site = bench_build(args.runs, Path(tmp))
        print("timing the figure check…", file=sys.stderr)
        results["figures"] = bench_figures(args.runs)
        if args.no_browser:
            results["pages"] = {"available": False, "why": "--no-browser"}
        else:
            print("loading every page in Chromium…", file=sys.stderr)
            results["pages"] = bench_pages(site, args.page_runs)
        results["search_index"] = bench_search_index(site)

    pages, index = results["pages"], results["search_index"]
    results["budgets"] = {
        "limits": BUDGETS,
        "build_ratio": _verdict(results["build"]["ratio"] < BUDGETS["build_ratio"]),
        "chapters": _verdict(all(r["bytes"] < BUDGETS["page_kb"] * 1024 for r in pages["pages"]
                                 if r["page"].startswith(CHAPTERS))) if pages.get("available") else None,
        "pages": _verdict(all(r["bytes"] < BUDGETS["page_kb"] * 1024 for r in pages["pages"]))
        if pages.get("available") else None,
        "pages_gzip": _verdict(all(r["bytes_gzip_estimate"] < BUDGETS["page_kb"] * 1024 for r in pages["pages"]))
        if pages.get("available") else None,
        "search_index": _verdict(index["bytes"] < BUDGETS["search_index_kb"] * 1024)
        if index.get("available") else None,
    }

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
