"""The report: bench.md and the budgets' verdicts from the results (and the previous run's, for the change)."""
from __future__ import annotations

from primer import ROOT

# scripts/primer/bench/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them
from primer.bench.browser_parts import SEARCH_INDEX
from primer.bench.budgets import BUDGETS, CHAPTERS, PDF_NAME, pass_or_over, size_verdict
from primer.site.reading import WORDS_PER_MINUTE

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




def _delta(now: float | None, before: float | None, unit: str = "", fmt=None) -> str:
    if now is None or before is None or before == 0:
        return ""
    shown = fmt(before) if fmt else f"{before:,.2f}{unit}"
    return f" (was {shown}, {(now - before) / before:+.0%})"


def reading_section(rows: list[dict], pages: dict) -> list[str]:
    """Each page's words and reading time beside its weight (scripts/primer/site/reading.py counts them)."""
    if not rows:
        return []
    weight = {row["page"]: row["transferred"] for row in pages.get("pages", [])}
    lines = ["## Reading", "", f"Words of article text (the notes, the cite block and the corrections note left out) "
             f"and reading time at {WORDS_PER_MINUTE} words a minute, as each page shows them; citation marks' share "
             "of the visible text; the page's weight transferred.", "",
             "| Page | Words | Reading time | Citation marks | Transferred (gzip) |", "|---|---|---|---|---|"]
    for row in rows:
        moved = _kb(weight[row["page"]]) if row["page"] in weight else "not measured"
        lines.append(f"| {row['page'] or '(landing page)'} | {row['words']:,} | {row['minutes']} min | "
                     f"{row['mark_share']:.1%} | {moved} |")
    return lines + [""]


def apparatus_section(apparatus: dict | None, build: dict) -> list[str]:
    """Each chapter's article against what surrounds it, and the PDF's pages (issue #21's budgets)."""
    lines = ["## The apparatus around each chapter", ""]
    pdf = (build or {}).get("with_pdf", {}).get("pdf_pages")
    lines += [f"The PDF of the print edition: {pdf if pdf is not None else 'not made'} pages (budget 80).", ""]
    if not apparatus or not apparatus.get("available"):
        return lines + [f"Not measured: {(apparatus or {}).get('why', 'no browser')}.", ""]
    lines += ["Visible words with JavaScript on and every disclosure closed: the article's own, and those around it "
              "(notes, works cited, cite block, corrections; budget: no more than the article's); the page's height.",
              "", "| Chapter | Article words | Around it, 1280 px | Around it, 390 px | Height 1280 px | Height 390 px |",
              "|---|---|---|---|---|---|"]
    for row in apparatus["chapters"]:
        lines.append(f"| {row['page']} | {row.get('article_words')} | {row.get('outside_words_1280')} | "
                     f"{row.get('outside_words_390')} | {row.get('height_1280')} px | {row.get('height_390')} px |")
    return lines + [""]


def tenfold_section(t: dict | None) -> list[str]:
    """The primer ten times today's size: build time per page and per citation, and the live reload."""
    lines = ["## A primer ten times today's size", ""]
    if not t or not t.get("available", True):
        return lines + [f"Not measured: {(t or {}).get('why', 'not run')}.", ""]
    ratio = f"{t['ratio_to_today']:.1f}× today's warm build" if t.get("ratio_to_today") else "no ratio"
    lines += [f"{t['sources']} sources, {t['chapters']} chapters, {t['citation_blocks']:,} citation blocks, "
              f"{t['pages']} pages. Strict build: cold {t['cold_s']:.1f} s, warm median {t['warm_median_s']:.1f} s "
              f"({ratio}, budget {BUDGETS['tenfold_ratio']:g}×): {t['per_page_ms']:.0f} ms a page, "
              f"{t['per_citation_ms']:.1f} ms a citation block."]
    r = t.get("reload") or {}
    if r.get("available"):
        lines.append(f"Live reload after one edit: median {r['median_s']:.2f} s (budget {BUDGETS['tenfold_reload_s']:g} s).")
    else:
        lines.append(f"Live reload not measured: {r.get('why', 'unknown')}.")
    m = t.get("reload_material") or {}
    if m.get("available"):
        lines.append(f"Material alone on the same pages (no primer plugin; MkDocs rebuilds every page on any change), "
                     f"live reload after the same edit: median {m['median_s']:.2f} s.")
    elif m:
        lines.append(f"Material alone's live reload not measured: {m.get('why', 'unknown')}.")
    return lines + [""]


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
              f"| Strict build, all plugins | {b['strict']['pages']} | {b['strict']['median_s']:.2f} s"
              f"{_delta(b['strict']['median_s'], pb.get('strict', {}).get('median_s'), ' s')} | "
              f"{b['strict']['mkdocs_built_in_median_s'] or 0:.2f} s |",
              f"| Material and search only, on the same pages | {b['material_only']['pages']} | "
              f"{b['material_only']['median_s']:.2f} s"
              f"{_delta(b['material_only']['median_s'], pb.get('material_only', {}).get('median_s'), ' s')} | "
              f"{b['material_only']['mkdocs_built_in_median_s'] or 0:.2f} s |",
              f"| **Overhead ratio** | | **{b['ratio']:.2f}×**{_delta(b['ratio'], pb.get('ratio'), '×')} | "
              f"{b['ratio_mkdocs_built_in'] or 0:.2f}× |"]
    if b.get("material_docs_only"):
        d = b["material_docs_only"]
        lines.append(f"| Material and search only, on docs/ alone (no generated page) | {d['pages']} | "
                     f"{d['median_s']:.2f} s | {d['mkdocs_built_in_median_s'] or 0:.2f} s |")
        lines.append(f"| Overhead ratio over docs/ alone | | {b['ratio_docs_only']:.2f}×"
                     f"{_delta(b['ratio_docs_only'], pb.get('ratio_docs_only'), '×')} | |")
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
              "citations, the charts, the figure check, the compiled templates, each page's converted Markdown; each keyed by all "
              "its inputs) as every rebuild and "
              "`mkdocs serve` do; the cold row builds a fresh copy of the project, without it. Material alone builds the same "
              "pages: docs/ with every page the primer plugin generates (bibliography, glossary, ledgers, claims pages, source text, "
              "print edition) written out as the plugin makes them in `on_files`; what the plugin adds to them later (notes, "
              "passages, tables, the assembled print edition) is the overhead. Its build on docs/ alone is shown beside "
              "it.", ""]
    w = b.get("with_pdf")
    if w and w["pdf_made"]:
        hook = f"; the print stage's own count: {w['hook_reported_s']:.1f} s" if w.get("hook_reported_s") else ""
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
                  f"top. First build before serving (the copy has no `.cache/`): {r['first_build']['wall_s']:.1f} s. "
                  f"Budget: under {BUDGETS['reload_s']:g} s.", ""]
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
        c = f.get("claims")
        if c:
            q = c.get("quotations", {})
            lines += [f"Claims (each cited unit's passage, in the same `check()`): **{c['claims']}** claims, "
                      f"{c['quotation']} found by quotation ({c['share']['quotation']}%), {c['figure']} by figure "
                      f"({c['share']['figure']}%), {c['wording']} by wording ({c['share']['wording']}%); "
                      f"**{c['weak']} weak**, listed for review (`make figures` writes `reports/claims-review.md`). "
                      f"Quotations verified: {q.get('checked', 0)} ({q.get('short', 0)} of one or two words); "
                      f"exempt: {q.get('translations', 0)} translations, {q.get('mentions', 0)} mentions. The claims "
                      f"check's cost: {(f['median_s'] - c['without_claims_s']) * 1000:,.0f} ms of the "
                      f"{f['median_s'] * 1000:,.0f} ms (the check without it: {c['without_claims_s'] * 1000:,.0f} ms).", ""]
        e = f.get("evidence")
        if e:
            lines += [f"Public evidence: {e['kept'] + e['unkept']} citations, **{e['kept']}** resting on a passage kept in "
                      f"`sources/evidence.yaml` ({e['share_kept']}%), checked like a source's; **{e['unkept']}** on none, "
                      "cited and not checked" + (": " + ", ".join(f"`{u}`" for u in e["unkept_list"]) if e["unkept_list"] else "")
                      + ".", ""]
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
                         f"{size_verdict(row['transferred'], BUDGETS['page_kb'])} |")
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

    lines += reading_section(results.get("reading") or [], p if p.get("available") else {})
    lines += apparatus_section(results.get("apparatus"), results.get("build") or {})
    lines += tenfold_section(results.get("tenfold"))
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
              f"| Build overhead ratio < {BUDGETS['build_ratio']:g}× (strict build without the PDF, warm cache, over "
              f"Material alone on the same pages) | {b['ratio']:.2f}× | {v['build_ratio']} |"]
    if b.get("cold"):
        lines.append(f"| The same, cold (no `.cache/`) < {BUDGETS['build_ratio_cold']:g}× | {b['ratio_cold']:.2f}× | "
                     f"{v['build_ratio_cold']} |")
    if r.get("available"):
        lines.append(f"| Live reload after one edit < {BUDGETS['reload_s']:g} s | {r['median_s']:.2f} s | {v['reload']} |")
    if p.get("available"):
        chapters = [r for r in p["pages"] if r["page"].startswith(CHAPTERS)]
        if chapters:
            heavy = max(chapters, key=lambda r: r["transferred"])
            over = sum(size_verdict(r["transferred"], BUDGETS["page_kb"]) == "OVER" for r in chapters)
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
    t = results.get("tenfold") or {}
    if t.get("ratio_to_today"):
        lines.append(f"| The tenfold primer's warm build < {BUDGETS['tenfold_ratio']:g}× today's | "
                     f"{t['ratio_to_today']:.1f}× | {v['tenfold_ratio']} |")
    if (t.get("reload") or {}).get("available"):
        lines.append(f"| Its live reload after one edit < {BUDGETS['tenfold_reload_s']:g} s | "
                     f"{t['reload']['median_s']:.2f} s | {v['tenfold_reload']} |")
    lines += ["| No serious accessibility violation | asserted by `make test-browser` (axe-core) | — |", ""]
    return "\n".join(lines)


def budgets(results: dict) -> dict:
    """PASS or OVER for each budget; the page and search-index budgets on transferred bytes."""
    pages, index = results["pages"], results["search_index"]
    reload = results.get("reload") or {}
    tenfold = results.get("tenfold") or {}

    def every(rows):
        return pass_or_over(all(size_verdict(r["transferred"], BUDGETS["page_kb"]) == "PASS" for r in rows))

    return {
        "limits": BUDGETS, "judged_on": "transferred (gzip, as GitHub Pages serves the site)",
        "build_ratio": pass_or_over(results["build"]["ratio"] < BUDGETS["build_ratio"]),
        "build_ratio_cold": pass_or_over(results["build"]["ratio_cold"] < BUDGETS["build_ratio_cold"])
        if "ratio_cold" in results["build"] else None,
        "reload": pass_or_over(reload["median_s"] < BUDGETS["reload_s"]) if reload.get("available") else None,
        "chapters": every([r for r in pages["pages"] if r["page"].startswith(CHAPTERS)])
        if pages.get("available") else None,
        "pages": every(pages["pages"]) if pages.get("available") else None,
        "search_index": size_verdict(index["transferred"], BUDGETS["search_index_kb"]) if index.get("available") else None,
        "tenfold_ratio": pass_or_over(tenfold["ratio_to_today"] <= BUDGETS["tenfold_ratio"])
        if tenfold.get("ratio_to_today") else None,
        "tenfold_reload": pass_or_over(tenfold["reload"]["median_s"] <= BUDGETS["tenfold_reload_s"])
        if (tenfold.get("reload") or {}).get("available") else None,
    }
