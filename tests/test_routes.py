"""Cite it any way, get the same reference (issue #25): whatever way a reader takes a page's or a section's citation
(saved to Zotero from the page, its RIS, CSL-JSON or BibTeX imported), a reference manager citing it in APA or
Chicago author-date gives exactly the string the page prints.

Each route's record is rendered by citeproc-js (citation-js: @citation-js/core with plugin-csl, plugin-ris and
plugin-bibtex, pinned in package.json and package-lock.json; `npm ci` installs them into node_modules/), with the
same vendored styles (styles/*.csl), by tests/routes/render.js; the page's own strings are pandoc's citeproc
(primer.site.csl_render). Zotero's web save is test_zotero.py's port of its translators (COinS, and Embedded
Metadata as the Connector offers it), the item then exported to CSL as Zotero does for its own citeproc-js
(`zotero_csl`). Zotero's import of the RIS and the BibTeX (a reader's reference manager is mostly Zotero, whose
translators RIS.js and BibTeX.js read them otherwise than citation-js) is zotero_import.py's port of those
translators, each item exported by `zotero_csl` too: the routes "Zotero (RIS import)" and "Zotero (BibTeX
import)". Skipped, saying how to install them, when Node or the packages are missing (as the browser tests without
Chromium); `make test` installs the packages when Node is present, and `.ci/run` installs Node.

A source document's routes (source_routes): its "Cite this source" box's BibTeX, RIS and CSL-JSON files and its
references.bib entry, read by citation-js, and the BibTeX, RIS and entry imported by Zotero, against the box's
printed reference, with the known limits in SOURCE_LIMITS.

Two states of a page: without JavaScript (the static formats of the "Cite this page" tabs), and with it (what
docs/javascripts/cite.js puts in: the reader's address and today's date), in which Zotero's web save is taken.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pytest
import zotero_import
from conftest import ROOT
from test_cite import read_page
from test_zotero import coins_item, embedded_item

from primer.site import citation_formats as cite
from primer.site import csl_render, source_downloads
from primer.site import source_citations as sc

NODE = shutil.which("node")
RENDER = ROOT / "tests" / "routes" / "render.js"
INSTALLED = ROOT / "node_modules" / "@citation-js" / "plugin-csl"
STYLES = ("apa", "chicago")
INSTALL = ("the route tests need Node.js (16 or later) and citation-js: install Node (Debian: apt-get install nodejs "
           "npm), then run `npm ci` at the project's root (make test does it when Node is there)")

# What the tests take, as the issue asks: three pages, the bibliography, and two sections
PAGES = ("primer/external-risks/", "primer/domestic-circulation/", "sources/li-2025-two-way-internationalization/",
         "reference/bibliography/")
SECTIONS = (("primer/external-risks/", 1), ("primer/domestic-circulation/", 2))   # (page, which section: 0 = first)
SOURCES = ("li2025twoway", "zhaondinnovative", "guangdongndbrief", "chinesedreamndinternal")   # the four documents
ADDRESS = "https://readers-copy.example.org/primer/"   # where the reader's browser has the site (cite.js's data-site-root)

needs_citeproc_js = pytest.mark.skipif(NODE is None or not INSTALLED.is_dir(), reason=INSTALL)


# --- the CSL processor of the routes: citeproc-js -------------------------------------------------------------


def citeproc_js(requests: list[dict]) -> dict[str, dict]:
    """{id: {"items": [CSL-JSON as citation-js read it], "apa", "chicago"} or {"error"}} for REQUESTS
    ([{"id", "format": "csl" | "ris" | "bibtex", "text"}]), in one Node process."""
    result = subprocess.run([NODE, str(RENDER), str(ROOT / "styles")], input=json.dumps(requests), cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"tests/routes/render.js failed ({result.returncode}): {result.stderr.strip()}")
    return {entry["id"]: entry for entry in json.loads(result.stdout)}


# --- what Zotero keeps: a Report item, exported to CSL-JSON --------------------------------------------------


def from_coins(item: dict) -> dict:
    """What Zotero keeps of a COinS item: openurl.js sets accessDate to "" with the URL (rft_id), and Zotero's
    translate.js stamps the save's time only on an access date a translator left undefined, so none is kept
    (test_zotero.coins_item records the URL's "CURRENT_TIMESTAMP")."""
    return {k: v for k, v in item.items() if k != "accessDate"}


def zotero_csl(item: dict, saved: dt.date) -> dict:
    """Zotero's export of an item to CSL-JSON, as its citeproc-js is given it: the item as Zotero keeps it
    (zotero_import.saved: itemToAPIJSON, which drops what the item type lacks, so a Report keeps no version or
    edition), then zotero/utilities utilities_item.js itemToCSLJSON with the schema's CSL mappings
    (zotero_import.CSL_*): each CSL variable from the first of its fields the item has, or the type's own field
    for that base field (a Report's institution is the publisher, a book section's bookTitle the container-title);
    a one-field creator -> {"literal"}, else family/given; date -> issued, accessDate -> accessed (SAVED, the day
    of the save, for the "CURRENT_TIMESTAMP" Zotero stamps on a web save)."""
    item = zotero_import.saved(item)
    kind = item["itemType"]
    if kind not in zotero_import.CSL_TYPES:
        raise zotero_import.NotPorted(f"item type {kind!r}: not in zotero_import.CSL_TYPES")
    if item.get("extra"):
        raise zotero_import.NotPorted(f"Extra {item['extra']!r}: itemToCSLJSON reads it with extraToCSL, not ported")
    csl = {"id": "zotero", "type": zotero_import.CSL_TYPES[kind]}
    for variable, fields in zotero_import.CSL_TEXT.items():
        value = next((item.get(f) or item.get(zotero_import.field_of(kind, f) or "") for f in fields
                      if item.get(f) or item.get(zotero_import.field_of(kind, f) or "")), None)
        if value:
            quoted = value[0] == '"' and value.find('"', 1) == len(value) - 1
            csl[variable] = value[1:-1] if quoted else value   # enclosing quotes stripped
    for creator in item.get("creators", []):
        name = {"literal": creator["name"]} if "name" in creator else \
            {"family": creator["lastName"], "given": creator["firstName"]}
        csl.setdefault(zotero_import.CSL_NAMES[creator["creatorType"]], []).append(name)
    for variable, field in zotero_import.CSL_DATES.items():
        if item.get(field) == "CURRENT_TIMESTAMP":
            csl[variable] = {"date-parts": [[saved.year, saved.month, saved.day]]}
        elif item.get(field):
            match = re.fullmatch(r"(\d{4})(?:[-/](\d\d?)(?:[-/](\d\d?))?)?(?: \d\d:\d\d:\d\d)?", item[field])
            if not match:
                raise zotero_import.NotPorted(f"{field} {item[field]!r}: a date not in ISO form, not ported")
            csl[variable] = {"date-parts": [[int(part) for part in match.groups() if part]]}
    return csl


# --- what cite.js puts in (docs/javascripts/cite.js, filled) ------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def filled(text: str, root: str, day: dt.date) -> str:
    """A live template as cite.js fills it: the site's root as the reader sees it, today's date."""
    return (text.replace("[site URL]/", root)
            .replace("[date accessed]", f"{_MONTHS[day.month - 1]} {day.day}, {day.year}")
            .replace("[date, YYYY/MM/DD]", day.strftime("%Y/%m/%d")).replace("[date]", day.isoformat()))


# --- the routes of a built page ----------------------------------------------------------------------------------


@dataclass
class Route:
    where: str   # "/primer/external-risks/" or "/primer/external-risks/#anchor"
    state: str   # "without JavaScript" or "with JavaScript"
    name: str    # "CSL-JSON", "RIS", "BibTeX", "Zotero (COinS)", "Zotero (Embedded Metadata)", "Zotero (RIS import)", …
    format: str  # what citation-js reads: "csl", "ris", "bibtex"
    text: str
    page: dict   # the page's own strings: {"apa", "chicago"}

    @property
    def id(self) -> str:
        return f"{self.where} {self.state} {self.name}"


def zotero_import_route(where: str, state: str, name: str, fmt: str, text: str, page: dict, day: dt.date) -> Route:
    """A reader's Zotero importing TEXT (FMT "ris" or "bibtex") with its own translator (zotero_import: RIS.js,
    BibTeX.js), the items exported to CSL as Zotero's citeproc-js is given them (zotero_csl)."""
    items = zotero_import.ris_items(text, where) if fmt == "ris" else zotero_import.bibtex_items(text, where)
    return Route(where, state, name, "csl", json.dumps([zotero_csl(item, day) for item in items], ensure_ascii=False),
                 page)


def page_routes(site, path: str, day: dt.date) -> list[Route]:
    """Every route of one built page, without and with JavaScript."""
    page = read_page(site / path / "index.html")
    block = page.block
    assert block is not None, f"/{path}: no cite block"
    where = f"/{path}"
    code = dict(zip(["Chicago", "APA", "BibTeX", "RIS", "CSL-JSON"], block["code"]))
    static = {"apa": code["APA"].strip(), "chicago": code["Chicago"].strip()}
    routes = [Route(where, "without JavaScript", name, fmt, code[name], static)
              for name, fmt in (("CSL-JSON", "csl"), ("RIS", "ris"), ("BibTeX", "bibtex"))]
    routes += [zotero_import_route(where, "without JavaScript", f"Zotero ({name} import)", fmt, code[name], static, day)
               for name, fmt in (("RIS", "ris"), ("BibTeX", "bibtex"))]
    coins = coins_item(html.unescape(block["coins"][0])) if block["coins"] else None
    if coins is not None:   # the static COinS: a URL only when site_url is set, as the page's strings
        routes.append(Route(where, "without JavaScript", "Zotero (COinS)", "csl",
                            json.dumps([zotero_csl(from_coins(coins), day)], ensure_ascii=False), static))
    templates = json.loads(block["attrs"]["data-cite-templates"])
    root = ADDRESS
    live = {"apa": filled(templates["APA"], root, day).strip(), "chicago": filled(templates["Chicago"], root, day).strip()}
    routes += [Route(where, "with JavaScript", name, fmt, filled(templates[name], root, day), live)
               for name, fmt in (("CSL-JSON", "csl"), ("RIS", "ris"), ("BibTeX", "bibtex"))]
    routes += [zotero_import_route(where, "with JavaScript", f"Zotero ({name} import)", fmt,
                                   filled(templates[name], root, day), live, day)
               for name, fmt in (("RIS", "ris"), ("BibTeX", "bibtex"))]
    # Zotero's web save reads the page as the browser has it: the COinS cite.js wrote, the meta tags
    kev = "&".join(f"{name}={quote(filled(value, root, day), safe='')}" for name, value in templates["coins"])
    coins = coins_item(kev)
    if coins is not None:
        routes.append(Route(where, "with JavaScript", "Zotero (COinS)", "csl",
                            json.dumps([zotero_csl(from_coins(coins), day)], ensure_ascii=False), live))
    canonical = next((unquote(v) for v in page.meta.get("citation_public_url", [])), None) or filled("[site URL]/", root, day) + path
    embedded = embedded_item({k: [html.unescape(v) for v in vs] for k, vs in page.meta.items()}, canonical)
    routes.append(Route(where, "with JavaScript", "Zotero (Embedded Metadata)", "csl",
                        json.dumps([zotero_csl(embedded, day)], ensure_ascii=False), live))
    return routes


def section_routes(site, path: str, which: int, day: dt.date) -> list[Route]:
    """The routes of one section of a page (its cite panel is made by cite.js: with JavaScript only; its files);
    Zotero's web save from the section's address reads the COinS cite.js puts in (the section's)."""
    page = read_page(site / path / "index.html")
    sections = json.loads(page.block["attrs"]["data-cite-sections"])
    anchor, entry = list(sections.items())[which]
    where = f"/{path}#{anchor}"
    root = ADDRESS
    live = {style: filled(entry[style], root, day).strip() for style in STYLES}
    routes = [Route(where, "with JavaScript", "BibTeX", "bibtex", filled(entry["bibtex"], root, day), live),
              zotero_import_route(where, "with JavaScript", "Zotero (BibTeX import)", "bibtex",
                                  filled(entry["bibtex"], root, day), live, day)]
    # the section's RIS and CSL-JSON files (its panel links to them): the static record, as the page's own
    # formats without JavaScript; its strings are the CSL processor's rendering of that record
    files = {name: (site / file).read_text(encoding="utf-8") for name, file in entry.get("files", {}).items()}
    if files:
        item = json.loads(files["CSL-JSON"])[0]
        static = {style: cite.finish_rendered(text) for style, text in csl_render.render([item])[item["id"]].items()}
        routes += [Route(where, "its file (static)", name, fmt, files[name], static)
                   for name, fmt in (("CSL-JSON", "csl"), ("RIS", "ris"))]
        routes.append(zotero_import_route(where, "its file (static)", "Zotero (RIS import)", "ris", files["RIS"],
                                          static, day))
    templates = json.loads(page.block["attrs"]["data-cite-templates"])
    pairs = entry.get("coins") or templates["coins"]   # cite.js: the section's COinS while the address names it
    kev = "&".join(f"{name}={quote(filled(value, root, day), safe='')}" for name, value in pairs)
    coins = coins_item(kev)
    if coins is not None:
        routes.append(Route(where, "with JavaScript", "Zotero (COinS)", "csl",
                            json.dumps([zotero_csl(from_coins(coins), day)], ensure_ascii=False), live))
    return routes


def source_routes(keys, day: dt.date, bib=sc.BIB) -> list[Route]:
    """The routes of source documents (KEYS): what a reader takes from a "Cite this source" box (its BibTeX, as
    cite.js fills in the reader's access date; its RIS and CSL-JSON files, as the build writes them, with the
    build's day as the access date, DAY here) and the work's references.bib entry as written, read by citation-js
    and (BibTeX, RIS, the entry) imported by Zotero, each against the
    box's printed reference (not its in-text citation): with JavaScript, or for the files as the box prints it
    without (the build's day). The box prints source_templates' strings, the bibliography page the same rendering
    (test_source_citations)."""
    templates = sc.source_templates(list(keys), bib)   # one pandoc run
    files = source_downloads.downloads(list(keys), bib, day)
    text = bib.read_text(encoding="utf-8")
    routes = []
    for key in keys:
        printed = {style: filled(templates[key][style], ADDRESS, day) for style in STYLES}
        static = {style: cite.with_build_day(templates[key][style], day) for style in STYLES}
        entry = re.search(r"^@\w+\{" + re.escape(key) + r",.*?^\}", text, re.M | re.S).group(0)
        paths = source_downloads.files(key)
        routes += [Route(f"source {key}", "with JavaScript", "BibTeX (the box)", "bibtex",
                         filled(templates[key]["bibtex"], ADDRESS, day), printed),
                   Route(f"source {key}", "its file (static)", "RIS (the box)", "ris", files[paths["RIS"]], static),
                   Route(f"source {key}", "its file (static)", "CSL-JSON (the box)", "csl", files[paths["CSL-JSON"]],
                         static),
                   Route(f"source {key}", "with JavaScript", "references.bib", "bibtex", entry, printed),
                   zotero_import_route(f"source {key}", "with JavaScript", "Zotero (BibTeX import, the box)",
                                       "bibtex", filled(templates[key]["bibtex"], ADDRESS, day), printed, day),
                   zotero_import_route(f"source {key}", "its file (static)", "Zotero (RIS import, the box)", "ris",
                                       files[paths["RIS"]], static, day),
                   zotero_import_route(f"source {key}", "with JavaScript", "Zotero (references.bib import)",
                                       "bibtex", entry, printed, day)]
    return routes


def compare(routes: list[Route]) -> list[tuple[Route, str, str, str]]:
    """[(route, style, the route's string, the page's)] for every route and style."""
    rendered = citeproc_js([{"id": route.id, "format": route.format, "text": route.text} for route in routes])
    rows = []
    for route in routes:
        result = rendered[route.id]
        for style in STYLES:
            got = result.get(style, f"(citation-js could not read it: {result.get('error')})")
            rows.append((route, style, got, route.page[style]))
    return rows


def table(rows) -> str:
    """The table of matches: one line per place and state, a column per route and style."""
    names = list(dict.fromkeys(route.name for route, *_ in rows))
    lines = ["| page or section | state | " + " | ".join(f"{n} {s.upper() if s == 'apa' else 'Chicago'}"
                                                      for n in names for s in STYLES) + " |"]
    lines.append("|" + "---|" * (2 + 2 * len(names)))
    seen = {}
    for route, style, got, want in rows:
        seen.setdefault((route.where, route.state), {})[(route.name, style)] = "yes" if got == want else "NO"
    for (where, state), marks in seen.items():
        lines.append(f"| {where} | {state} | " + " | ".join(marks.get((n, s), "–") for n in names for s in STYLES) + " |")
    return "\n".join(lines)


@needs_citeproc_js
def test_citeproc_js_reads_each_format_and_renders_both_styles():
    """The harness itself: a record in each format gives the same string; a record that lacks a field gives
    another (the comparison can fail)."""
    record = {"id": "x", "type": "report", "title": "External risks", "author": [{"literal": "Primer contributors"}],
              "publisher": "Primer", "issued": {"date-parts": [[2026, 12, 5]]}, "URL": "https://example.org/x/"}
    ris = "TY  - RPRT\nAU  - Primer contributors\nTI  - External risks\nPB  - Primer\nPY  - 2026\nDA  - 2026/12/05\n" \
          "UR  - https://example.org/x/\nER  - "
    bibtex = "@manual{x,\n  author = {{Primer contributors}},\n  title = {External risks},\n  publisher = {Primer},\n" \
             "  year = {2026},\n  date = {2026-12-05},\n  url = {https://example.org/x/},\n}"
    no_url = dict(record)
    del no_url["URL"]
    out = citeproc_js([{"id": "csl", "format": "csl", "text": json.dumps([record])},
                       {"id": "ris", "format": "ris", "text": ris}, {"id": "bib", "format": "bibtex", "text": bibtex},
                       {"id": "less", "format": "csl", "text": json.dumps([no_url])},
                       {"id": "bad", "format": "csl", "text": "not json"}])
    assert out["csl"]["apa"] == "Primer contributors. (2026). External risks. Primer. https://example.org/x/"
    assert out["ris"]["apa"] == out["bib"]["apa"] == out["csl"]["apa"]
    assert out["csl"]["chicago"] == out["ris"]["chicago"] == out["bib"]["chicago"]
    assert out["less"]["apa"] != out["csl"]["apa"]
    assert "error" in out["bad"]


# Routes that cannot give the page's string, and why: each must still differ (when one starts to match, take it off)
_EMBEDDED = ("Embedded Metadata maps citation_series_title to `series`, a field a Report lacks, and no Highwire tag to "
             "a Report's seriesTitle: Zotero discards it (utilities_item.js itemToAPIJSON, 'field not valid for "
             "type'), so the reference lacks the series (test_embedded_metadata_loses_only_the_series); Zotero's "
             "default save reads the COinS first")
_NO_ACCESS_DATE = ("Zotero keeps no access date from COinS (from_coins), and an undated page (a build outside git) "
                   "is cited with one: APA's 'Retrieved <date>, from', Chicago's 'Accessed <date>'")
_BIBTEX_SERIES = ("APA only: Zotero's BibTeX import makes `@manual` a Book, whose series APA's style does not print "
                  "(it prints one for a report, a document or a standard), and no BibTeX type gives a Zotero Report "
                  "with its series (BibTeX.js maps `series` to Zotero's series, a field a Report lacks: seriesTitle "
                  "is its own, and `@report` would lose the series in Chicago too); the RIS (T2 -> seriesTitle) and "
                  "the COinS keep it. Chicago matches")
KNOWN_LIMITS = {
    ("page", "Zotero (Embedded Metadata)"): _EMBEDDED,
    ("undated page", "Zotero (Embedded Metadata)"): _EMBEDDED,
    ("undated page", "Zotero (COinS)"): _NO_ACCESS_DATE,
    ("undated section", "Zotero (COinS)"): _NO_ACCESS_DATE,
    ("page", "Zotero (BibTeX import)"): _BIBTEX_SERIES,
    ("undated page", "Zotero (BibTeX import)"): _BIBTEX_SERIES,
    ("section", "Zotero (BibTeX import)"): _BIBTEX_SERIES,
    ("undated section", "Zotero (BibTeX import)"): _BIBTEX_SERIES,
}


def _kind(route: Route) -> str:
    """"page" or "section", "undated …" when its citation has no date (n.d.)."""
    kind = "section" if "#" in route.where else "page"
    return f"undated {kind}" if " n.d. " in route.page["chicago"] else kind


def site_rows(site, day: dt.date) -> list[tuple[Route, str, str, str]]:
    """compare() of every route of PAGES and SECTIONS in the built SITE."""
    routes = [route for path in PAGES for route in page_routes(site, path, day)]
    routes += [route for path, which in SECTIONS for route in section_routes(site, path, which, day)]
    return compare(routes)


# the one style a route's limit is for, where the other must match
LIMIT_STYLES = {"Zotero (BibTeX import)": "apa"}


def unexplained(rows) -> list[str]:
    """The strings of ROWS that differ from the page's where KNOWN_LIMITS gives no reason (for that style:
    LIMIT_STYLES), each with both."""
    return [f"{route.id}, {style}:\n  route: {got}\n  page:  {want}" for route, style, got, want in rows
            if got != want and ((_kind(route), route.name) not in KNOWN_LIMITS
                                or LIMIT_STYLES.get(route.name, style) != style)]


@needs_citeproc_js
def test_the_pages_title_case_is_citeproc_js_title_case():
    """Chicago's title case as the page prints it (pandoc's citeproc) and as a reader's reference manager does
    (citeproc-js): the same, "under" and the other words pandoc alone capitalises kept lowercase; the first and
    last word, and a word after a colon, capitalised by both."""
    titles = ["Li on China’s two-way internationalisation under dual circulation", "Trade within and across borders",
              "Growth without demand: under the surface", "What lies beneath", "Risks (under review) compared",
              "Before and after the plan"]
    records = [{"id": f"t{n}", "type": "report", "title": title, "author": [{"literal": "A"}]}
               for n, title in enumerate(titles)]
    pandoc = csl_render.render(records)
    js = citeproc_js([{"id": r["id"], "format": "csl", "text": json.dumps([r])} for r in records])
    assert [pandoc[r["id"]]["chicago"] for r in records] == [js[r["id"]]["chicago"] for r in records]
    assert "Internationalisation under Dual Circulation" in pandoc["t0"]["chicago"]
    assert "Growth without Demand: Under the Surface" in pandoc["t2"]["chicago"]
    assert all("nocase" not in text for texts in pandoc.values() for text in texts.values())


@needs_citeproc_js
def test_every_route_gives_the_string_the_page_prints(built_site):
    """For three pages, the bibliography and two sections: each route (CSL-JSON, RIS and BibTeX imported by
    citation-js; RIS and BibTeX imported by Zotero; Zotero's web save, by COinS and by Embedded Metadata) rendered
    by citeproc-js equals the page's APA and Chicago, but for KNOWN_LIMITS, which must still differ."""
    rows = site_rows(built_site, dt.date.today())
    wrong = unexplained(rows)
    kinds = {_kind(route) for route, *_ in rows}
    fixed = sorted({f"{kind} {name}" for kind, name in KNOWN_LIMITS if kind in kinds}
                   - {f"{_kind(route)} {route.name}" for route, style, got, want in rows if got != want})
    assert not wrong, f"{len(wrong)} of {len(rows)} strings differ from the page's:\n" + "\n".join(wrong) + \
        "\n\n" + table(rows)
    assert not fixed, f"these routes now give the page's string: take them off KNOWN_LIMITS: {fixed}"
    assert {route.name for route, *_ in rows} >= {"CSL-JSON", "RIS", "BibTeX", "Zotero (COinS)", "Zotero (RIS import)",
                                                  "Zotero (BibTeX import)"}


@needs_citeproc_js
def test_embedded_metadata_loses_only_the_series(built_site):
    """The Embedded Metadata limit is the series alone: its item with the series put back gives the page's
    strings (the author, "Name," in citation_author, is kept whole)."""
    day = dt.date.today()
    routes = [route for path in PAGES for route in page_routes(built_site, path, day)
              if route.name == "Zotero (Embedded Metadata)"]
    for route in routes:
        page = read_page(built_site / route.where.strip("/") / "index.html")
        item = json.loads(route.text)[0]
        assert "collection-title" not in item and item["author"] == [{"literal": page.meta["citation_author"][0][:-1]}]
        item["collection-title"] = html.unescape(page.meta["citation_series_title"][0])
        route.text = json.dumps([item], ensure_ascii=False)
    rows = compare(routes)
    wrong = [f"{route.id}, {style}:\n  route: {got}\n  page:  {want}" for route, style, got, want in rows if got != want]
    assert len(rows) == 2 * len(PAGES) and not wrong, "\n".join(wrong)


@needs_citeproc_js
def test_every_route_of_a_published_page_gives_the_string_the_page_prints(published_site):
    """The same with site_url set (a published edition): the static formats carry the URL and the build's day, the
    COinS its rft_id, so a reader without JavaScript gets the same reference from every route too."""
    rows = site_rows(published_site, dt.date.today())
    wrong = unexplained(rows)
    assert not wrong, "\n".join(wrong) + "\n\n" + table(rows)
    static = [route for route, *_ in rows if route.state != "with JavaScript"]
    assert static and all("https://primer.example.org/" in route.page["apa"] for route in static)


# A source's routes that cannot give the box's string, and why ((key, route, style): reason); each must still differ
_SUBTYPE = ("citation-js reads biblatex's `entrysubtype = {newspaper}` as the CSL genre (APA '[Newspaper]', Chicago "
            "'Newspaper.'), where pandoc reads it as the type article-newspaper (test_references holds it), whose genre "
            "neither style prints; Zotero's import ignores the field (a journal article), and gives the box's string")
_REPORTER = ("citation-js reads a NEWS record's AU as the reporter, as its table of the RIS specification has it, "
             "which neither style prints as the author; the file writes AU, the author tag every RIS reader knows, "
             "and Zotero's import reads as the author (the box's string)")
_NO_URLDATE = ("the entry records no access date (the primer did not record when it read the page, and never invents "
               "one); the box's BibTeX carries the reader's, which the box's reference prints (APA 'Retrieved <date>, "
               "from', Chicago 'Accessed <date>')")
SOURCE_LIMITS = {
    ("zhaondinnovative", "BibTeX (the box)", "apa"): _SUBTYPE,
    ("zhaondinnovative", "BibTeX (the box)", "chicago"): _SUBTYPE,
    ("zhaondinnovative", "references.bib", "apa"): f"{_SUBTYPE}; and {_NO_URLDATE}",
    ("zhaondinnovative", "references.bib", "chicago"): f"{_SUBTYPE}; and {_NO_URLDATE}",
    ("zhaondinnovative", "RIS (the box)", "apa"): _REPORTER,
    ("zhaondinnovative", "RIS (the box)", "chicago"): _REPORTER,
    ("chinesedreamndinternal", "references.bib", "apa"): _NO_URLDATE,
    ("chinesedreamndinternal", "references.bib", "chicago"): _NO_URLDATE,
    ("zhaondinnovative", "Zotero (references.bib import)", "apa"): _NO_URLDATE,
    ("zhaondinnovative", "Zotero (references.bib import)", "chicago"): _NO_URLDATE,
    ("chinesedreamndinternal", "Zotero (references.bib import)", "apa"): _NO_URLDATE,
    ("chinesedreamndinternal", "Zotero (references.bib import)", "chicago"): _NO_URLDATE,
}


def _source_mismatches(rows) -> tuple[list[str], list[tuple]]:
    """(the differences SOURCE_LIMITS does not explain, the limits that no longer differ)."""
    wrong, differ = [], set()
    for route, style, got, want in rows:
        limit = (route.where.removeprefix("source "), route.name, style)
        if got != want:
            differ.add(limit)
            if limit not in SOURCE_LIMITS:
                wrong.append(f"{route.id}, {style}:\n  route: {got}\n  box:   {want}")
    return wrong, sorted(set(SOURCE_LIMITS) - differ)


@needs_citeproc_js
def test_every_route_of_a_source_gives_the_reference_its_box_prints():
    """For the four source documents: the box's BibTeX, RIS and CSL-JSON and the references.bib entry, imported by
    citation-js, and the box's BibTeX and RIS and the entry imported by Zotero, rendered in APA and Chicago, equal
    the box's printed reference, but for SOURCE_LIMITS, which must still differ."""
    rows = compare(source_routes(SOURCES, dt.date.today()))
    wrong, fixed = _source_mismatches(rows)
    assert not wrong, f"{len(wrong)} of {len(rows)} strings differ from the box's:\n" + "\n".join(wrong) + \
        "\n\n" + table(rows)
    assert not fixed, f"these routes now give the box's string: take them off SOURCE_LIMITS: {fixed}"
    assert len(rows) == len(SOURCES) * 7 * len(STYLES)


@needs_citeproc_js
def test_a_source_title_in_title_case_is_found(tmp_path):
    """The comparison can fail: Li's title written in title case (as the .bib had it) keeps its capitals in
    citeproc-js's APA, where the box (pandoc's citeproc) prints it in sentence case."""
    bib = tmp_path / "references.bib"
    bib.write_text(sc.BIB.read_text(encoding="utf-8").replace(
        "{Research on the synergistic development of", "{Research on the Synergistic Development of", 1), encoding="utf-8")
    rows = compare(source_routes(["li2025twoway"], dt.date.today(), bib))
    wrong, _ = _source_mismatches(rows)
    # (the box's RIS and CSL-JSON files carry the record as pandoc reads it, so they agree with the box; Zotero's
    # BibTeX import keeps the title as written, as citation-js does)
    assert [line.split(":")[0] for line in wrong] == [
        "source li2025twoway with JavaScript BibTeX (the box), apa",
        "source li2025twoway with JavaScript references.bib, apa",
        "source li2025twoway with JavaScript Zotero (BibTeX import, the box), apa",
        "source li2025twoway with JavaScript Zotero (references.bib import), apa"], wrong


def main() -> int:
    """python tests/test_routes.py SITE: the table of matches of a built site (for the issue's before/after)."""
    import sys
    from pathlib import Path
    site = Path(sys.argv[1])
    day = dt.date.today()
    rows = site_rows(site, day)
    print(table(rows))
    sources = compare(source_routes(SOURCES, day))
    print("\n" + table(sources))
    rows += sources
    if "-v" in sys.argv:
        for route, style, got, want in rows:
            if got != want:
                print(f"\n{route.id}, {style}:\n  route: {got}\n  page:  {want}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
