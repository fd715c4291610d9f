"""How to cite a page or a section of the primer, in every format, from one CSL-JSON record; and a source.

    python -m primer.site.citation_formats docs/primer/domestic-circulation.md   # that page's citation, every format
    python -m primer.site.citation_formats --dates                               # first published / last revised, per page

`record(site, page, live=…, section=…)` is the page's (or an h2/h3 section's) citation as ONE CSL-JSON
item: a report in the primer's series (`collection-title` = site_name), by the corporate author kept
whole (`{"literal": extra.primer.author}`), issued at the page's last revision, with `publisher`
(extra.primer.institution, a report's institution), `URL` and `language`. No `version`: a Zotero Report
has no field for it, so a reader who saved the page would cite it without; the edition is in the URL
instead (a published edition lives at …/0.1.0/…, mike's folder), the same whichever way the page is taken. `cite(site, page)` derives every format from it: APA and Chicago rendered by a CSL
processor with the official styles (primer.site.csl_render: pandoc's citeproc), BibTeX (@manual), RIS
(RPRT), CSL-JSON, COinS and the meta tags (Highwire `citation_*`, Dublin Core, Open Graph), field by
field (to_bibtex, to_ris, to_coins, to_meta); `render_block` writes the "Cite this page" block.
tests/test_cite.py checks every built page and section against its record.

Two records per page. The static one (`static_record`) is what the HTML says without JavaScript: with
site_url set (the publishing workflow sets it from PRIMER_SITE_URL) its URL and the build's day as the access
date (build_day: SOURCE_DATE_EPOCH, else today), without it neither; never a placeholder. The live one
(in the block's data-cite-templates, and each section's in data-cite-sections) is what docs/javascripts/cite.js
completes: SITE_URL_PLACEHOLDER + the page's path while site_url is unset, and an access date printed as a
placeholder (ACCESSED_PLACEHOLDER, ISO; ACCESSED_LONG_PLACEHOLDER in APA and Chicago; RIS_ACCESSED_PLACEHOLDER
in RIS) for the reader's date.

A source document (a work of references.bib) is cited by primer.site.source_citations.

`git_dates(docs_dir)` reads the first-published and last-revised date of every file under
docs/ from one `git log`; outside a git checkout it returns None and pages say so. No date
is ever invented. No MkDocs import: primer.build.stages.cite is the MkDocs side.
"""
from __future__ import annotations

from primer import ROOT

import argparse
import datetime as dt
import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SITE_URL_PLACEHOLDER = "[site URL]/"  # cite.js replaces it with the site's address as the reader sees it
ACCESSED_PLACEHOLDER = "[date]"  # cite.js replaces it with the reader's date, YYYY-MM-DD
ACCESSED_LONG_PLACEHOLDER = "[date accessed]"  # in APA and Chicago: the reader's date as "December 6, 2026"
RIS_ACCESSED_PLACEHOLDER = "[date, YYYY/MM/DD]"  # in RIS: the reader's date in RIS's form
KEY_PREFIX = "dcprimer"

# What a page shows for a date that is not known; never a made-up date.
NOT_COMMITTED = "not yet committed"
NO_GIT = "not recorded (built outside a git checkout)"
SHALLOW = "not recorded (shallow git clone)"
GENERATED = "generated at build time"


class MetadataError(ValueError):
    """Site metadata missing or malformed; the message says where and how to fix it."""


@dataclass(frozen=True)
class Site:
    title: str  # mkdocs.yml site_name
    title_sentence_case: str  # the same title as APA writes it
    author: str  # a corporate author
    institution: str  # the report's issuer: the project itself
    version: str
    url: str | None = None  # site_url (absolute), or None while the primer has no public home
    language: str = "en"

    @classmethod
    def from_config(cls, site_name, site_url, extra, language="en", source="mkdocs.yml") -> Site:
        primer = (extra or {}).get("primer") or {}
        version = primer.get("version")
        missing = [f"extra.primer.{name}" for name in ("title_sentence_case", "author", "institution")
                   if not primer.get(name)] + ([] if version else ["extra.primer.version"])
        if missing:
            raise MetadataError(f"{source}: {', '.join(missing)} not set; the citation of every page is "
                                "built from them (see extra.primer in mkdocs.yml)")
        if primer["title_sentence_case"].casefold() != site_name.casefold():
            raise MetadataError(f"{source}: extra.primer.title_sentence_case {primer['title_sentence_case']!r} "
                                f"is not site_name {site_name!r} in sentence case; make them the same title")
        url = str(site_url).strip() if site_url else None
        if url and not re.match(r"^https?://[^/]+", url):
            raise MetadataError(f"{source}: site_url {url!r} is not an absolute http(s) URL")
        if url and not url.endswith("/"):
            url += "/"
        return cls(title=site_name, title_sentence_case=primer["title_sentence_case"], author=primer["author"],
                   institution=primer["institution"], version=str(version), url=url, language=language or "en")


@dataclass(frozen=True)
class Dates:
    first: str | None  # first published: date of the commit that added the page (YYYY-MM-DD)
    last: str | None  # last revised: date of the last commit that changed it
    unknown: str = NOT_COMMITTED  # what to show for a date that is None

    def shown(self, which: str) -> str:
        return getattr(self, which) or self.unknown


@dataclass(frozen=True)
class Page:
    title: str
    path: str  # URL path from the site's root: "" for the home page, "primer/domestic-circulation/"
    description: str = ""
    dates: Dates = field(default_factory=lambda: Dates(None, None))


# --- small formatting helpers --------------------------------------------------------------

_MINOR_WORDS = {  # Chicago headline style: articles, prepositions, and/but/for/or/nor, to, as
    "a", "an", "the", "and", "but", "or", "for", "nor", "as", "to", "at", "by", "in", "of", "off", "on",
    "per", "up", "via", "with", "from", "into", "onto", "over", "under", "upon", "about", "after",
    "against", "among", "around", "before", "between", "during", "through", "toward", "towards",
    "within", "without",
}
_WORD_RE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.UNICODE)


def headline_case(title: str) -> str:
    """Chicago's headline style. Only lowercase ASCII words change, so proper nouns, acronyms,
    Chinese and domain names ("chinesedream.earth") stay as written."""
    words = title.split(" ")
    out, after_colon = [], True
    for index, word in enumerate(words):
        lead, core, trail = _WORD_RE.match(word).groups()
        last = index == len(words) - 1
        parts = core.split("-")
        for i, part in enumerate(parts):
            if not re.fullmatch(r"[a-z][a-z']*", part):
                continue  # capitals, digits, dots or non-ASCII: leave it
            first_of_word = i == 0
            if (after_colon and first_of_word) or (last and i == len(parts) - 1) or part not in _MINOR_WORDS:
                parts[i] = part[0].upper() + part[1:]
        out.append(lead + "-".join(parts) + trail)
        after_colon = trail.endswith(":") or (not core and after_colon)
    return " ".join(out)


def _long_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _bibtex_text(text: str) -> str:
    text = re.sub(r"([&%$#_])", r"\\\1", " ".join(text.split()))
    return text.replace("{", "").replace("}", "")


def _bibtex_title(text: str) -> str:
    """Brace every word holding a capital, so a style that lowercases titles keeps it."""
    return " ".join("{" + word + "}" if re.search(r"[A-Z]", word) else word for word in _bibtex_text(text).split(" "))


def page_key(path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower().removesuffix(".html")).strip("-")
    return f"{KEY_PREFIX}-{slug or 'home'}"


def page_url(site: Site, path: str) -> str:
    return (site.url or SITE_URL_PLACEHOLDER) + path


def site_root(path: str) -> str:
    """The site's root relative to the page at `path` ("../../" from "primer/x/")."""
    return "../" * path.count("/") or "./"


# --- the record: one CSL-JSON item per page and per section --------------------------------


@dataclass(frozen=True)
class Section:
    """An h2 or h3 of a page: its number as the page shows it (2, 2.1), its heading, its anchor."""
    number: str
    heading: str
    anchor: str


def record(site: Site, page: Page, *, live: bool, section: Section | None = None) -> dict:
    """The page's (or section's) citation as one CSL-JSON item: a report in a series, by a corporate
    author kept whole, with institution, URL and language (no version: see the module's docstring). Every
    format is derived from it.

    `live`: the record the reader's browser completes: its URL carries SITE_URL_PLACEHOLDER while
    site_url is unset, and it has an access date (_SENTINEL, which the formats print as a placeholder).
    Not live: the URL only when site_url makes it absolute, no access date (static_record adds the build's day)."""
    key = page_key(page.path) + (f"-s{section.number.replace('.', '-')}" if section else "")
    title = " ".join(page.title.split())
    if section:
        title = f"{title}, section {section.number}: {' '.join(section.heading.split())}"
    item = {"id": key, "type": "report", "title": title, "author": [{"literal": site.author}],
            "publisher": site.institution, "collection-title": site.title}
    if page.dates.last:
        item["issued"] = {"date-parts": [[int(part) for part in page.dates.last.split("-")]]}
    if live or site.url:
        item["URL"] = page_url(site, page.path) + (f"#{section.anchor}" if section else "")
    if live:
        item["accessed"] = {"date-parts": [list(_SENTINEL)]}
    description = " ".join(page.description.split())
    if description and not section:
        item["abstract"] = description
    item["language"] = site.language
    return item


_SENTINEL = (1900, 1, 1)  # the access date the processor is given; each format prints a placeholder for it
_SENTINEL_LONG = "January 1, 1900"  # as APA and Chicago (en-US) render it


def _iso(item: dict, name: str) -> str | None:
    parts = (item.get(name) or {}).get("date-parts")
    if not parts:
        return None
    if tuple(parts[0]) == _SENTINEL:
        return ACCESSED_PLACEHOLDER
    return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts[0]))


def finish_rendered(text: str) -> str:
    """A processor's rendering with the access date as the placeholder cite.js fills in."""
    return text.replace(_SENTINEL_LONG, ACCESSED_LONG_PLACEHOLDER)


def _author(item: dict) -> str:
    return "; ".join(a.get("literal") or f"{a.get('family', '')}, {a.get('given', '')}" for a in item["author"])


def _highwire_authors(item: dict) -> list[str]:
    """One citation_author per author, each inverted ("Family, Given"); an organisation as "Name," (the inverted
    form with no given name). Highwire readers take "Last, First" apart at the comma: Zotero's Embedded Metadata
    (cleanAuthor with useComma) keeps "Name," whole as one name, where it splits an uninverted "Dual Circulation
    Primer contributors" at its last space (lastName "contributors")."""
    return [f"{a['literal']}," if a.get("literal") else f"{a.get('family', '')}, {a.get('given', '')}"
            for a in item["author"]]


def to_bibtex(item: dict) -> str:
    """@manual, field by field from the record (biblatex's date, urldate, language). @manual, not @techreport:
    biblatex's report has no series (biber: "Invalid field 'series' for entrytype 'report'", and the series is
    dropped), its manual has series and publisher; citation.js reads @manual as a CSL report."""
    date = _iso(item, "issued")
    fields = [
        ("author", "{" + _bibtex_text(_author(item)) + "}"),  # braced: a corporate author, not a person
        ("title", _bibtex_title(item["title"])),
        ("publisher", _bibtex_text(item["publisher"])),
        ("series", _bibtex_text(item["collection-title"])),
        ("year", date[:4] if date else None),
        ("date", date),
        ("url", item.get("URL")),
        ("urldate", _iso(item, "accessed")),
        ("language", item.get("language")),
        ("abstract", _bibtex_text(item.get("abstract") or "") or None),
    ]
    width = max(len(name) for name, _ in fields)
    return "\n".join([f"@manual{{{item['id']},"]
                     + [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields if value] + ["}"])


def to_ris(item: dict) -> str:
    """RIS (RPRT), every date in RIS's own form YYYY/MM/DD."""
    date = _iso(item, "issued")
    accessed = _iso(item, "accessed")
    lines = [("TY", "RPRT"), ("AU", _author(item)), ("TI", item["title"]), ("T2", item["collection-title"]),
             ("PB", item["publisher"]), ("PY", date[:4] if date else None),
             ("DA", date.replace("-", "/") if date else None), ("UR", item.get("URL")),
             ("Y2", _ris_accessed(accessed)), ("LA", item.get("language")),
             ("AB", item.get("abstract"))]
    return "\n".join(f"{tag}  - {value}" for tag, value in lines if value) + "\nER  - "


def _ris_accessed(accessed: str | None) -> str | None:
    if accessed == ACCESSED_PLACEHOLDER:
        return RIS_ACCESSED_PLACEHOLDER
    return accessed.replace("-", "/") if accessed else None


def to_csl_json(item: dict) -> str:
    shown = dict(item)
    if _iso(item, "accessed") == ACCESSED_PLACEHOLDER:
        shown["accessed"] = {"raw": ACCESSED_PLACEHOLDER}
    return json.dumps([shown], ensure_ascii=False, indent=2)


def coins_pairs(item: dict) -> list[tuple[str, str]]:
    """COinS (Z39.88 KEV, book format, genre report), as read by Zotero's COinS translator
    (zotero/utilities openurl.js parseContextObject): rft.btitle the title, rft.aucorp a corporate
    author, rft.pub the institution, rft.series the series, rft.date, rft.language, rft_id the URL
    (which gives the item its URL and access date)."""
    kev = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", "report"),
           ("rft.btitle", item["title"]), ("rft.aucorp", _author(item)), ("rft.pub", item["publisher"]),
           ("rft.series", item["collection-title"]),
           ("rft.date", _iso(item, "issued")), ("rft.language", item.get("language")),
           ("rft.description", item.get("abstract")), ("rft_id", item.get("URL"))]
    return [(name, value) for name, value in kev if value]


def to_coins(item: dict) -> str:
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in coins_pairs(item))


def to_meta(item: dict) -> list[tuple[str, str, str]]:
    """Highwire Press citation_* (Zotero's Embedded Metadata makes a Report of a page with
    citation_technical_report_institution), Dublin Core and Open Graph, from the static record."""
    date = _iso(item, "issued")
    url = item.get("URL")
    author, title, abstract = _author(item), item["title"], item.get("abstract")
    meta = [("name", "citation_title", title)] + [("name", "citation_author", name) for name in _highwire_authors(item)]
    if date:
        meta.append(("name", "citation_publication_date", date.replace("-", "/")))
    meta += [("name", "citation_technical_report_institution", item["publisher"]),
             ("name", "citation_series_title", item["collection-title"]),
             ("name", "citation_language", item["language"])]
    if abstract:
        meta.append(("name", "citation_abstract", abstract))
    if url:
        meta.append(("name", "citation_public_url", url))
    meta += [("name", "DC.title", title), ("name", "DC.creator", author)]
    if date:
        meta.append(("name", "DC.date", date))
    meta += [("name", "DC.type", "report"), ("name", "DC.publisher", item["publisher"]),
             ("name", "DC.language", item["language"])]
    if abstract:
        meta.append(("name", "DC.description", abstract))
    if url:
        meta.append(("name", "DC.identifier", url))
    meta += [("property", "og:type", "website"), ("property", "og:title", title),
             ("property", "og:site_name", item["collection-title"])]
    if abstract:
        meta.append(("property", "og:description", abstract))
    if url:
        meta.append(("property", "og:url", url))
    return meta


# --- the citation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    key: str
    url: str  # the live URL (SITE_URL_PLACEHOLDER + path while site_url is unset)
    absolute: bool  # False: the static formats carry no URL; cite.js adds the reader's address
    chicago: str  # the static formats: what the HTML says without JavaScript
    apa: str
    bibtex: str
    ris: str
    csl_json: str
    meta: list[tuple[str, str, str]]  # (attribute, name, content): <meta {attribute}="{name}" content="…">
    coins: str  # the COinS span's title (not yet HTML-escaped)
    record: dict  # the static CSL-JSON record
    live_record: dict  # the record cite.js completes (URL, access date)
    templates: dict  # the live formats, with placeholders: {label: text}, "coins": [(name, value)]


def _render(records: list[dict], render) -> dict[str, dict[str, str]]:
    if render is None:
        from primer.site import csl_render

        render = csl_render.render
    return {key: {style: finish_rendered(text) for style, text in texts.items()}
            for key, texts in render(records).items()}


def cite(site: Site, page: Page, render=None) -> Citation:
    """The page's citation in every format. `render(records) -> {id: {"apa", "chicago"}}` is the CSL
    processor (primer.site.csl_render.render, pandoc's citeproc, by default); primer.build.stages.cite passes one that
    defers every page's and section's records to a single run for the whole build."""
    static, live = static_record(site, page), record(site, page, live=True)
    static["id"] += "-static"
    rendered = _render([static, live], render)
    static["id"] = live["id"]
    templates = {"Chicago": rendered[live["id"]]["chicago"], "APA": rendered[live["id"]]["apa"],
                 "BibTeX": to_bibtex(live), "RIS": to_ris(live), "CSL-JSON": to_csl_json(live),
                 "coins": coins_pairs({k: v for k, v in live.items() if k != "accessed"})}
    return Citation(key=live["id"], url=live["URL"], absolute=site.url is not None,
                    chicago=rendered[live["id"] + "-static"]["chicago"], apa=rendered[live["id"] + "-static"]["apa"],
                    bibtex=to_bibtex(static), ris=to_ris(static), csl_json=to_csl_json(static),
                    meta=to_meta(static), coins=to_coins(static), record=static, live_record=live,
                    templates=templates)


def static_record(site: Site, page: Page, section: Section | None = None, day: dt.date | None = None) -> dict:
    """What a reader without JavaScript copies (or downloads): with site_url set, the URL and the build's day as
    the access date (cite.js puts in the reader's day), never a placeholder; without it, neither."""
    item = record(site, page, live=False, section=section)
    if site.url:
        day = day or build_day()
        item["accessed"] = {"date-parts": [[day.year, day.month, day.day]]}
    return item


DOWNLOADS = "cite"  # the folder, under the site's root, of each section's RIS and CSL-JSON file


def section_files(site: Site, page: Page, section: Section) -> dict[str, str]:
    """{"RIS": path, "CSL-JSON": path}: where the section's files are, from the site's root."""
    key = record(site, page, live=False, section=section)["id"]
    return {"RIS": f"{DOWNLOADS}/{key}.ris", "CSL-JSON": f"{DOWNLOADS}/{key}.json"}


def section_downloads(site: Site, page: Page, sections: list[Section]) -> dict[str, str]:
    """{path from the site's root: text}: each section's RIS and CSL-JSON file, what a reference manager imports
    on click, from the section's static record (its own title; with site_url, its fragment URL and the build's
    day as the access date)."""
    out = {}
    for section in sections:
        item, paths = static_record(site, page, section), section_files(site, page, section)
        out[paths["RIS"]], out[paths["CSL-JSON"]] = to_ris(item) + "\n", to_csl_json(item) + "\n"
    return out


def section_citations(site: Site, page: Page, sections: list[Section], render=None) -> dict[str, dict]:
    """{anchor: {number, heading, url, apa, chicago, bibtex, coins, files}} for each section of the page, from
    each section's live record (cite.js fills in the address and the access date); `coins`: what cite.js puts
    into the COinS span while the address names the section, so that Zotero saves the section; `files`: its
    RIS and CSL-JSON files (section_downloads), by format."""
    records = [record(site, page, live=True, section=section) for section in sections]
    rendered = _render(records, render) if records else {}
    return {section.anchor: {"number": section.number, "heading": section.heading, "url": item["URL"],
                             "apa": rendered[item["id"]]["apa"], "chicago": rendered[item["id"]]["chicago"],
                             "bibtex": to_bibtex(item),
                             "coins": coins_pairs({k: v for k, v in item.items() if k != "accessed"}),
                             "files": section_files(site, page, section)}
            for section, item in zip(sections, records)}


# --- the access date of what a reader copies ----------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def build_day() -> dt.date:
    """The day of this build (SOURCE_DATE_EPOCH when it is set, as for a reproducible build)."""
    import os
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch and epoch.isdigit() else dt.date.today()


def with_build_day(text: str, day: dt.date | None = None) -> str:
    """TEXT with its access-date placeholders as the build's day, written as each format writes a date: what a
    reader without JavaScript copies holds no placeholder (cite.js puts in the reader's own day)."""
    day = day or build_day()
    return (text.replace(ACCESSED_LONG_PLACEHOLDER, f"{_MONTHS[day.month - 1]} {day.day}, {day.year}")
            .replace(RIS_ACCESSED_PLACEHOLDER, day.strftime("%Y/%m/%d")).replace(ACCESSED_PLACEHOLDER, day.isoformat()))


# --- the block at the end of every page -------------------------------------------------------


def _fence(text: str, indent: str) -> str:
    body = "\n".join(indent + line for line in text.split("\n"))
    return f"{indent}```text\n{body}\n{indent}```"


def _date_html(dates: Dates, which: str) -> str:
    value = getattr(dates, which)
    return f'<time datetime="{value}">{value}</time>' if value else dates.unknown


SECTIONS_ATTRIBUTE = "data-cite-sections"  # filled by primer.build.stages.cite once the page's headings are known


def render_block(site: Site, page: Page, citation: Citation, footnotes: bool = False) -> str:
    """The Markdown appended to the page: dates, the COinS span, and a "Cite this page" box
    with one tab per format (each a code block, which Material gives a copy button).
    The tabs hold the static formats; data-cite-templates the live ones, which cite.js fills in.
    With `footnotes` (the page has some), they are placed above the box, not below it."""
    attrs = {
        "class": "cite-block", "data-page-path": page.path, "data-site-root": site_root(page.path),
        "data-cite-url": citation.url, "data-cite-templates": json.dumps(citation.templates, ensure_ascii=False),
        SECTIONS_ATTRIBUTE: "{}",
    }
    opening = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attrs.items())
    tabs = [("Chicago", citation.chicago), ("APA", citation.apa), ("BibTeX", citation.bibtex),
            ("RIS", citation.ris), ("CSL-JSON", citation.csl_json)]
    lines = [""]
    if footnotes:  # Python-Markdown's footnotes marker: the page's references stay above the box
        lines += ["///Footnotes Go Here///", ""]
    lines += [
        f"<section {opening} data-search-exclude=\"\" markdown>",  # a <section>: Material's search
        # exclusion ends at the first closing tag of the same name, and the block holds <div>s
        "",
        f"Last revised: {_date_html(page.dates, 'last')}; first published: {_date_html(page.dates, 'first')}. "
        f'Version {html.escape(site.version)} of the primer. '
        f'<span class="Z3988" title="{html.escape(citation.coins, quote=True)}"></span>',
        "",
        '???+ quote "Cite this page"',
        "",
    ]
    for label, text in tabs:
        lines += [f'    === "{label}"', "", _fence(text, "        "), ""]
    help_text = ("To cite one section, use the *cite* button beside its heading. Your browser adds today's date "
                 "as the access date")
    if citation.absolute:
        help_text += ("; without JavaScript the access date is the day this copy was built: make it the day you "
                      "read the page.")
    else:
        help_text += (" and the address you are reading the page at. Without JavaScript the citations carry "
                      "neither, since this copy of the primer has no public address: add the address and "
                      "the date you read it.")
    lines += [f"    {help_text}", "", "</section>", ""]
    return "\n".join(lines)


# --- dates from git ---------------------------------------------------------------------------


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd,
                                capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def git_dates(docs_dir: str | Path) -> tuple[dict[str, Dates], str]:
    """({path relative to docs_dir: Dates}, what to show for a page not in the map).

    One `git log` over docs_dir, newest commit first, following renames: first published is
    the oldest commit touching the file, last revised the newest (committer dates, %cs).
    Outside a git checkout (a source tarball) the map is empty and pages say the dates were
    not recorded; in a shallow clone the oldest commit is not the first, so first published
    is not recorded either."""
    docs_dir = Path(docs_dir)
    state = _git(["rev-parse", "--is-inside-work-tree", "--is-shallow-repository"], docs_dir)
    if state is None or not state.startswith("true"):
        return {}, NO_GIT
    shallow = state.split()[-1] == "true"
    log = _git(["log", "--format=%x00%cs", "--name-status", "-M", "--relative", "--", "."], docs_dir)
    if log is None:  # e.g. a repository without commits
        return {}, NOT_COMMITTED
    spans: dict[str, list[str]] = {}
    renamed: dict[str, str] = {}  # an older name -> the file's current name
    date = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            date = line[1:]
            continue
        if not line.strip():
            continue
        status, *paths = line.split("\t")
        if status.startswith(("R", "C")) and len(paths) == 2:
            old, new = paths
            current = renamed.get(new, new)
            if status.startswith("R"):
                renamed[old] = current
        else:
            current = renamed.get(paths[0], paths[0])
        span = spans.setdefault(current, [date, date])
        span[0], span[1] = min(span[0], date), max(span[1], date)
    result = {path: Dates(None if shallow else first, last, SHALLOW if shallow else NOT_COMMITTED)
              for path, (first, last) in spans.items()}
    return result, NOT_COMMITTED


def whole_dates(dates: dict[str, Dates], unknown: str) -> Dates:
    """The dates of what gathers every page (the print edition and its PDF): first published
    when the first page was, last revised at the latest revision of any page. A date no page has
    is unknown for the pages' own reason (a shallow clone, say), else for `unknown`'s."""
    firsts = [d.first for d in dates.values() if d.first]
    lasts = [d.last for d in dates.values() if d.last]
    reason = next((d.unknown for d in dates.values()
                   if (not firsts and d.first is None) or (not lasts and d.last is None)), unknown)
    return Dates(min(firsts) if firsts else None, max(lasts) if lasts else None, reason)


# --- command line ---------------------------------------------------------------------------


def load_site(root: Path) -> Site:
    from primer.build import mkdocs_yml  # scripts/primer/build/mkdocs_yml.py: mkdocs.yml as MkDocs reads it, !ENV included

    config = mkdocs_yml.read(root)
    return Site.from_config(config["site_name"], config.get("site_url"), config.get("extra"),
                            (config.get("theme") or {}).get("language", "en"))


def _front_matter(text: str) -> dict:
    import yaml

    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def url_path(src: str) -> str:
    """A page's URL path from its path under docs/ (MkDocs' use_directory_urls)."""
    src = src.removesuffix(".md")
    if src == "index" or src.endswith("/index"):
        return src.removesuffix("index")
    return src + "/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", help="a Markdown file under docs/")
    parser.add_argument("--dates", action="store_true", help="list every page's first-published and last-revised date")
    args = parser.parse_args(argv)
    root = ROOT
    docs = root / "docs"
    dates, unknown = git_dates(docs)
    if args.dates or not args.page:
        for md in sorted(docs.rglob("*.md")):
            rel = md.relative_to(docs).as_posix()
            found = dates.get(rel, Dates(None, None, unknown))
            print(f"docs/{rel}: first published {found.shown('first')}; last revised {found.shown('last')}")
        return 0
    md = Path(args.page).resolve()
    try:
        rel = md.relative_to(docs).as_posix()
    except ValueError:
        print(f"{args.page}: not under docs/", file=sys.stderr)
        return 2
    meta = _front_matter(md.read_text(encoding="utf-8"))
    page = Page(title=meta.get("title", rel), path=url_path(rel), description=meta.get("description", ""),
                dates=dates.get(rel, Dates(None, None, unknown)))
    citation = cite(load_site(root), page)
    for name in ("chicago", "apa", "bibtex", "ris", "csl_json"):
        print(f"--- {name}\n{getattr(citation, name)}")
    print("--- meta\n" + "\n".join(f'<meta {a}="{n}" content="{html.escape(c)}">' for a, n, c in citation.meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
