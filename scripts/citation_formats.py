"""How to cite a page of the primer, in every format, from one set of fields.

    python -m primer.citation_formats docs/primer/domestic-circulation.md   # that page's citation, every format
    python -m primer.citation_formats --dates                               # first published / last revised, per page

`cite(site, page)` takes the site's metadata (mkdocs.yml: `site_name`, `site_url`, `extra.primer.version`,
`extra.primer`) and a page's (title, URL path, description, dates) and returns the page's
citation as Chicago author–date, APA, BibTeX (@techreport), RIS and CSL-JSON, the meta tags
reference managers and search engines read (Highwire Press `citation_*`, typed as a report;
Dublin Core; Open Graph), the COinS span, and the "Cite this page" block itself
(`render_block`). Every format is built from the same `Citation` fields, so they agree with
each other and with the meta tags; tests/test_cite.py checks that on every built page.

URLs: with `site_url` set, every URL is absolute. Without it (the primer has no public home
yet) the citation carries SITE_URL_PLACEHOLDER followed by the page's path, the block names
that path in `data-page-path`, and docs/javascripts/cite.js puts the address the reader is
viewing in its place; meta tags that need an absolute URL are left out, never faked.

The access date is ACCESSED_PLACEHOLDER in the HTML; cite.js fills in the reader's date (ISO).

`git_dates(docs_dir)` reads the first-published and last-revised date of every file under
docs/ from one `git log`; outside a git checkout it returns None and pages say so. No date
is ever invented. No MkDocs import: hooks/cite.py is the thin MkDocs side.
"""
from __future__ import annotations

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
KEY_PREFIX = "dcprimer"
WORK_TYPE = "Primer page"  # BibTeX `type`, RIS M3, CSL `genre`: what kind of report this is

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


@dataclass(frozen=True)
class Citation:
    key: str
    url: str
    absolute: bool  # False: url starts with SITE_URL_PLACEHOLDER
    chicago: str
    apa: str
    bibtex: str
    ris: str
    csl_json: str
    section_prefix: str  # a section citation is this + ", § 2.1 “Heading”, URL#id (accessed DATE)."
    meta: list[tuple[str, str, str]]  # (attribute, name, content): <meta {attribute}="{name}" content="…">
    coins: str  # the COinS span's title (not yet HTML-escaped)


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


# --- the citation ---------------------------------------------------------------------------


def cite(site: Site, page: Page) -> Citation:
    url = page_url(site, page.path)
    absolute = site.url is not None
    dates = page.dates
    year = dates.last[:4] if dates.last else "n.d."
    title = " ".join(page.title.split())
    description = " ".join(page.description.split())
    published = "; ".join(part for part in (
        f"first published {dates.first}" if dates.first else "",
        f"last revised {dates.last}" if dates.last else "") if part)
    note = f"Version {site.version} of {site.title}." + (f" {published[0].upper()}{published[1:]}." if published else "")

    # Chicago author–date, a page within a larger work: headline-style title,
    # the whole work, its version, the revision dates, access date, URL.
    chicago_dates = "; ".join(part for part in (
        f"First published {_long_date(dates.first)}" if dates.first else "",
        f"{'last' if dates.first else 'Last'} modified {_long_date(dates.last)}" if dates.last else "") if part)
    head = (f"{site.author}. {year.removesuffix('.')}. “{headline_case(title).rstrip('.')}.” "
            f"In {site.title}, version {site.version}")
    chicago = (f"{head}. " + (f"{chicago_dates}. " if chicago_dates else "")
               + f"Accessed {ACCESSED_PLACEHOLDER}. {url}.")
    # Neither style repeats a publisher that is, in effect, the author: the institution is left out.

    # APA 7, a page of a work that changes over time: (Year, Month Day), sentence-case titles
    # as written, version, "Retrieved DATE, from URL" (no full stop after a URL).
    apa_date = "n.d."
    if dates.last:
        day = dt.date.fromisoformat(dates.last)
        apa_date = f"{day.year}, {day.strftime('%B')} {day.day}"
    apa = (f"{site.author}. ({apa_date}). {title.rstrip('.')}. In {site.title_sentence_case} "
           f"(Version {site.version}). Retrieved {ACCESSED_PLACEHOLDER}, from {url}")

    key = page_key(page.path)
    fields = [
        ("author", "{" + _bibtex_text(site.author) + "}"),  # braced: a corporate author, not a person
        ("title", _bibtex_title(title)),
        ("institution", _bibtex_text(site.institution)),
        ("type", WORK_TYPE),
        ("series", _bibtex_text(site.title)),
        ("version", _bibtex_text(site.version)),
        ("year", dates.last[:4] if dates.last else None),
        ("date", dates.last),
        ("url", url),
        ("urldate", ACCESSED_PLACEHOLDER),
        ("abstract", _bibtex_text(description) or None),
        ("note", _bibtex_text(note)),
    ]
    width = max(len(name) for name, _ in fields)
    bibtex = "\n".join([f"@techreport{{{key},"]
                       + [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields if value]
                       + ["}"])

    ris_lines = [
        ("TY", "RPRT"), ("AU", site.author), ("TI", title), ("T2", site.title), ("PB", site.institution),
        ("M3", WORK_TYPE), ("PY", year if dates.last else None),
        ("DA", dates.last.replace("-", "/") if dates.last else None), ("UR", url),
        ("Y2", ACCESSED_PLACEHOLDER), ("AB", description or None), ("LA", site.language), ("N1", note),
    ]
    ris = "\n".join(f"{tag}  - {value}" for tag, value in ris_lines if value) + "\nER  - "

    item = {
        "id": key, "type": "report", "title": title, "author": [{"literal": site.author}],
        "publisher": site.institution, "collection-title": site.title, "genre": WORK_TYPE,
        "version": site.version,
    }
    if dates.last:
        item["issued"] = {"date-parts": [[int(part) for part in dates.last.split("-")]]}
    item.update({"URL": url, "accessed": {"raw": ACCESSED_PLACEHOLDER}})
    if description:
        item["abstract"] = description
    item.update({"language": site.language, "note": note})
    csl_json = json.dumps([item], ensure_ascii=False, indent=2)

    # Meta tags. Zotero's Embedded Metadata translator makes a Report of a page with
    # citation_technical_report_institution, whatever og:type says; Google Scholar reads the same.
    meta = [("name", "citation_title", title), ("name", "citation_author", site.author)]
    if dates.last:
        meta.append(("name", "citation_publication_date", dates.last.replace("-", "/")))
    meta += [("name", "citation_technical_report_institution", site.institution),
             ("name", "citation_series_title", site.title),
             ("name", "citation_language", site.language)]
    if description:
        meta.append(("name", "citation_abstract", description))
    if absolute:
        meta.append(("name", "citation_public_url", url))
    meta += [("name", "DC.title", title), ("name", "DC.creator", site.author)]
    if dates.last:
        meta.append(("name", "DC.date", dates.last))
    meta += [("name", "DC.type", "Text"), ("name", "DC.publisher", site.institution),
             ("name", "DC.language", site.language)]
    if description:
        meta.append(("name", "DC.description", description))
    if absolute:
        meta.append(("name", "DC.identifier", url))
    meta += [("property", "og:type", "article"), ("property", "og:title", title),
             ("property", "og:site_name", site.title)]
    if description:
        meta.append(("property", "og:description", description))
    if absolute:
        meta.append(("property", "og:url", url))

    # COinS (Z39.88 KEV, book format, genre report). Zotero's Connector prefers it to the meta tags
    # (translator priority), and reads rft.aucorp as a corporate author, which Highwire cannot say.
    kev = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", "report"),
           ("rft.btitle", title), ("rft.aucorp", site.author), ("rft.pub", site.institution),
           ("rft.series", site.title), ("rft.date", dates.last), ("rft.language", site.language),
           ("rft.description", description or None),
           ("rft_id", url if absolute else None)]
    coins = "&".join(f"{name}={quote(value, safe='')}" for name, value in kev if value)

    return Citation(key=key, url=url, absolute=absolute, chicago=chicago, apa=apa, bibtex=bibtex, ris=ris,
                    csl_json=csl_json, section_prefix=head, meta=meta, coins=coins)


# --- the block at the end of every page -------------------------------------------------------


def _fence(text: str, indent: str) -> str:
    body = "\n".join(indent + line for line in text.split("\n"))
    return f"{indent}```text\n{body}\n{indent}```"


def _date_html(dates: Dates, which: str) -> str:
    value = getattr(dates, which)
    return f'<time datetime="{value}">{value}</time>' if value else dates.unknown


def render_block(site: Site, page: Page, citation: Citation, footnotes: bool = False) -> str:
    """The Markdown appended to the page: dates, the COinS span, and a "Cite this page" box
    with one tab per format (each a code block, which Material gives a copy button).
    With `footnotes` (the page has some), they are placed above the box, not below it."""
    attrs = {
        "class": "cite-block", "data-page-path": page.path, "data-site-root": site_root(page.path),
        "data-cite-url": citation.url, "data-cite-section": citation.section_prefix,
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
    help_text = ("To cite one section, use the *cite* button beside its heading. Your browser fills in "
                 f"today's date as the access date; without JavaScript, replace {ACCESSED_PLACEHOLDER}.")
    if not citation.absolute:
        help_text += (f" The primer has no public address yet: {SITE_URL_PLACEHOLDER.rstrip('/')} stands for "
                      "the address you are reading it at.")
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
    from primer import mkdocs_yml  # scripts/mkdocs_yml.py: mkdocs.yml as MkDocs reads it, !ENV included

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
    root = Path(__file__).resolve().parent.parent
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
