#!/usr/bin/env python3
"""Benchmark of the figure check (prints timings; asserts nothing).

    python -m primer.bench.figures [--root DIR] [--repeat N]

Times (1) the source index, (2) the check of the real docs/, and (3) synthetic corpora of
1,000 figures on 20 pages and 10,000 figures on 200 pages, generated in a temporary folder
from the figures of the real sources (each quoted as the source writes it, cited with the
locator of the passage it comes from). The ratio of the per-figure cost at 10,000 and at
1,000 figures shows whether the check grows linearly (a ratio near 1).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from primer.checks import figures as cf
from primer.checks.figures.passages import clear_index_cache

FIGURES_PER_PAGE = 50


def best_of(repeat: int, fn):
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    return best, result


def source_sentences(project: cf.Project) -> list[str]:
    """One Markdown sentence per figure of the real sources, cited where it stands."""
    out = []
    for src in project.sources.values():
        if src is None:
            continue
        for o in src.occ:
            if o.fig.word_ordinal:
                continue
            where = "" if o.where == "whole source" else ", " + o.where
            out.append(f"The source gives {o.fig.text} here [@{src.key}{where}].")
    return out


def write_corpus(root: Path, sentences: list[str], figures: int) -> None:
    docs = root / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    pages = figures // FIGURES_PER_PAGE
    k = 0
    for p in range(pages):
        paras = []
        for _ in range(FIGURES_PER_PAGE):
            paras.append(sentences[k % len(sentences)])
            k += 1
        (docs / f"page-{p:03d}.md").write_text(
            f"---\ntitle: Synthetic page {p}\n---\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".", help="repository root (default: the current folder)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is printed")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()

    clear_index_cache()
    t = time.perf_counter()
    project = cf.load_project(root)
    t_index = time.perf_counter() - t
    n_src = sum(len(s.occ) for s in project.sources.values() if s)
    print(f"source index: {len(project.sources)} sources, {n_src} source figures, built in {t_index:.3f} s")

    dt, res = best_of(args.repeat, lambda: cf.check(root=root, project=project))
    n = max(res.figures, 1)
    print(f"real docs: {res.figures} figures checked on {res.pages} pages in {dt:.3f} s "
          f"({dt / n * 1e6:.0f} µs per figure; {len(res.problems)} problems)")

    sentences = source_sentences(project)
    per_figure = {}
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as tmp:
        troot = Path(tmp)
        shutil.copytree(root / "sources", troot / "sources")
        shutil.copy2(root / "references.bib", troot / "references.bib")
        tproject = cf.load_project(troot)
        for figures in (1_000, 10_000):
            write_corpus(troot, sentences, figures)
            dt, res = best_of(args.repeat, lambda: cf.check(root=troot, project=tproject))
            per_figure[figures] = dt / max(res.figures, 1)
            print(f"synthetic: {res.figures} figures checked on {res.pages} pages in {dt:.3f} s "
                  f"({per_figure[figures] * 1e6:.0f} µs per figure; {len(res.problems)} problems)")
    ratio = per_figure[10_000] / per_figure[1_000]
    print(f"per-figure cost at 10,000 / at 1,000 figures: {ratio:.2f} (1.00 = linear growth)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
