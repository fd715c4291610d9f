"""The claims ledger as pages: an overview (reference/claims-ledger.md) and one page per chapter, each claim a
card (on a phone) or a table row (on a desktop): the claim, its citation, how its passage was found and
the passage itself, quoted words or figures marked, with a link to it. No MkDocs import (primer.build.stages.claims_ledger)."""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from primer.site import passages
from primer.checks.figures import claims as claims_mod

PAGE = "reference/claims-ledger.md"
SUBDIR = "reference/claims-ledger"
MARKER = "<!-- claims-ledger: the claims (primer.build.stages.claims_ledger) -->"
COLUMNS = ("Claim", "Cited", "Found by", "Source passage")
FOUND_BY = {"quotation": "a quotation", "figure": "its figures", "wording": "its wording",
            "absence": "a search of the whole text"}


def _esc(text) -> str:
    return html.escape("" if text is None else " ".join(str(text).split()), quote=True).replace("@", "&#64;")


def _cell_md(text) -> str:
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(str(text).split()))
    return text.replace("@", "&#64;")


def sub_page(page: str) -> str:
    name = page.removesuffix(".md").replace("/", "-")
    return f"{SUBDIR}/{'home' if name == 'index' else name}.md"


def card_table(columns, rows: list[list[str]], css: str = "ledger-cards") -> str:
    """A table that becomes one card per row on a narrow screen (docs/stylesheets/primer.css): each cell
    carries its column's name (data-label), shown before it in a card."""
    out = [f'<table class="{css}">', "<thead>", "<tr>", *(f"<th>{_esc(c)}</th>" for c in columns), "</tr>",
           "</thead>", "<tbody>"]
    for cells in rows:
        out += ["<tr>", *(f'<td data-label="{_esc(c)}">{cell}</td>' for c, cell in zip(columns, cells)), "</tr>"]
    return "\n".join(out + ["</tbody>", "</table>"])


WITHHELD = ("Not shown here: the licence of this source is unknown, so the primer shows only a little of it, "
            "and this page has shown its share.")


def passage_cell(entry: dict | None, claim, href: str, shown: str | None = None) -> str:
    """A claim's passage as the ledger shows it: SHOWN (its excerpt, primer.site.excerpts; the passage itself by
    default), the quoted words or figures marked, where it stands and a link to read it in context; None: no
    excerpt may be shown on this page."""
    if claim.method == "absence":   # an absence claim rests on no passage: the note says what was searched
        return f'<span class="ledger-absence">{_esc(claim.passage)}</span>'
    whole = bool(entry) and entry.get("republish") == "whole"
    link = ""
    if href:
        label = "in the source text" if whole else "at the original"
        link = f' <a class="ledger-passage-link" href="{_esc(href)}">Read it {label}</a>'
    if shown is None and not whole and entry is not None and claim.passage:
        return f'<span class="ledger-withheld">{_esc(WITHHELD)}</span>{link}'
    text = passages.passage_html(claim.passage if shown is None else shown, claim.highlight).replace("@", "&#64;")
    where = ""
    if whole:
        lines = claim.source_lines.replace("-", "–")
        where = f' <span class="ledger-where">({"lines" if "–" in lines else "line"} {_esc(lines)})</span>'
    return f'<q class="source-verbatim">{text}</q>{where}{link}'


def render(claims: list, entries: dict, titles: dict, page_url, shown=None,
           label=None, reuse=None) -> tuple[dict[str, str], dict[str, str]]:
    """({docs path: Markdown} of the ledger pages, {docs path: cards HTML for MARKER}). ENTRIES: the manifest's
    entries by file; TITLES: chapter titles by docs path; PAGE_URL(target docs path, from docs path) -> the
    final URL of a generated link (MkDocs' own, from the build); SHOWN(claim) -> what the ledger may show of
    its passage (primer.site.excerpts.Excerpts.for_claim; the whole passage by default); LABEL(key, locator) ->
    a citation's short label ("Li 2025, §4.2"; the key and locator by default). REUSE(parts, make) may give back
    a chapter's page and cards made from the same parts by an earlier rebuild (primer.build.stage_memo)."""
    shown = shown or (lambda claim: claim.passage)
    reuse = reuse or (lambda parts, make: make())
    label = label or (lambda key, locator: f"{key}, {locator}" if locator else key)
    s = claims_mod.summary(claims)
    overview = [
        "---\ntitle: Claims ledger\ndescription: Every cited sentence, table row and list item of the primer, "
        "with the source passage it rests on and how that passage was found.\n---\n",
        "# Claims ledger\n",
        f"Every cited unit of the primer (a sentence, a table row, a list item) matched at build time to the "
        f"source sentence or sentences it rests on, inside the passage its citation names: {s['claims']} claims, "
        f"{s['quotation']} found by a quotation ({s['share']['quotation']}%), {s['figure']} by figures "
        f"({s['share']['figure']}%) and {s['wording']} by wording ({s['share']['wording']}%). "
        f"{s['weak']} have a weak passage (found by wording, or by years alone, with a score under "
        f"{claims_mod.WEAK} of 100) and are marked *weak*: a reader should check them by hand. Every quotation "
        "is verified word for word against its passage. Download the ledger as [CSV](../claims.csv) or "
        "[JSON](../claims.json); figures are in the [figure ledger](figure-ledger.md).\n",
        "| Page | Claims | Quotation | Figure | Wording | Weak | Ledger |",
        "|---|---|---|---|---|---|---|",
    ]
    pages, tables = {}, {}
    by_page: dict[str, list] = {}   # each page's claims, in order (grouped once, not once per page)
    for c in claims:
        by_page.setdefault(c.page, []).append(c)
    for page in sorted(by_page):
        rows = by_page[page]
        sub = sub_page(page)
        title = titles.get(page, page)
        counts = [sum(c.method == m for c in rows) for m in ("quotation", "figure", "wording")]
        overview.append(f"| [{_cell_md(title)}](../{page}) | {len(rows)} | " + " | ".join(map(str, counts))
                        + f" | {sum(c.status == 'weak' for c in rows)} | [claims]({sub.removeprefix('reference/')}) |")
        # what the chapter's page reads: each claim, what may be shown of it, its label, its source's entry, URLs
        used = sorted({c.source_file for c in rows if c.source_file})
        texts = [passages.text_page(entries[f]) for f in used if (entries.get(f) or {}).get("republish") == "whole"]
        parts = ["claims ledger chapter", page, title, *map(repr, rows), repr([shown(c) for c in rows]),
                 repr([label(c.key, c.locator) for c in rows]), repr([(f, entries.get(f)) for f in used]),
                 repr([page_url(target, sub) for target in [page, *texts]])]
        pages[sub], tables[sub] = reuse(parts, functools.partial(_chapter, page, rows, title, sub, entries, page_url,
                                                                 shown, label))
    pages[PAGE] = "\n".join(overview) + "\n"
    return pages, tables


def _chapter(page, rows, title, sub, entries, page_url, shown, label) -> tuple[str, str]:
    """One chapter's ledger page (Markdown, its cards' MARKER in it) and its cards (HTML)."""
    cells = []
    for c in rows:
        entry = entries.get(c.source_file)
        href = passages.passage_link(entry, c) if entry else ""
        if href and entry.get("republish") == "whole":
            href = page_url(href.split("#")[0], sub) + "#" + href.split("#")[1]
        used = f'<a href="{_esc(page_url(page, sub))}">line {c.line}</a>'
        weak = ' <strong class="ledger-weak">weak</strong>' if c.status == "weak" else ""
        cells.append([f"{_esc(c.sentence)} <span class=\"ledger-where\">({used})</span>",
                      _esc(label(c.key, c.locator)),
                      f"{_esc(FOUND_BY.get(c.method, c.method))} (similarity {c.score} of 100){weak}",
                      passage_cell(entry, c, href, shown(c))])
    return (f"---\ntitle: \"Claims ledger: {title}\"\ndescription: Every claim on the page {page}, "
            "with the source passage it rests on.\nsearch:\n  exclude: true\n---\n\n"
            f"# Claims ledger: {_cell_md(title)}\n\nEvery cited unit of [{_cell_md(title)}](../../{page}), "
            f"in order, with its passage. Back to the [whole ledger](../claims-ledger.md).\n\n{MARKER}\n",
            card_table(COLUMNS, cells))


def chapter_titles(docs_dir: Path, pages) -> dict[str, str]:
    out = {}
    for page in pages:
        path = docs_dir / page
        match = re.search(r"^title:\s*(.+)$", path.read_text(encoding="utf-8"), re.M) if path.is_file() else None
        out[page] = match.group(1).strip().strip("\"'") if match else page
    return out


def unkept_section(unkept: list, titles: dict, label=None) -> str:
    """The claims ledger's list of the citations of public evidence whose passage the primer does not keep (the
    figure check's `Result.unkept`: page, line, col, key, the unit as read), to append to its overview page."""
    if not unkept:
        return ""
    label = label or (lambda key, locator: key)
    out = ["", "## Public evidence without a kept passage {#public-evidence-without-a-passage}", "",
           f"{len(unkept)} citations rest on public evidence whose passage the primer does not keep, so no check "
           "can compare them with what the work says: they are cited, not checked. Every other citation of public "
           "evidence is checked against the sentences it rests on, which its popup shows.", "",
           "| Page | Line | Cited | Statement |", "|---|---|---|---|"]
    for page, line, _col, key, sentence in unkept:
        said = sentence if len(sentence) <= 160 else sentence[:159].rstrip() + "…"
        out.append(f"| [{_cell_md(titles.get(page, page))}](../{page}) | {line} | {_cell_md(label(key, ''))} | "
                   f"{_cell_md(said)} |")
    return "\n".join(out) + "\n"
