"""The command line: python -m primer.bench [--runs N] [--page-runs N] [--no-browser] [--no-reload] [--no-tenfold] [--out DIR]."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from primer import ROOT
from primer.bench.builds import bench_build, bench_figures
from primer.bench.pages import bench_apparatus, bench_pages, bench_search_index
from primer.bench.reload import bench_reload
from primer.bench.report import budgets, git_commit, report
from primer.bench.tenfold import bench_tenfold
from primer.site.reading import site_readings

# scripts/primer/bench/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 9: on a shared 2-core machine the ratio of two medians of 5 moved by ±10 % from one bench to the next
    parser.add_argument("--runs", type=int, default=9,
                        help="builds of each kind, figure checks, and edits under `mkdocs serve` (median)")
    parser.add_argument("--page-runs", type=int, default=3, help="cold loads of each page (median load time)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page measurements")
    parser.add_argument("--no-reload", action="store_true", help="skip the live-reload measurement")
    parser.add_argument("--no-tenfold", action="store_true", help="skip the primer ten times today's size")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="folder for bench.json and bench.md")
    args = parser.parse_args(argv)

    results = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": git_commit(),
               "python": platform.python_version(), "machine": f"{platform.system()} {platform.machine()}, "
               f"{os.cpu_count()} CPUs"}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(f"building the site {args.runs}× strict (PRIMER_PDF=0), {args.runs}× with Material alone on the same "
              f"pages and {args.runs}× on docs/ alone, {args.runs}× strict with no cache, then once with the PDF…",
              file=sys.stderr)
        results["build"], site = bench_build(args.runs, Path(tmp))
        results["reading"] = site_readings(site)
        print("timing the figure check…", file=sys.stderr)
        results["figures"] = bench_figures(args.runs)
        if args.no_browser:
            results["pages"] = {"available": False, "why": "--no-browser"}
        else:
            print("loading every page in Chromium…", file=sys.stderr)
            results["pages"] = bench_pages(site, args.page_runs)
            results["apparatus"] = bench_apparatus(site)
        results["search_index"] = bench_search_index(site, results["pages"])
    if args.no_reload:
        results["reload"] = {"available": False, "why": "--no-reload"}
    else:
        print(f"timing the live reload under `mkdocs serve`, {args.runs} edits…", file=sys.stderr)
        results["reload"] = bench_reload(args.runs)

    if args.no_tenfold:
        results["tenfold"] = {"available": False, "why": "--no-tenfold"}
    else:
        print("building a primer ten times today's size (40 sources), cold then warm, and a live reload…",
              file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="bench-tenfold-") as tmp:
            results["tenfold"] = bench_tenfold(Path(tmp), max(1, args.runs // 3), results["build"]["strict"])

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

