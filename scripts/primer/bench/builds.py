"""Build timing: the strict build against Material alone on the same Markdown, warm and cold, and the figure check."""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from primer import ROOT
from primer.bench.budgets import PDF_ENV, PDF_NAME
from primer.build import mkdocs_yml  # (scripts/primer/build/mkdocs_yml.py: mkdocs.yml as MkDocs reads it)

# scripts/primer/bench/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them
from primer.build.project_parts import copy_project  # (scripts/primer/build/project_parts.py)

# -- 1. Build ----------------------------------------------------------------------------------

def load_config(path: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (scripts/primer/build/mkdocs_yml.py): `!ENV` and `!relative $config_dir`/
    `$docs_dir` as their values, which the Material-only configuration written from it keeps (an
    absolute path stays right in the temporary folder); `!relative` alone as a PageDir, written
    back as the tag. Any other tag stops the bench with one line naming the file, the line and the
    tag: read as None, or dropped, it would silently change the setting in that configuration."""
    return mkdocs_yml.read(path)


class _Dumper(yaml.SafeDumper):
    """yaml.safe_dump's, with `!relative` alone (the page's folder: no value outside a build) as the tag again."""


_Dumper.add_representer(mkdocs_yml.PageDir, lambda dumper, _: dumper.represent_scalar("!relative", ""))


def baseline_config(tmp: Path, docs_dir: Path | None = None, root: Path | None = None) -> Path:
    """The mkdocs.yml of the project at ROOT (default: this one) with Material alone: only the search plugin, no
    primer plugin, no bibtex; its pages from DOCS_DIR (default: the project's docs/)."""
    root = root or ROOT
    config = load_config(root / "mkdocs.yml")
    search = [p for p in config.get("plugins", []) if p == "search" or (isinstance(p, dict) and "search" in p)]
    config["plugins"] = search or ["search"]
    config.pop("hooks", None)
    config["strict"] = False
    config["docs_dir"] = str(docs_dir or root / config.get("docs_dir", "docs"))
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):  # Material's own overrides stay: they are the theme
        theme["custom_dir"] = str(root / theme["custom_dir"])
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_WRITE_GENERATED = """
import sys
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
out = Path(sys.argv[1])
config = load_config("mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
try:
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    for file in config.plugins.on_files(get_files(config), config=config):
        if file.generated_by:
            (out / file.src_uri).parent.mkdir(parents=True, exist_ok=True)
            (out / file.src_uri).write_bytes(file.content_bytes)
finally:
    config.plugins.on_shutdown()
"""


def same_pages_docs(dest: Path, root: Path | None = None) -> Path:
    """docs/ copied to DEST with every file the primer plugin generates written beside the pages (the bibliography,
    the glossary, the ledgers and claims pages, the source text, the print edition, the downloads), as the
    plugin makes them in on_files, before their own later work: the pages Material alone builds when it is
    timed "on the same pages" as the strict build."""
    root = root or ROOT
    shutil.copytree(root / "docs", dest)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", PDF_ENV: "0"}
    result = subprocess.run([sys.executable, "-c", _WRITE_GENERATED, str(dest)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"bench: writing the generated pages failed:\n{result.stdout}{result.stderr}")
    return dest


def timed_build(args: list[str], site: Path, pdf: bool = False,
                cwd: Path = ROOT) -> tuple[float, float | None, float | None]:
    """One `mkdocs build`: wall-clock seconds, MkDocs' own "built in" seconds, and the seconds the
    print edition stage reports for its PDF (None when it made none). Without the PDF unless `pdf`."""
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
    """The ratio (strict build without the PDF / Material alone on the same pages), warm (the cache of
    an earlier build, as every rebuild has) and cold (no cache, as a fresh clone); Material alone on
    docs/ only (the hand-written pages) beside it, for the record; then one full build with the PDF,
    whose site is returned: it is the one published, and the one the pages are measured on."""
    base_yml = baseline_config(tmp / "material-same-pages", same_pages_docs(tmp / "docs-same-pages"))
    docs_yml = baseline_config(tmp / "material-docs-only")
    real_site, base_site, docs_site, full_site = tmp / "site", tmp / "site-material", tmp / "site-docs", tmp / "site-with-pdf"
    real, base, docs, cold = [], [], [], []
    timed_build(["--strict"], real_site)  # fills the cache: the timed warm builds find it full
    timed_build(["-f", str(base_yml)], base_site)  # and the same first, untimed, build for Material alone
    for _ in range(runs):  # interleaved, so that a slow spell of the machine hits all four
        real.append(timed_build(["--strict"], real_site))
        base.append(timed_build(["-f", str(base_yml)], base_site))
        docs.append(timed_build(["-f", str(docs_yml)], docs_site))
        cold.append(cold_build(real_site))

    def summary(samples):
        walls = [w for w, _, _ in samples]
        inner = [b for _, b, _ in samples if b is not None]
        return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                "runs_s": [round(w, 3) for w in walls],
                "mkdocs_built_in_median_s": statistics.median(inner) if inner else None}

    out = {"runs": runs, "strict": {**summary(real), "pages": _pages(real_site)},
           "material_only": {**summary(base), "pages": _pages(base_site)},
           "material_docs_only": {**summary(docs), "pages": _pages(docs_site)}}
    out["ratio"] = out["strict"]["median_s"] / out["material_only"]["median_s"]
    out["ratio_docs_only"] = out["strict"]["median_s"] / out["material_docs_only"]["median_s"]
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
                       "pdf_pages": _pdf_pages(pdf_file),
                       "extra_s": wall - out["strict"]["median_s"], "hook_reported_s": hook_s}
    return out, full_site


def _pdf_pages(pdf: Path) -> int | None:
    if not pdf.is_file():
        return None
    from primer.site.print_assembly import pdf_facts
    return pdf_facts(pdf).pages


# -- 2. Figure check ---------------------------------------------------------------------------

def _claims_counts(result, runs: int) -> dict:
    """The claims ledger's counts (how each passage was found, the weak ones to review, the quotations) and
    the claims check's own cost: the same check with it turned off, cold index, median of RUNS."""
    from primer.checks.figures import check, checker, claims
    from primer.checks.figures.passages import clear_index_cache
    out = {**claims.summary(getattr(result, "claims", [])), "quotations": dict(getattr(result, "quotations", {}))}
    times = []
    checker.CLAIMS = False
    try:
        for _ in range(runs):
            clear_index_cache()
            start = time.perf_counter()
            check(root=ROOT)
            times.append(time.perf_counter() - start)
    finally:
        checker.CLAIMS = True
    out["without_claims_s"] = statistics.median(times)
    return out


def bench_figures(runs: int) -> dict:
    from primer.checks.figures import check
    from primer.checks.figures.passages import clear_index_cache
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
    claims = _claims_counts(result, runs)
    return {"available": True, "median_s": median, "runs_s": [round(t, 4) for t in times], "claims": claims,
            "figures": figures, "pages": getattr(result, "pages", None),
            "problems": len(getattr(result, "problems", []) or []),
            "per_figure_us": median / figures * 1e6 if figures else None,
            "evidence": public_evidence(result)}


def public_evidence(result) -> dict:
    """The citations of public evidence: how many rest on a passage kept in sources/evidence.yaml, how many on
    none (each listed, with its page and line)."""
    counts = dict(getattr(result, "evidence", {}) or {})
    kept, unkept = counts.get("kept", 0), counts.get("unkept", 0)
    return {"kept": kept, "unkept": unkept, "share_kept": round(100 * kept / (kept + unkept), 1) if kept + unkept else None,
            "unkept_list": [f"docs/{page}:{line} [@{key}]" for page, line, _col, key, _said in getattr(result, "unkept", [])]}
