"""MkDocs hook: figure ledger. One job: run the figure check and publish its ledger.

On every build (and every live reload) the figure check (scripts/check_figures.py)
runs over docs/. Each problem is logged as a warning, so `mkdocs build --strict`
fails on a figure that does not map to its source while `mkdocs serve` keeps
serving. The ledger is published as figures.json, figures.csv and the page
reference/figure-ledger.md (an overview) with one page per chapter under
reference/figure-ledger/: every figure with a link to the section where it is
used and the source sentence it came from. Nothing here is typed twice: all of
it comes from the check's result. A page whose text, sources and check are all as
in an earlier build takes that build's result from .cache/figures/ (CACHE).
"""
from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from markdown.extensions.toc import slugify, unique
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import check_figures  # noqa: E402

log = logging.getLogger("mkdocs.hooks.ledger")

last_result: check_figures.Result | None = None  # this build's check, for hooks/charts.py (None: it could not run)
CACHE = ".cache/figures"  # the check's page results, in the project; key: check_figures.ResultCache (all inputs)

PAGE = "reference/figure-ledger.md"
SUBDIR = "reference/figure-ledger"  # one page per chapter; listed under not_in_nav in mkdocs.yml
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


def heading_anchors(markdown: str) -> list[tuple[int, str]]:
    """(line, id) of each ATX heading, with the ids Python-Markdown's toc gives them."""
    anchors, used, fenced = [], set(), False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING_RE.match(line)
        if not match:
            continue
        text = match.group(2)
        explicit = EXPLICIT_ID_RE.search(text)
        if explicit:
            anchor = explicit.group(1)
            used.add(anchor)
        else:
            plain = re.sub(r"<[^>]+>|[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text)
            anchor = unique(slugify(plain, "-"), used)
        anchors.append((number, anchor))
    return anchors


def _cell(text) -> str:
    text = "" if text is None else str(text)
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(text.split()))
    return text.replace("@", "&#64;")  # never a citation to mkdocs-bibtex


INTRO = ("*Derived* figures are computed by the primer from the source figures in their formula, and "
         "recomputed by the check; *editorial* numbers are the primer's own and are not checked against a "
         "source; *external* figures come from public evidence outside the sources and are cited to it, not "
         "checked against a vendored text. Source sentences are quoted verbatim from the vendored text, with its "
         "extraction artefacts (such as `US \\$`).")


def ledger_page(page: str) -> str:
    """The ledger sub-page for one docs page: reference/figure-ledger/sources-li-2025-….md"""
    name = page.removesuffix(".md").replace("/", "-")
    return f"{SUBDIR}/{'home' if name == 'index' else name}.md"  # index.md would be the overview's own URL


def _title(path: Path, fallback: str) -> str:
    match = re.search(r"^title:\s*(.+)$", path.read_text(encoding="utf-8"), re.MULTILINE) if path.is_file() else None
    return match.group(1).strip().strip("\"'") if match else fallback


def render(result, docs_dir: Path) -> dict[str, str]:
    """The ledger as pages: an overview (PAGE) and one page per chapter, so no page grows too heavy."""
    pages = {}
    overview = [
        "---\ntitle: Figure ledger\ndescription: Every figure the primer quotes, where it is used, and the "
        "source sentence it was checked against.\n---\n",
        "# Figure ledger\n",
        "Every figure quoted in the primer, checked at build time against the passage of the source it cites. "
        f"{_cell(result.summary())}. Download the whole ledger as [CSV](../figures.csv) or "
        f"[JSON](../figures.json). {INTRO}\n",
        "| Page | Figures | Sourced | Derived | Editorial | External | Ledger |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in sorted({row.page for row in result.rows}):
        rows = [row for row in result.rows if row.page == page]
        path = docs_dir / page
        title = _title(path, page)
        anchors = heading_anchors(path.read_text(encoding="utf-8")) if path.is_file() else []
        sub = ledger_page(page)
        counts = [sum(row.kind == kind for row in rows) for kind in ("sourced", "derived", "editorial", "external")]
        overview.append(f"| [{_cell(title)}](../{page}) | {len(rows)} | " + " | ".join(map(str, counts))
                        + f" | [figures]({sub.removeprefix('reference/')}) |")
        lines = [
            f"---\ntitle: \"Figure ledger: {title}\"\ndescription: Every figure on the page {page}, with the "
            "source sentence it was checked against.\n"
            "search:\n  exclude: true\n"  # repeats of the chapters' figures: kept out of the search index
            "---\n",
            f"# Figure ledger: {_cell(title)}\n",
            f"Every figure on [{_cell(title)}](../../{page}), in order. Back to the [whole ledger](../figure-ledger.md). "
            f"{INTRO}\n",
            "| Figure | Used at | Value | Unit | Kind | Cited | Source line | Source sentence |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            anchor = ""
            for line, candidate in anchors:
                if line <= row.line:
                    anchor = candidate
            target = f"../../{page}#{anchor}" if anchor else f"../../{page}"
            cited = f"{row.key}, {row.locator}" if row.locator else row.key
            source = f"{row.source_file}:{row.source_line}" if row.source_line else ""
            sentence = row.source_sentence or (f"= {row.formula}" if row.formula else "")
            lines.append(f"| {_cell(row.figure)} | [line {row.line}]({target}) | {_cell(row.value)} | "
                         f"{_cell(row.unit)} | {row.kind} | {_cell(cited)} | {_cell(source)} | "
                         f'<span class="source-verbatim">{_cell(sentence)}</span> |')
        pages[sub] = "\n".join(lines) + "\n"
    pages[PAGE] = "\n".join(overview) + "\n"
    return pages


@event_priority(-40)
def on_files(files, config):
    global last_result
    last_result = None
    root = Path(config.config_file_path).resolve().parent
    docs_dir = Path(config.docs_dir)
    try:
        result = check_figures.check([docs_dir], root=root, cache=check_figures.ResultCache(root / CACHE, root))
    except check_figures.BadInput as err:
        log.warning("figure check cannot run: %s", err)
        return files
    last_result = result
    for problem in result.problems:
        log.warning("%s", problem)
    for path, content in render(result, docs_dir).items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, "figures.json", content=check_figures.to_json(result)))
    files.append(File.generated(config, "figures.csv", content=check_figures.to_csv(result)))
    return files
