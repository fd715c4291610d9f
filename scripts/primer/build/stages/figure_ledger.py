"""Stages 2 and 4: the figure check, and its ledger published.

On every build (and every live reload) the figure check (primer.checks.figures) runs
over docs/ and the words of glossary.yaml and charts.yaml: figures, quotations and each claim's passage (`check`). Each problem is logged
as a warning, and a strict build (`mkdocs build`, strict in mkdocs.yml, however
it is run: `-q` hides warnings from MkDocs' counter, mkdocs#4126) stops with a
PluginError naming them all; `mkdocs serve` only warns, so the live server
keeps serving. The ledger is published as figures.json, figures.csv and the page
reference/figure-ledger.md (an overview) with one page per chapter under
reference/figure-ledger/: every figure with a link to the section where it is
used and the source sentence it came from. Nothing here is typed twice: all of
it comes from the check's result. A page whose text, sources and check are all as
in an earlier build takes that build's result from the cache folder's figures/ (primer.checks.figures.ResultCache).

The chapter pages' tables (~1,200 rows, ~10,000 cells) are written here as HTML, the same
<table> Python-Markdown writes for a Markdown table (Material styles it and wraps it for
scrolling as any other), and put in place of the marker TABLE_MARKER after the Markdown is
converted (`put_table`, as the charts stage does with its charts): the build parses neither
their cells as Markdown nor, as it would for raw HTML in the Markdown, their ~25,000 tags (which
cost about as much). Hence:
each href is already the final URL (from MkDocs' File objects), and each link to a section is
handed to MkDocs' own anchor validation; the abbreviations that the abbr extension marks in a
page's text (the glossary's) are marked in the table here.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import logging
import re
from pathlib import Path

from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.toc import slugify, unique
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from primer.checks import figures
from primer.checks.figures import claims as claims_mod
from primer.site import claims_pages, passages

log = logging.getLogger("mkdocs.plugins.primer.ledger")


PAGE = "reference/figure-ledger.md"
SUBDIR = "reference/figure-ledger"  # one page per chapter; listed under not_in_nav in mkdocs.yml
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
COLUMNS = ("Figure", "Used in", "Kind", "Cited", "In the source", "Match")
TABLE_MARKER = "<!-- figure-ledger: the table of figures (primer.build.stages.figure_ledger) -->"


def heading_anchors(markdown: str) -> list[tuple[int, str]]:
    """(line, id) of each ATX heading, with the ids Python-Markdown's toc gives them."""
    return [(line, anchor) for line, anchor, _ in headings(markdown)]


def headings(markdown: str) -> list[tuple[int, str, str]]:
    """(line, id, text) of each ATX heading, with the ids Python-Markdown's toc gives them."""
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
        plain = re.sub(r"<[^>]+>|[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", EXPLICIT_ID_RE.sub("", text))
        if explicit:
            anchor = explicit.group(1)
            used.add(anchor)
        else:
            anchor = unique(slugify(plain, "-"), used)
        anchors.append((number, anchor, " ".join(plain.split())))
    return anchors


def _cell(text) -> str:
    text = "" if text is None else str(text)
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(text.split()))
    return text.replace("@", "&#64;")  # never a citation to mkdocs-bibtex


def _html(text) -> str:
    """A cell's text as HTML (what _cell's Markdown renders to)."""
    return _escape("" if text is None else " ".join(str(text).split()))


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("@", "&#64;")  # never a citation to mkdocs-bibtex


def _table(header, rows) -> str:
    """A table as raw HTML, as Python-Markdown writes a Markdown table; cells are given as HTML."""
    lines = ["<table>", "<thead>", "<tr>", *(f"<th>{_html(h)}</th>" for h in header), "</tr>", "</thead>", "<tbody>"]
    for cells in rows:
        lines += ["<tr>", *(f"<td>{cell}</td>" for cell in cells), "</tr>"]
    return "\n".join(lines + ["</tbody>", "</table>"])


WITHHELD = "Not shown here: the licence of this source is unknown, and this page has shown its share of it."
INTRO = ("This ledger lists each figure with where it is used, the source it is cited to and the source's "
         "own words around it. *Sourced* figures are checked against the passage their citation names (the "
         "section, paragraph or table it points to); *derived* figures are computed by the primer from source "
         "figures, and recomputed by the check; *editorial* numbers are the primer's own and are not checked "
         "against a source; *external* figures come from public evidence outside the sources and are checked "
         "against the passage the primer keeps of it (status *ok*), or only cited to it where no passage is kept "
         "(*cited*). The source's words are quoted as the source text has them; of a "
         "source whose licence is unknown, only the words around the figure are shown, and only up to a quarter "
         "of the source on any page. *Match* says where the figure was found: in the very sentence its claim "
         "rests on (*sentence*), or only elsewhere in the cited section (*section*, weaker).")


def ledger_page(page: str) -> str:
    """The ledger sub-page for one docs page: reference/figure-ledger/sources-li-2025-….md"""
    name = page.removesuffix(".md").replace("/", "-")
    return f"{SUBDIR}/{'home' if name == 'index' else name}.md"  # index.md would be the overview's own URL


def _title_of(text: str | None, fallback: str) -> str:
    """A page's front-matter title, from its TEXT (None: no such file)."""
    match = re.search(r"^title:\s*(.+)$", text, re.MULTILINE) if text is not None else None
    return match.group(1).strip().strip("\"'") if match else fallback


def render(result, docs_dir: Path, files, config, entries: dict | None = None,
           excerpts=None, label=None, reuse=None) -> tuple[dict[str, str], dict[str, tuple[str, list]]]:
    """The ledger as pages: an overview (PAGE) and one page per chapter, so no page grows too heavy;
    and each chapter page's table, as HTML with its links to sections (page, anchor, link as the
    Markdown link would be written). REUSE(parts, make) (primer.build.stage_memo) may give back a chapter's
    page and table made from the same parts by an earlier rebuild."""
    reuse = reuse or (lambda parts, make: make())
    pages, tables = {}, {}
    overview = [
        "---\ntitle: Figure ledger\ndescription: Every figure the primer quotes, where it is used, and the "
        "source sentence it was checked against.\n---\n",
        "# Figure ledger\n",
        "Every figure quoted in the primer, checked at build time against the passage of the source it cites. "
        f"{_cell(result.summary())}. Download the whole ledger as [CSV](../figures.csv) or "
        f"[JSON](../figures.json). {INTRO} Each claim's passage is in the [claims ledger](claims-ledger.md).\n",
        "| Page | Figures | Sourced | Derived | Editorial | External | Ledger |",
        "|---|---|---|---|---|---|---|",
    ]
    by_page: dict[str, list] = {}   # each page's rows, in the result's order (grouped once, not once per page)
    for row in result.rows:
        by_page.setdefault(row.page, []).append(row)
    for page in sorted(by_page):
        rows = by_page[page]
        path = docs_dir / page
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        title = _title_of(text, page)
        sub = ledger_page(page)
        target_file = files.get_file_from_path(page)
        if target_file is None:
            log.warning("figure ledger: %s is not a page of this build; its figures are listed without links", page)
        counts = [sum(row.kind == kind for row in rows) for kind in ("sourced", "derived", "editorial", "external")]
        overview.append(f"| [{_cell(title)}](../{page}) | {len(rows)} | " + " | ".join(map(str, counts))
                        + f" | [figures]({sub.removeprefix('reference/')}) |")
        # what the chapter's page reads, in the order it reads it (an excerpt is granted in the order asked)
        shown = [excerpts.for_row(row, sub) if excerpts is not None and row.source_sentence else None for row in rows]
        cited = [label(row.key, row.locator) if label and row.key else None for row in rows]
        used = sorted({row.source_file for row in rows if row.source_file})
        parts = ["figure ledger chapter", page, text, getattr(target_file, "url", None), config.use_directory_urls,
                 *map(repr, rows), repr(shown), repr(cited), repr([(f, (entries or {}).get(f)) for f in used])]
        pages[sub], tables[sub] = reuse(parts, functools.partial(_chapter, page, rows, text, title, sub, target_file,
                                                                 config, entries, excerpts, label))
    pages[PAGE] = "\n".join(overview) + "\n"
    return pages, tables


def _chapter(page, rows, text, title, sub, target_file, config, entries, excerpts, label) -> tuple[str, tuple]:
    """One chapter's ledger page (Markdown) and its table (HTML, its links to sections)."""
    anchors = headings(text) if text is not None else []
    title_line = _h1_line(text)
    here = File(sub, None, config.site_dir, config.use_directory_urls)
    lines = [
        f"---\ntitle: \"Figure ledger: {title}\"\ndescription: Every figure on the page {page}, with the "
        "source sentence it was checked against.\n"
        "search:\n  exclude: true\n"  # repeats of the chapters' figures: kept out of the search index
        "---\n",
        f"# Figure ledger: {_cell(title)}\n",
        f"Every figure on [{_cell(title)}](../../{page}), in order. Back to the [whole ledger](../figure-ledger.md). "
        f"{INTRO}\n",
    ]
    cells, links = [], []
    for row in rows:
        anchor, section = "", "the opening"
        for line, candidate, heading in anchors:
            if line <= row.line:
                anchor, section = candidate, ("the opening" if line == title_line else heading)
        used_in = _html(section)
        if target_file is not None:  # the URL MkDocs would write for the Markdown link ../../{page}#{anchor}
            href = target_file.url_relative_to(here) + (f"#{anchor}" if anchor else "")
            used_in = f'<a class="ledger-used-in" href="{html.escape(href)}">{used_in}</a>'
            if anchor:
                links.append((page, anchor, f"../../{page}#{anchor}"))
        cited = label(row.key, row.locator) if label and row.key else (
            f"{row.key}, {row.locator}" if row.locator else row.key)
        entry = (entries or {}).get(row.source_file)
        sentence = row.source_sentence or (f"= {row.formula}" if row.formula else "")
        if excerpts is not None and row.source_sentence:
            sentence = excerpts.for_row(row, sub)
        source = WITHHELD if sentence is None else f'<span class="source-verbatim">{_html(sentence)}</span>'
        if entry and row.source_line:
            href = _source_href(entry, row, config, here)
            if href:
                where = (f"line {row.source_line} in the source text" if entry.get("republish") == "whole"
                         else "read it at the original")
                source += f' <a class="ledger-source-link" href="{html.escape(href)}">({where})</a>'
        value = f'<span class="ledger-where">{_html(row.value)} ({_html(row.unit)})</span>' if row.value else ""
        cells.append([_html(row.figure) + (f"<br>{value}" if value else ""), used_in, _html(row.kind),
                      _html(cited), source, _html(row.match)])
    lines.append(TABLE_MARKER)
    return "\n".join(lines) + "\n", (claims_pages.card_table(COLUMNS, cells), links)


def _h1_line(text: str | None) -> int | None:
    """The line of the page's title heading (`# …`) in its TEXT, whose section is the page's opening."""
    for number, line in enumerate((text or "").split("\n"), start=1):
        if line.startswith("# "):
            return number
    return None


class _Line:
    """What passages.passage_link needs of a claim, for a figure's source line."""

    def __init__(self, row):
        self.source_lines = str(row.source_line)
        self.passage = row.source_sentence.replace("… ", "").replace(" …", "")


def _source_href(entry, row, config, here) -> str:
    """The link to a figure's source line: the source-text page's line (the claims ledger stage makes the page),
    or the original with a text fragment."""
    href = passages.passage_link(entry, _Line(row))
    if href and entry.get("republish") == "whole":
        path, anchor = href.split("#", 1)
        href = File(path, None, config.site_dir, config.use_directory_urls).url_relative_to(here) + "#" + anchor
    return href


def with_abbreviations(table: str, markdown: str) -> str:
    """The table with the abbreviations defined in the page's Markdown (`*[FDI]: ...`) marked as the
    abbr extension marks them in text: <abbr title="...">FDI</abbr>."""
    abbrs = {}
    for match in AbbrBlockprocessor.RE.finditer(markdown):
        abbr, title = match.group("abbr").strip(), match.group("title").strip()
        if abbr and title:
            if title in ("''", '""'):
                abbrs.pop(abbr, None)
            else:
                abbrs[abbr] = title
    if not abbrs:
        return table
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(abbrs, key=len, reverse=True))) + r")\b")
    # Only the text nodes that hold an abbreviation are unescaped and marked, found in one pass: in
    # _table's HTML (texts and attributes escaped, so `>` only ends a tag) an abbreviation stands in
    # its escaped form, since escaping goes character by character.
    holding = re.compile(r">([^<]*(?:" + "|".join(re.escape(_escape(abbr)) for abbr in abbrs) + r")[^<]*)<")

    def mark(text_node):
        text = html.unescape(text_node.group(1))
        parts, end = [], 0
        for match in pattern.finditer(text):
            title = _escape(abbrs[match.group(0)]).replace('"', "&quot;")  # as Python-Markdown escapes it
            parts += [_escape(text[end:match.start()]), f'<abbr title="{title}">{_escape(match.group(0))}</abbr>']
            end = match.end()
        return ">" + "".join(parts + [_escape(text[end:])]) + "<" if parts else text_node.group(0)
    return holding.sub(mark, table)


def check(files, config, root: Path, check_cache, stop_on_problems: bool):
    """The figure check over docs/ (a primer.checks.figures Result; None when it cannot run, which is a
    warning). Each problem is a warning; with STOP_ON_PROBLEMS (a strict build, not `mkdocs serve`) the
    build stops naming them all, however it is run (`-q` hides warnings from MkDocs' counter, mkdocs#4126)."""
    try:
        result = figures.check([Path(config.docs_dir)], root=root, cache=check_cache, data_files=True)
    except figures.BadInput as err:
        log.warning("figure check cannot run: %s", err)
        return None
    for problem in result.problems:
        log.warning("%s", problem)
    if result.problems and stop_on_problems:
        n = len(result.problems)
        raise PluginError(f"the figure check found {n} problem{'s' * (n != 1)}:\n"
                          + "\n".join(str(p) for p in result.problems))
    return result


SUMMARY_MARKER = "<!-- primer:check-summary -->"   # where a page gives the check's own numbers (the landing page)


def check_summary(result, citations: dict[str, int]) -> str:
    """What this build's check found, in numbers (Markdown): the claims by how their passage was found, the weak
    share, the quotations verified, and what rests on public evidence and is not checked. CITATIONS: the
    citations stage's counts."""
    s = claims_mod.summary(result.claims)
    q = result.quotations
    weak = round(100 * s["weak"] / s["claims"]) if s["claims"] else 0
    return (f"In numbers, counted by this build: {s['claims']:,} cited statements were each matched to their source "
            f"passage, {s['quotation']:,} by a quotation, {s['figure']:,} by a figure and {s['wording']:,} by wording "
            f"alone; {s['weak']:,} ({weak}%) are weak matches, marked in the [claims ledger](reference/claims-ledger.md). "
            f"{q.get('checked', 0):,} quotations were verified word for word. {result.count('external'):,} figures "
            f"and {citations.get('public', 0):,} citations rest on public evidence: {result.evidence.get('kept', 0):,} "
            f"checked against its kept passage, {result.evidence.get('unkept', 0):,} "
            "[not](reference/claims-ledger.md#public-evidence-without-a-passage).")


def with_summary(markdown: str, result, citations: dict[str, int]) -> str:
    """MARKDOWN with its SUMMARY_MARKER replaced by the check's numbers (check_summary)."""
    if SUMMARY_MARKER not in markdown or result is None:
        return markdown
    return markdown.replace(SUMMARY_MARKER, check_summary(result, citations))


class FigureLedger:
    """The ledger's pages and downloads from the check's result; each chapter page's table put in place of its
    marker once the page is HTML."""

    def __init__(self):
        self.tables: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}  # page: (table HTML, its links)

    def add_pages(self, files, config, root: Path, result, excerpts=None, label=None, reuse=None) -> None:
        """The ledger's pages and downloads; of a source whose licence is unknown, the words around each figure as
        EXCERPTS allows; each citation by its LABEL(key, locator). REUSE (primer.build.stage_memo): under `mkdocs
        serve`, a chapter's page and the downloads made from the same parts by the last rebuild."""
        reuse = reuse or (lambda parts, make: make())
        entries = passages.by_file(root)
        pages, self.tables = render(result, Path(config.docs_dir), files, config, entries, excerpts, label, reuse)
        for path, content in pages.items():
            files.append(File.generated(config, path, content=content))
        if excerpts is not None:   # the downloads show what the pages show of each source
            result = dataclasses.replace(result, rows=excerpts.published_rows(result.rows, lambda r: ledger_page(r.page)))
        json_text, csv_text = reuse(["figure ledger downloads", repr(result)],
                                    lambda: (figures.to_json(result), figures.to_csv(result)))
        files.append(File.generated(config, "figures.json", content=json_text))
        files.append(File.generated(config, "figures.csv", content=csv_text))

    def put_table(self, html_text: str, page, files) -> str:
        """A ledger page's table in place of its marker, its links to sections handed to MkDocs' validation."""
        if page.file.src_uri not in self.tables:
            return html_text
        table, links = self.tables[page.file.src_uri]
        if html_text.count(TABLE_MARKER) != 1:
            log.warning("%s: the figure table's marker is not in the page once; the table is left out", page.file.src_uri)
            return html_text
        if page.links_to_anchors is not None:  # MkDocs checks these anchors as those of the page's Markdown links
            for target, anchor, link in links:
                if (target_file := files.get_file_from_path(target)) is not None:
                    page.links_to_anchors.setdefault(target_file, {}).setdefault(anchor, link)
        return html_text.replace(TABLE_MARKER, with_abbreviations(table, page.markdown))
