"""MkDocs hook: figure ledger. One job: run the figure check and publish its ledger.

On every build (and every live reload) the figure check (scripts/check_figures.py)
runs over docs/. Each problem is logged as a warning, so `mkdocs build --strict`
fails on a figure that does not map to its source while `mkdocs serve` keeps
serving. The ledger is published as figures.json, figures.csv and the page
reference/figure-ledger.md: every figure with a link to the section where it is
used and the source sentence it came from. Nothing here is typed twice: all of
it comes from the check's result.
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

PAGE = "reference/figure-ledger.md"
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


def render(result, docs_dir: Path) -> str:
    anchors = {}
    for page in sorted({row.page for row in result.rows}):
        path = docs_dir / page
        anchors[page] = heading_anchors(path.read_text(encoding="utf-8")) if path.is_file() else []
    lines = [
        "---\ntitle: Figure ledger\ndescription: Every figure the primer quotes, where it is used, and the "
        "source sentence it was checked against.\n---\n",
        "# Figure ledger\n",
        "Every figure quoted in the primer, checked at build time against the passage of the source it cites. "
        f"{_cell(result.summary())}. "
        "Download the ledger as [CSV](../figures.csv) or [JSON](../figures.json). "
        "*Derived* figures are computed by the primer from the source figures in their formula, and recomputed by "
        "the check; *editorial* numbers are the primer's own and are not checked against a source. Source "
        "sentences are quoted verbatim from the vendored text, with its extraction artefacts (such as "
        "`US \\$`).\n",
    ]
    for page in sorted(anchors):
        rows = [row for row in result.rows if row.page == page]
        lines.append(f"## {page}\n")
        lines.append("| Figure | Used at | Value | Unit | Kind | Cited | Source line | Source sentence |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for row in rows:
            anchor = ""
            for line, candidate in anchors[page]:
                if line <= row.line:
                    anchor = candidate
            target = f"../{page}#{anchor}" if anchor else f"../{page}"
            cited = f"{row.key}, {row.locator}" if row.locator else row.key
            source = f"{row.source_file}:{row.source_line}" if row.source_line else ""
            sentence = row.source_sentence or (f"= {row.formula}" if row.formula else "")
            lines.append(f"| {_cell(row.figure)} | [line {row.line}]({target}) | {_cell(row.value)} | "
                         f"{_cell(row.unit)} | {row.kind} | {_cell(cited)} | {_cell(source)} | "
                         f'<span class="source-verbatim">{_cell(sentence)}</span> |')
        lines.append("")
    return "\n".join(lines)


@event_priority(-40)
def on_files(files, config):
    root = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    try:
        result = check_figures.check([docs_dir], root=root)
    except check_figures.BadInput as err:
        log.warning("figure check cannot run: %s", err)
        return files
    for problem in result.problems:
        log.warning("%s", problem)
    files.append(File.generated(config, PAGE, content=render(result, docs_dir)))
    files.append(File.generated(config, "figures.json", content=check_figures.to_json(result)))
    files.append(File.generated(config, "figures.csv", content=check_figures.to_csv(result)))
    return files
