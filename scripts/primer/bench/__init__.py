"""Benchmark of the primer: build time, live reload, figure check, page weight and load time, search index.

    python -m primer.bench [--runs N] [--page-runs N] [--no-browser] [--no-reload] [--out DIR]

Prints figures and writes DIR/bench.json and DIR/bench.md (default DIR: reports/), so that two
runs can be compared (the previous bench.json, when there is one, is compared with on the way).
Budgets are printed as PASS or OVER, never asserted: this is a measurement, not a test.

1. Build: the strict build of the real site (`mkdocs build --strict`, as `make build`) with
   PRIMER_PDF=0, that is without the PDF of the print edition (WeasyPrint, ~20 s: not work that
   Material does), and the same Markdown with Material alone: a temporary mkdocs.yml from the
   real one with only the `search` plugin (its configuration unchanged), no primer plugin, no
   mkdocs-bibtex, strict off (citations then stay as text). Wall-clock time of the whole command,
   median of --runs runs; the ratio is our overhead. The strict build reuses `.cache/` (warm, as
   every rebuild); it is also timed in a fresh copy of the project, without it (cold, as a fresh
   clone's first build). MkDocs' own "built in" time is shown beside it. Then one full build with the PDF, as `make build` does: its extra time over the median
   strict build is the PDF's cost, reported on its own line (one run: noisy).
2. The figure check (primer.checks.figures) on the real chapters: time of
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

Modules: ``builds`` (build timing, the figure check), ``pages`` (the gzip server, page weight and
load in Chromium, the search index), ``reload`` (live reload under ``mkdocs serve``), ``report``
(bench.md, the verdicts), ``budgets`` (the budgets and what they are measured against), ``cli``.
"""
