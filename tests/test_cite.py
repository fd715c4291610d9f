"""Citing the primer: the "Cite this page" block and meta tags on every built page, the dates
from git, the site_url / no-site_url cases, the downloads page, and stable URLs and anchors.

Unit tests call scripts/primer/site/citation_formats.py and scripts/primer/published.py directly (no build). Site tests read
the session's strict build (a git checkout, site_url unset). One extra build, of a copy of the
project that is not a git checkout and has a site_url, covers the tarball fallback, absolute
URLs, Open Graph, the sitemap and a redirect.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote

import pytest
import yaml
from conftest import PUBLISHED_URL, ROOT, built_pages, mkdocs_build
from pybtex.database import parse_string

from primer import published
from primer.site import citation_formats as cite
from primer.site import csl_render

DOCS = ROOT / "docs"
FORMATS = ["Chicago", "APA", "BibTeX", "RIS", "CSL-JSON"]
SITE = cite.Site(title="Dual Circulation (双循环): A Source-Checked Primer",
                 title_sentence_case="Dual circulation (双循环): A source-checked primer",
                 author="Dual Circulation Primer contributors", institution="Dual Circulation Primer", version="0.1.0")


# --- reading a built page ----------------------------------------------------------------------


class _PageParser(HTMLParser):
    """The meta tags, and the cite block: its attributes, its tabs' labels and code, its COinS,
    its dates (<time datetime>) and text."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.block: dict | None = None
        self.redirect = False
        self.raw = ""
        self._depth = 0  # inside <section class="cite-block">: its nesting depth
        self._code = None
        self._label = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key and "content" in attrs:
                self.meta.setdefault(key, []).append(attrs["content"])
            if (attrs.get("http-equiv") or "").lower() == "refresh":
                self.redirect = True
        if tag == "section" and "cite-block" in (attrs.get("class") or "").split():
            self.block = {"attrs": attrs, "labels": [], "code": [], "coins": [], "times": [], "text": []}
            self._depth = 1
            return
        if not self._depth:
            return
        if tag == "section":
            self._depth += 1
        if tag == "code":
            self._code = []
        if tag == "label":
            self._label = []
        if tag == "span" and "Z3988" in (attrs.get("class") or ""):
            self.block["coins"].append(attrs.get("title") or "")
        if tag == "time":
            self.block["times"].append(attrs.get("datetime"))

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "section":
            self._depth -= 1
        if tag == "code" and self._code is not None:
            self.block["code"].append("".join(self._code))
            self._code = None
        if tag == "label" and self._label is not None:
            self.block["labels"].append("".join(self._label).strip())
            self._label = None

    def handle_data(self, data):
        if not self._depth:
            return
        if self._code is not None:
            self._code.append(data)
        elif self._label is not None:
            self._label.append(data)
        else:
            self.block["text"].append(data)


def read_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.raw = path.read_text(encoding="utf-8")
    parser.feed(parser.raw)
    return parser


def bib_plain(value: str) -> str:
    """A BibTeX field's value as text: braces and escapes removed."""
    return re.sub(r"\\([&%$#_])", r"\1", value).replace("{", "").replace("}", "")


def long_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def rendered_alone(item: dict, memo: dict | None = None) -> dict[str, str]:
    """The CSL processor's rendering of one record on its own (primer.site.csl_render: pandoc's citeproc).
    MEMO: renderings already made (render_all), so that checking sixty pages runs one pandoc, not sixty."""
    texts = csl_render.render([item], memo)[item["id"]]
    return {style: cite.finish_rendered(text) for style, text in texts.items()}


def render_all(pages) -> dict:
    """A memo for rendered_alone holding every page's record, rendered in one pandoc run: each record's text is
    the one it has alone (test_records_rendered_together_read_as_each_alone)."""
    items = []
    for page in pages:
        with contextlib.suppress(TypeError, KeyError, IndexError, ValueError):
            items.append(json.loads(page.block["code"][FORMATS.index("CSL-JSON")])[0])
    memo = {}
    csl_render.render(list({item["id"]: item for item in items}.values()), memo)
    return memo


def check_block(path: str, page: _PageParser, site_url: str | None, memo: dict | None = None) -> list[str]:
    """Everything wrong with one page's cite block and meta tags (empty when all is well): the
    CSL-JSON record is the truth; APA and Chicago are the processor's rendering of it, and BibTeX,
    RIS, COinS and the meta tags agree with it field by field (title, authors, date, URL, type, language;
    no version anywhere: a Zotero Report has no field for it, and the edition is in a published URL)."""
    where = f"/{path}"
    block = page.block
    if block is None:
        return [f"{where}: no cite block (section.cite-block)"]
    problems = []
    if "Footnotes Go Here" in " ".join(block["text"]) or "Footnotes Go Here" in page.raw:
        problems.append(f"{where}: the footnotes marker is shown as text")
    attrs = block["attrs"]
    if attrs.get("data-page-path") != path:
        problems.append(f"{where}: data-page-path is {attrs.get('data-page-path')!r}, not {path!r}")
    expected_url = (site_url + path) if site_url else None
    if block["labels"] != FORMATS or len(block["code"]) != len(FORMATS):
        return problems + [f"{where}: cite block tabs are {block['labels']} with {len(block['code'])} code blocks, "
                           f"expected {FORMATS}"]
    text = dict(zip(FORMATS, block["code"]))
    if "[site URL]" in "".join(block["code"]) or "[date" in "".join(block["code"]):
        problems.append(f"{where}: a static format holds a placeholder (it is what a reader without JavaScript copies)")
    try:
        item = json.loads(text["CSL-JSON"])[0]
    except (json.JSONDecodeError, IndexError, KeyError) as err:
        return problems + [f"{where}: CSL-JSON does not parse: {err}"]
    title, date, version, language = item.get("title"), None, item.get("version"), item.get("language")
    if item.get("issued"):
        date = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(item["issued"]["date-parts"][0]))
    authors = [a.get("literal") for a in item.get("author", [])]
    if item.get("type") != "report" or authors != [SITE.author] or item.get("URL") != expected_url:
        problems.append(f"{where}: CSL-JSON is not a report by the corporate author with URL {expected_url}: {item}")
    if version is not None or language != "en" or item.get("publisher") != SITE.institution:
        problems.append(f"{where}: CSL-JSON version/language/publisher wrong (no version: Zotero would drop it): {item}")

    # APA and Chicago: exactly the processor's rendering of the record
    rendered = rendered_alone(item, memo)
    for style, label in (("apa", "APA"), ("chicago", "Chicago")):
        if text[label].strip() != rendered[style]:
            problems.append(f"{where}: {label} is not the CSL processor's rendering:\n  {text[label]!r}\n  {rendered[style]!r}")

    # BibTeX, field by field
    try:
        entries = parse_string(text["BibTeX"], "bibtex").entries
    except Exception as err:  # noqa: BLE001 - any parse error is the finding
        return problems + [f"{where}: BibTeX does not parse: {err}"]
    key, entry = next(iter(entries.items()))
    fields = {name.lower(): value for name, value in entry.fields.items()}
    bib_authors = [bib_plain(str(person)) for person in entry.persons.get("author", [])]
    want = {"title": title, "publisher": SITE.institution, "series": item.get("collection-title"), "version": version, "date": date, "url": expected_url,
            "language": language, "year": date[:4] if date else None}
    if entry.type != "manual" or len(entries) != 1 or bib_authors != authors:
        problems.append(f"{where}: BibTeX is not one @manual by {authors}: {entry.type} {bib_authors}")
    # a published page (site_url set): the build's day as the access date, which cite.js makes the reader's
    accessed = cite.build_day().isoformat() if site_url else None
    want["urldate"] = accessed
    for name, value in want.items():
        if (bib_plain(fields[name]) if name in fields else None) != value:
            problems.append(f"{where}: BibTeX {name} = {fields.get(name)!r}, the record says {value!r}")
    record_accessed = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(item["accessed"]["date-parts"][0])) \
        if item.get("accessed") else None
    if record_accessed != accessed:
        problems.append(f"{where}: CSL-JSON accessed = {item.get('accessed')}, expected {accessed}")

    # RIS
    ris = dict(line.split("  - ", 1) for line in text["RIS"].split("\n") if "  - " in line)
    want = {"TY": "RPRT", "AU": SITE.author, "TI": title, "ET": version, "LA": language, "UR": expected_url,
            "DA": date.replace("-", "/") if date else None, "PB": SITE.institution,
            "Y2": accessed.replace("-", "/") if accessed else None}
    for tag, value in want.items():
        if ris.get(tag) != value:
            problems.append(f"{where}: RIS {tag} = {ris.get(tag)!r}, the record says {value!r}")

    # the dates shown on the page
    times = block["times"]
    if date and (not times or times[0] != date):
        problems.append(f"{where}: the record's date {date} is not the page's last-revised date {times[:1]}")

    # meta tags
    meta = page.meta
    agree = {"citation_title": title, "citation_author": SITE.author + ",",
             "citation_technical_report_institution": SITE.institution, "citation_language": language,
             "citation_series_title": item.get("collection-title"), "citation_abstract": item.get("abstract"),
             "citation_publication_date": date.replace("-", "/") if date else None,
             "DC.title": title, "DC.creator": SITE.author, "DC.date": date, "DC.type": "report",
             "DC.publisher": SITE.institution, "DC.language": language, "og:title": title,
             "citation_public_url": expected_url, "DC.identifier": expected_url, "og:url": expected_url}
    for name, value in agree.items():
        found = meta.get(name)
        if value is None and found:
            problems.append(f"{where}: meta {name} = {found} should be absent")
        elif value is not None and found != [value]:
            problems.append(f"{where}: meta {name} = {found}, the record says {value!r}")
    if meta.get("description", [""])[0] != (item.get("abstract") or ""):
        problems.append(f"{where}: <meta name=description> {meta.get('description')} differs from the abstract")

    # COinS
    coins = dict(parse_qsl(html.unescape(block["coins"][0]))) if block["coins"] else {}
    wanted = {"rft.genre": "report", "rft.btitle": title, "rft.aucorp": SITE.author, "rft.pub": SITE.institution,
              "rft.date": date, "rft.series": item.get("collection-title"), "rft.edition": version,
              "rft.language": language, "rft.description": item.get("abstract"), "rft_id": expected_url}
    for name, value in wanted.items():
        if coins.get(name) != value:
            problems.append(f"{where}: COinS {name} = {coins.get(name)!r}, expected {value!r}")

    # the live formats (cite.js fills them in): the same record with the URL and an access date
    templates = json.loads(attrs.get("data-cite-templates") or "{}")
    live_url = (site_url or cite.SITE_URL_PLACEHOLDER) + path
    if f"url       = {{{live_url}}}" not in templates.get("BibTeX", ""):
        problems.append(f"{where}: the live BibTeX lacks url {live_url}")
    if dict(templates.get("coins", [])).get("rft_id") != live_url:
        problems.append(f"{where}: the live COinS lacks rft_id {live_url}")
    return problems


# --- unit tests: scripts/primer/site/citation_formats.py ----------------------------------------------------------------


def _page(**dates) -> cite.Page:
    return cite.Page(title="Guangdong and the Greater Bay Area", path="primer/guangdong-greater-bay-area/",
                     description='What the sources say about "Guangdong" & the 50% share.',
                     dates=cite.Dates(dates.get("first"), dates.get("last"), dates.get("unknown", cite.NOT_COMMITTED)))


def _as_built(citation: cite.Citation, page: cite.Page, site: cite.Site) -> _PageParser:
    """Render the block and meta tags as the build would (via Python-Markdown), and read them back."""
    import markdown

    body = markdown.markdown(cite.render_block(site, page, citation), extensions=[
        "attr_list", "md_in_html", "footnotes", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    head = "".join(f'<meta {a}="{n}" content="{html.escape(c)}">' for a, n, c in citation.meta)
    head += f'<meta name="description" content="{html.escape(page.description)}">'
    parser = _PageParser()
    parser.feed(f"<html><head>{head}</head><body>{body}</body></html>")
    return parser


def test_every_format_agrees_with_the_others_and_the_meta_tags():
    page = _page(first="2025-01-02", last="2025-03-04")
    citation = cite.cite(SITE, page)
    assert citation.key == "dcprimer-primer-guangdong-greater-bay-area"
    assert check_block(page.path, _as_built(citation, page, SITE), None) == []
    entry = parse_string(citation.bibtex, "bibtex").entries[citation.key]
    assert entry.fields["title"] == "{Guangdong} and the {Greater} {Bay} {Area}"  # capitals protected
    assert entry.fields["abstract"] == r'What the sources say about "Guangdong" \& the 50\% share.'
    assert citation.chicago == (  # the processor's rendering (Chicago 18th, author-date)
        "Dual Circulation Primer contributors. 2025. Guangdong and the Greater Bay Area. Dual "
        "Circulation (双循环): A Source-Checked Primer. Dual Circulation Primer.")
    assert citation.apa == (  # APA 7th
        "Dual Circulation Primer contributors. (2025). Guangdong and the Greater Bay Area (Dual "
        "Circulation (双循环): A Source-Checked Primer). Dual Circulation Primer.")
    assert citation.templates["APA"].endswith(". Dual Circulation Primer. [site URL]/primer/guangdong-greater-bay-area/")


def test_the_checker_sees_a_disagreement():
    """check_block must fail when a meta tag and the record disagree, or the URL is another page's."""
    page = _page(first="2025-01-02", last="2025-03-04")
    citation = cite.cite(SITE, page)
    built = _as_built(citation, page, SITE)
    built.meta["citation_title"] = ["Another title"]
    assert any("citation_title" in p for p in check_block(page.path, built, None))
    assert any("live BibTeX lacks url" in p for p in check_block("primer/other/", _as_built(citation, page, SITE), None))
    built = _as_built(citation, page, SITE)
    built.block["code"][1] = built.block["code"][1].replace("(2025)", "(2024)")
    assert any("APA is not the CSL processor's rendering" in p for p in check_block(page.path, built, None))


def test_without_site_url_the_static_formats_carry_no_url_and_the_live_ones_a_placeholder():
    citation = cite.cite(SITE, _page(last="2025-03-04"))
    assert citation.url == "[site URL]/primer/guangdong-greater-bay-area/" and not citation.absolute
    static = citation.bibtex + citation.chicago + citation.apa + citation.ris + citation.csl_json + citation.coins
    assert "[site URL]" not in static and "%5Bsite" not in static and "[date" not in static
    names = {name for _, name, _ in citation.meta}
    assert not names & {"citation_public_url", "og:url", "DC.identifier"}
    assert "rft_id" not in citation.coins
    assert "urldate   = {[date]}" in citation.templates["BibTeX"]
    assert ("rft_id", citation.url) in citation.templates["coins"]


def test_with_site_url_every_url_is_absolute():
    site = cite.Site.from_config(SITE.title, "https://primer.example.org/sub", {
        "primer": {"version": "0.2.0", "title_sentence_case": SITE.title_sentence_case, "author": SITE.author,
                   "institution": SITE.institution}})
    page = _page(last="2025-03-04")
    citation = cite.cite(site, page)
    url = "https://primer.example.org/sub/primer/guangdong-greater-bay-area/"
    assert citation.url == url and citation.absolute
    assert ("property", "og:url", url) in citation.meta and ("name", "citation_public_url", url) in citation.meta
    assert "[site URL]" not in citation.bibtex + citation.chicago + citation.apa + citation.ris + citation.csl_json
    assert citation.chicago.endswith(f" {url}.") and citation.apa.endswith(f" {url}")
    assert f"rft_id={quote(url, safe='')}" in citation.coins


def test_with_site_url_the_static_formats_carry_the_url_and_the_builds_day(monkeypatch):
    """What a reader of a published page copies without JavaScript is whole: the URL, and the build's day as the
    access date (cite.js puts in the reader's), in every format; never a placeholder."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")   # 2025-12-07
    site = cite.Site.from_config(SITE.title, "https://primer.example.org/0.1.0/", {
        "primer": {"version": "0.1.0", "title_sentence_case": SITE.title_sentence_case, "author": SITE.author,
                   "institution": SITE.institution}})
    url = "https://primer.example.org/0.1.0/primer/guangdong-greater-bay-area/"
    dated = cite.cite(site, _page(last="2025-03-04"))
    assert dated.record["accessed"] == {"date-parts": [[2025, 12, 7]]} and dated.record["URL"] == url
    assert "urldate   = {2025-12-07}," in dated.bibtex and f"url       = {{{url}}}," in dated.bibtex
    assert "\nY2  - 2025/12/07\n" in dated.ris and f"\nUR  - {url}\n" in dated.ris
    assert json.loads(dated.csl_json)[0]["accessed"] == {"date-parts": [[2025, 12, 7]]}
    undated = cite.cite(site, _page(unknown=cite.NO_GIT))   # a tarball's build: the access date is printed
    assert undated.apa.endswith(f"Retrieved December 7, 2025, from {url}"), undated.apa
    assert undated.chicago.endswith(f"Accessed December 7, 2025. {url}."), undated.chicago
    for citation in (dated, undated):
        static = citation.apa + citation.chicago + citation.bibtex + citation.ris + citation.csl_json + citation.coins
        assert "[date" not in static and "[site URL]" not in static
        assert "[date accessed]" in citation.templates["APA"] + citation.templates["Chicago"] or citation is dated
    body = cite.render_block(site, _page(last="2025-03-04"), dated)
    assert "the access date is the day this copy was built" in body


@pytest.mark.skipif(shutil.which("biber") is None,
                    reason="biber is not installed (Debian: apt-get install biber; .ci/run installs it)")
def test_biblatex_keeps_every_field_of_a_page_and_a_section(tmp_path, monkeypatch):
    """biber, against biblatex's data model: no field of a page's or a section's BibTeX is invalid for its type
    (a @techreport would lose the series: "Invalid field 'series' for entrytype 'report'")."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    site = cite.Site.from_config(SITE.title, "https://primer.example.org/0.1.0/", {
        "primer": {"version": "0.1.0", "title_sentence_case": SITE.title_sentence_case, "author": SITE.author,
                   "institution": SITE.institution}})
    page = _page(last="2025-03-04")
    section = cite.record(site, page, live=True, section=cite.Section("2.1", "Trade & the 50% share", "trade"))
    filled = cite.with_build_day(cite.to_bibtex(section))   # as cite.js fills it in, with the reader's day
    (tmp_path / "cite.bib").write_text(cite.cite(site, page).bibtex + "\n" + filled + "\n", encoding="utf-8")
    result = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file=checked.bib", "cite.bib"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith(("WARN", "ERROR"))]
    assert warnings == []
    checked = (tmp_path / "checked.bib").read_text(encoding="utf-8").lower()
    assert checked.count("series") == 2 and checked.count("publisher") == 2, checked


def test_an_undated_page_says_so_and_invents_no_date():
    page = _page(unknown=cite.NO_GIT)
    citation = cite.cite(SITE, page)
    entry = parse_string(citation.bibtex, "bibtex").entries[citation.key]
    assert "year" not in entry.fields and "date" not in entry.fields
    assert " n.d. " in citation.chicago and "(n.d.)" in citation.apa
    assert not {name for _, name, _ in citation.meta} & {"citation_publication_date", "DC.date"}
    block = cite.render_block(SITE, page, citation)
    assert f"Last revised: {cite.NO_GIT}; first published: {cite.NO_GIT}." in block
    assert check_block(page.path, _as_built(citation, page, SITE), None) == []
    # an undated work gets an access date in both styles: the placeholder cite.js fills in
    assert f"Accessed {cite.ACCESSED_LONG_PLACEHOLDER}." in citation.templates["Chicago"]
    assert f"Retrieved {cite.ACCESSED_LONG_PLACEHOLDER}, from" in citation.templates["APA"]


def test_records_rendered_together_read_as_each_alone(tmp_path):
    """render_all's premise: one pandoc run over many records (one author, one year, as every page of the primer
    has) gives each the text it has alone; no "2025a"/"2025b", no dash for a repeated author."""
    items = [cite.record(SITE, cite.Page(title=f"Chapter {n}", path=f"primer/chapter-{n}/",
                                         dates=cite.Dates("2025-01-02", "2025-03-04")), live=True) for n in "ABC"]
    together = csl_render.render(items, {}, cache_dir=tmp_path)
    for item in items:
        alone = csl_render.render([item], {}, cache_dir=tmp_path)[item["id"]]
        assert together[item["id"]] == alone, (together[item["id"]], alone)
    assert "2025a" not in str(together) and "———" not in str(together)


def test_section_citations_are_the_processors_rendering_of_each_section_record():
    page = _page(first="2025-01-02", last="2025-03-04")
    sections = [cite.Section("1", "Shenzhen's R&D", "shenzhen"), cite.Section("1.1", "Patents", "patents")]
    cited = cite.section_citations(SITE, page, sections)
    assert list(cited) == ["shenzhen", "patents"]
    for section in sections:
        item = cite.record(SITE, page, live=True, section=section)
        entry = cited[section.anchor]
        assert item["URL"] == f"[site URL]/primer/guangdong-greater-bay-area/#{section.anchor}"
        assert item["title"] == f"Guangdong and the Greater Bay Area, section {section.number}: {section.heading}"
        assert {"apa": entry["apa"], "chicago": entry["chicago"]} == rendered_alone(item)
        assert entry["bibtex"] == cite.to_bibtex(item)


@pytest.mark.parametrize("title, expected", [
    ("What dual circulation is", "What Dual Circulation Is"),
    ("Li: China's two-way internationalisation under dual circulation",
     "Li: China's Two-Way Internationalisation under Dual Circulation"),
    ("Internal Circulation (内循环): the chinesedream.earth explainer",
     "Internal Circulation (内循环): The chinesedream.earth Explainer"),
    ("Where the sources agree and disagree, and why", "Where the Sources Agree and Disagree, and Why"),
])
def test_chicago_titles_are_in_headline_style(title, expected):
    assert cite.headline_case(title) == expected


def test_missing_site_metadata_is_one_clear_line():
    with pytest.raises(cite.MetadataError, match=r"^mkdocs\.yml: extra\.primer\.author not set"):
        cite.Site.from_config("T", None, {"primer": {"version": "1", "title_sentence_case": "t", "institution": "I"}})
    with pytest.raises(cite.MetadataError, match="not site_name"):
        cite.Site.from_config("T", None, {"primer": {"version": "1", "title_sentence_case": "U", "author": "A",
                                                          "institution": "I"}})


def test_the_real_site_metadata_is_complete():
    site = cite.load_site(ROOT)
    assert site.author == "Dual Circulation Primer contributors" and site.institution == "Dual Circulation Primer"


# --- unit tests: dates from git ---------------------------------------------------------------


def _git(repo: Path, *args: str, date: str | None = None):
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_dates_are_the_first_and_last_commit_of_each_page(tmp_path):
    repo = tmp_path / "repo"
    docs = repo / "docs"
    (docs / "primer").mkdir(parents=True)
    _git(repo, "init", "-q")
    (docs / "index.md").write_text("# Home\n")
    (docs / "primer" / "old-name.md").write_text("# A chapter\n\nFirst draft, long enough to be a rename.\n" * 5)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first", date="2024-01-15")
    (docs / "index.md").write_text("# Home\n\nRevised.\n")
    _git(repo, "commit", "-q", "-am", "revise", date="2024-06-30")
    _git(repo, "mv", "docs/primer/old-name.md", "docs/primer/new-name.md")
    _git(repo, "commit", "-q", "-m", "rename", date="2024-09-01")
    (docs / "draft.md").write_text("# Not committed\n")

    dates, unknown = cite.git_dates(docs)
    assert dates["index.md"] == cite.Dates("2024-01-15", "2024-06-30")
    assert dates["primer/new-name.md"] == cite.Dates("2024-01-15", "2024-09-01")  # the rename is followed
    assert "draft.md" not in dates and unknown == cite.NOT_COMMITTED
    for rel in ("index.md", "primer/new-name.md"):  # the same as git's own --follow, file by file
        log = _git(docs, "log", "--follow", "--format=%cs", "--", rel).split()
        assert (dates[rel].first, dates[rel].last) == (log[-1], log[0])


def test_outside_a_git_checkout_there_are_no_dates(tmp_path):
    (tmp_path / "docs").mkdir()
    assert cite.git_dates(tmp_path / "docs") == ({}, cite.NO_GIT)


# --- unit tests: stable URLs and anchors ----------------------------------------------------------


def _fake_site(root: Path, pages: dict[str, list[str]]) -> Path:
    for path, anchors in pages.items():
        page = root / path / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        headings = "".join(f'<h2 id="{a}">{a}</h2>' for a in anchors)
        page.write_text(f"<html><body><article><h1>T</h1>{headings}</article></body></html>")
    return root


def test_published_check_reports_a_missing_page_or_anchor_unless_redirected(tmp_path):
    listed = {"": ["intro"], "primer/old/": ["a", "b"], "primer/kept/": ["x"]}
    site = _fake_site(tmp_path / "site", {"": ["intro", "new-section"], "primer/new/": ["a", "b"],
                                          "primer/kept/": []})
    problems = published.check(listed, site)
    assert problems == [
        "/primer/old/: published page is gone; if it moved, add `old.md: new.md` under plugins.redirects.redirect_maps in "
        "mkdocs.yml, or restore it",
        "/primer/kept/#x: published section anchor is gone; keep it on the reworded heading with {#x}, or if it "
        "was removed on purpose run `python -m primer.published --update`"]
    redirected = published.check(listed, site, {"primer/old.md": "primer/new.md"})
    assert [p for p in redirected if p.startswith("/primer/old/")] == []


def test_a_moved_page_forwards_to_the_new_url_with_its_fragment(project_copy, tmp_path):
    """mkdocs-redirects, given mkdocs.yml's map, writes a page at the old URL that forwards, fragment kept."""
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    moved = text.replace("      redirect_maps: {}", "      redirect_maps:\n        primer/old-chapter.md: primer/external-risks.md", 1)
    assert moved != text, "mkdocs.yml changed shape: update this test"
    config.write_text(moved, encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project_copy, site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "primer" / "old-chapter" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../external-risks/"' in page
    assert 'location.href="../external-risks/"+(anchor?"#"+anchor:"")' in page
    assert published.check({"primer/old-chapter/": []}, site, published.redirects_in(config)) == []


def _site_url() -> str | None:
    return cite.load_site(ROOT).url


def test_every_page_has_a_valid_cite_block_and_agreeing_meta_tags(built_site):
    pages = built_pages(built_site)
    assert len(pages) >= 20, f"only {len(pages)} pages built"
    problems, read = [], {path: read_page(index) for path, index in pages.items()}
    memo = render_all(read.values())
    for path, page in read.items():
        problems += check_block(path, page, _site_url(), memo)
    assert not problems, "\n".join(problems)


def test_every_section_citation_is_the_processors_rendering_of_its_record(built_site):
    """Each page's h2/h3 sections, numbered in order (1, 1.1, 2…), each with the processor's APA and
    Chicago of its own record and the BibTeX derived from it (all sections in one pandoc run)."""
    problems, expected = [], {}
    for path, index in built_pages(built_site).items():
        page = read_page(index)
        if page.block is None or path == "reference/print-edition/":  # it gathers the pages: no sections of its own
            continue
        sections = json.loads(page.block["attrs"].get("data-cite-sections") or "{}")
        ids = re.findall(r'<h([23])[^>]*\bid="([^"]+)"', re.search(r"<article.*?</article>", page.raw, re.S).group(0))
        numbered, h2, h3 = [], 0, 0
        for level, anchor in ids:
            h2, h3 = (h2 + 1, 0) if level == "2" else (h2, h3 + 1)
            numbered.append((anchor, str(h2) if level == "2" else f"{h2}.{h3}"))
        numbered = [(a, n) for a, n in numbered if a in sections or not n.startswith("0")]
        if [(a, sections[a]["number"]) for a in sections] != [(a, n) for a, n in numbered if a in sections] or \
                len(sections) != len(numbered):
            problems.append(f"/{path}: sections {[(a, s['number']) for a, s in sections.items()]} are not the "
                            f"page's headings {numbered}")
            continue
        item = json.loads(page.block["code"][4])[0]
        last = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(item["issued"]["date-parts"][0])) \
            if "issued" in item else None
        info = cite.Page(title=item["title"], path=path, dates=cite.Dates(None, last))
        for anchor, entry in sections.items():
            section = cite.Section(entry["number"], entry["heading"], anchor)
            record = cite.record(SITE, info, live=True, section=section)
            expected[record["id"]] = (path, anchor, entry, record)
            problems += _section_files(built_site, f"/{path}#{anchor}", entry, cite.static_record(SITE, info, section))
    rendered = csl_render.render([record for *_, record in expected.values()])
    for key, (path, anchor, entry, record) in expected.items():
        for style in ("apa", "chicago"):
            if entry[style] != cite.finish_rendered(rendered[key][style]):
                problems.append(f"/{path}#{anchor}: {style} {entry[style]!r} is not {rendered[key][style]!r}")
        if entry["bibtex"] != cite.to_bibtex(record):
            problems.append(f"/{path}#{anchor}: its BibTeX is not derived from its record")
        if [tuple(pair) for pair in entry.get("coins", [])] != cite.coins_pairs({k: v for k, v in record.items() if k != "accessed"}):
            problems.append(f"/{path}#{anchor}: its COinS is not derived from its record")
    assert expected, "no section citations found"
    assert not problems, "\n".join(problems)


def _section_files(site: Path, where: str, entry: dict, record: dict) -> list[str]:
    """What is wrong with a section's RIS and CSL-JSON files (its cite panel links to them): each must be there,
    the CSL-JSON the section's static RECORD, the RIS derived from it."""
    files = entry.get("files") or {}
    if set(files) != {"RIS", "CSL-JSON"}:
        return [f"{where}: its panel offers files {sorted(files)}, not RIS and CSL-JSON"]
    missing = [path for path in files.values() if not (site / path).is_file()]
    if missing:
        return [f"{where}: its files {missing} are not in the site"]
    problems = []
    if json.loads((site / files["CSL-JSON"]).read_text(encoding="utf-8")) != [record]:
        problems.append(f"{where}: {files['CSL-JSON']} is not the section's record {record}")
    if (site / files["RIS"]).read_text(encoding="utf-8") != cite.to_ris(record) + "\n":
        problems.append(f"{where}: {files['RIS']} is not the section's RIS")
    return problems


def _git_log_dates(rel: str) -> tuple[str, str] | None:
    out = subprocess.run(["git", "log", "--follow", "--format=%cs", "--", rel], cwd=DOCS,
                         capture_output=True, text=True).stdout.split()
    return (out[-1], out[0]) if out else None


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_each_page_shows_its_dates_from_git(built_site):
    """First published and last revised as `git log --follow` gives them; an uncommitted page says so."""
    problems = []
    for md in sorted(DOCS.rglob("*.md")):
        rel = md.relative_to(DOCS).as_posix()
        page = read_page(built_site / cite.url_path(rel) / "index.html")
        text = " ".join("".join(page.block["text"]).split()) if page.block else ""
        expected = _git_log_dates(rel)
        if expected is None:
            if f"Last revised: {cite.NOT_COMMITTED}; first published: {cite.NOT_COMMITTED}." not in text:
                problems.append(f"docs/{rel}: not committed, but the page does not say so: {text[:120]!r}")
        elif page.block is None or page.block["times"][:2] != [expected[1], expected[0]]:
            problems.append(f"docs/{rel}: shows {page.block and page.block['times']}, git says last revised "
                            f"{expected[1]}, first published {expected[0]}")
    assert not problems, "\n".join(problems)


def test_generated_pages_carry_the_dates_of_what_they_are_made_from(built_site):
    """The bibliography is made from references.bib: its dates are that file's, from git (a copy outside git
    says the dates were not recorded), never "generated at build time" nor "n.d." in its citation."""
    dates, _ = cite.git_dates(ROOT)
    bib = dates.get("references.bib")
    page = read_page(built_site / "reference" / "bibliography" / "index.html")
    text = " ".join("".join(page.block["text"]).split())
    assert cite.GENERATED not in text
    if bib is not None:
        assert f"Last revised: {bib.last};" in text
        assert "(n.d.)" not in text and "n.d." not in text
    glossary = read_page(built_site / "reference" / "glossary" / "index.html")
    if dates.get("glossary.yaml") is not None:
        assert f"Last revised: {dates['glossary.yaml'].last};" in " ".join("".join(glossary.block["text"]).split())


def test_every_page_has_its_own_description(built_site):
    site_description = " ".join(yaml.safe_load(re.search(r"^site_description:.*?(?=^\S)", (
        ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M | re.S).group(0))["site_description"].split())
    problems = []
    for path, index in built_pages(built_site).items():
        descriptions = read_page(index).meta.get("description", [])
        if len(descriptions) != 1 or not descriptions[0].strip():
            problems.append(f"/{path}: {len(descriptions)} meta descriptions")
        elif " ".join(descriptions[0].split()) == site_description and path:
            problems.append(f"/{path}: falls back to the site's description; give the page its own")
    assert not problems, "\n".join(problems)


def test_downloads_page_links_only_to_files_that_exist(built_site):
    page = built_site / "reference" / "downloads" / "index.html"
    article = re.search(r"<article.*?</article>", page.read_text(encoding="utf-8"), re.S).group(0)
    links = [html.unescape(href) for href in re.findall(r'href="([^"#]+)"', article)]
    files = {Path(href).name for href in links if not href.endswith("/")}
    assert {"references.bib", "figures.csv", "figures.json"} <= files
    missing = [href for href in links if not (page.parent / href).resolve().exists()]
    assert not missing, f"the downloads page links to files the site lacks: {missing}"
    pdfs = [href for href in links if href.endswith(".pdf")]
    assert all((page.parent / href).resolve().is_file() for href in pdfs)


def test_published_urls_and_anchors_still_exist(built_site):
    problems = published.check(published.load(), built_site, published.redirects_in(ROOT / "mkdocs.yml"))
    assert not problems, "\n".join(problems)


def test_published_check_catches_an_anchor_removed_from_a_copy_of_the_site(built_site, tmp_path):
    """The check above must see what it claims to see: list a copy's anchors, remove one, check."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "primer", site / "primer")
    listed = published.collect(site)
    path = next(p for p, anchors in listed.items() if len(anchors) > 1)
    anchor = listed[path][1]
    assert published.check(listed, site) == []
    index = site / path / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(f'id="{anchor}"', 'id="renamed"'), encoding="utf-8")
    problems = published.check(listed, site)
    assert len(problems) == 1 and problems[0].startswith(f"/{path}#{anchor}: published section anchor is gone")


# --- one more build: a copy with site_url, outside git --------------------------------------------


def test_build_with_site_url_outside_git(published_site):
    """A source tarball (no .git) with a public address: the build passes, dates fall back,
    every URL is absolute, og:url and the sitemap are there."""
    site_url, site = PUBLISHED_URL, published_site
    assert "site_url: !ENV PRIMER_SITE_URL" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")

    pages = built_pages(site)
    problems, read = [], {path: read_page(index) for path, index in pages.items()}
    memo = render_all(read.values())
    for path, page in read.items():
        problems += check_block(path, page, site_url, memo)
        shown = " ".join("".join(page.block["text"]).split()) if page.block else ""
        if not any(f"Last revised: {fallback}; first published: {fallback}." in shown
                   for fallback in (cite.NO_GIT, cite.GENERATED)):
            problems.append(f"/{path}: does not say its dates were not recorded: {shown[:100]!r}")
    assert not problems, "\n".join(problems)

    # a section's files carry its fragment URL and the build's day, like the page's static formats
    page = read_page(site / "primer" / "external-risks" / "index.html")
    anchor, entry = next(iter(json.loads(page.block["attrs"]["data-cite-sections"]).items()))
    ris = (site / entry["files"]["RIS"]).read_text(encoding="utf-8")
    assert f"\nUR  - {site_url}primer/external-risks/#{anchor}\n" in ris, ris
    assert f"\nY2  - {cite.build_day():%Y/%m/%d}\n" in ris and f"section {entry['number']}: " in ris, ris

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert {site_url + path for path in pages} <= locs, "the sitemap lacks pages"
    assert all(loc.startswith(site_url) for loc in locs)



def test_whole_primer_dates_span_every_page():
    dates = {"a.md": cite.Dates("2024-03-01", "2024-05-01"), "b.md": cite.Dates("2024-01-15", "2024-02-01"),
             "c.md": cite.Dates(None, "2024-09-09", cite.SHALLOW)}
    assert cite.whole_dates(dates, cite.NOT_COMMITTED) == cite.Dates("2024-01-15", "2024-09-09", cite.NOT_COMMITTED)
    assert cite.whole_dates({}, cite.NO_GIT) == cite.Dates(None, None, cite.NO_GIT)
    shallow = {"a.md": cite.Dates(None, "2024-05-01", cite.SHALLOW), "b.md": cite.Dates(None, "2024-09-09", cite.SHALLOW)}
    assert cite.whole_dates(shallow, cite.NOT_COMMITTED) == cite.Dates(None, "2024-09-09", cite.SHALLOW)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_print_edition_is_dated_by_the_pages_it_gathers(built_site):
    spans = [span for span in (_git_log_dates(p.relative_to(ROOT / "docs").as_posix())
                               for p in (ROOT / "docs").rglob("*.md")) if span]
    page = read_page(built_site / "reference" / "print-edition" / "index.html")
    assert spans, "no page of docs/ is committed"
    assert page.block["times"][:2] == [max(s[1] for s in spans), min(s[0] for s in spans)]


def test_a_source_read_online_without_a_date_is_cited_with_the_readers_access_date():
    """APA and Chicago want the date a reader retrieved an undated web page; only the reader knows it: the
    citations carry "[date accessed]" (BibTeX "[date]"), which cite.js fills in. A dated work has none."""
    from primer.site import source_citations
    undated = source_citations.source_citations("chinesedreamndinternal", "para. 3")
    assert "Retrieved [date accessed], from https://www.chinesedream.earth/" in undated["apa"]
    assert "Accessed [date accessed]." in undated["chicago"]
    assert "urldate      = {[date]}," in undated["bibtex"]
    assert "1111" not in undated["apa"] + undated["chicago"] + undated["bibtex"]
    for key in ("li2025twoway", "guangdongndbrief"):   # dated; no URL
        dated = source_citations.source_citations(key)
        assert "[date" not in dated["apa"] + dated["chicago"] + dated["bibtex"], key
    templates = source_citations.source_templates(["zhaondinnovative", "li2025twoway"])
    assert "Retrieved [date accessed], from" in templates["zhaondinnovative"]["apa"]
    assert "[date" not in templates["li2025twoway"]["apa"]


def test_without_javascript_a_source_box_holds_the_builds_day_not_a_placeholder(built_site):
    """What a reader without JavaScript copies from a "Cite this source" box is a whole reference: the access
    date of an undated web source is the build's day (cite.js puts in the reader's); the templates the script
    completes keep their placeholders."""
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    shown = re.sub(r'data-[a-z-]+="[^"]*"', "", page)   # the attributes the script reads, left out
    assert "[date" not in shown
    day = dt.date.today()
    assert f"Retrieved {day:%B} {day.day}, {day.year}, from https://www.chinesedream.earth/" in html.unescape(shown)
    assert "[date accessed]" in html.unescape(page)   # still in data-source-cite, for cite.js


def test_the_builds_day_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")   # 2025-12-07
    assert cite.with_build_day("Retrieved [date accessed], from x; urldate = {[date]}; Y2 [date, YYYY/MM/DD]") == \
        "Retrieved December 7, 2025, from x; urldate = {2025-12-07}; Y2 2025/12/07"
