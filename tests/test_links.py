"""Internal links and anchors, offline: the real site has none broken, and the
checker (scripts/primer/checks/links.py: lychee plus our own HTML pass) is proven on
small fixture sites to catch each kind of defect it claims to catch. Also the
https rule for external links in chapters."""
from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, mkdocs_build

from primer.checks.links import _mkdocs_config, check_site, insecure_links, run_lychee

DOCS = ROOT / "docs"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _listing(problems) -> str:
    return "\n".join(f"site/{p}" for p in problems)


# --------------------------------------------------------------------------- the real site

def test_real_site_has_no_broken_internal_link_or_anchor(built_site):
    problems = check_site(built_site, docs_dir=DOCS, site_url=_mkdocs_config(ROOT).get("site_url"))
    assert not problems, "broken internal links or anchors:\n" + _listing(problems)


def test_real_site_check_is_not_vacuous(built_site):
    """lychee read the pages: it saw the footnotes, the bibliography and the external links."""
    report = run_lychee(built_site)
    assert report["successful"] > 100, report["successful"]
    excluded = {e["url"] for entries in report["excluded_map"].values() for e in entries}
    assert any(url.startswith("https://doi.org/") for url in excluded), "external links were not seen"


def test_defects_planted_in_a_copy_of_the_real_site_are_caught(built_site, tmp_path):
    """On real Material + mkdocs-bibtex output: a footnote whose reference is gone, and a
    bibliography entry whose anchor is gone."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    chapter = site / "sources" / "li-2025-two-way-internationalization" / "index.html"
    text = chapter.read_text(encoding="utf-8")
    assert 'id="fnref:cite-1"' in text
    chapter.write_text(text.replace('id="fnref:cite-1"', 'id="fnref-removed"', 1), encoding="utf-8")
    bib = site / "reference" / "bibliography" / "index.html"
    bib.write_text(bib.read_text(encoding="utf-8").replace('id="li2025twoway"', 'id="li-removed"'),
                   encoding="utf-8")
    (site / "sources" / "index.html").open("a", encoding="utf-8").write(
        '<a href="../reference/bibliography/#li2025twoway">Li</a>\n')
    problems = check_site(site, docs_dir=DOCS)
    found = {(p.page, p.link) for p in problems}
    assert ("sources/li-2025-two-way-internationalization/index.html", "#fnref:cite-1") in found, \
        _listing(problems)
    assert ("sources/index.html", "../reference/bibliography/#li2025twoway") in found, _listing(problems)
    back = next(p for p in problems if p.link == "#fnref:cite-1")
    assert back.source.startswith("docs/sources/li-2025-two-way-internationalization.md"), back


# --------------------------------------------------------------------------- fixture sites built by MkDocs

CLEAN_INDEX = """\
# Home

## Start here

[The other page](other.md), [its section](other.md#a-section) and [the start](#start-here).

![A picture](img/ok.png)

A claim.[^a]

[^a]: A note.
"""

OTHER = "# Other\n\n## A section\n\nText.\n"

# defect: (Markdown added to index.md, the link as it stands in the HTML,
#          what the HTML check says, what MkDocs' strict validation says)
DEFECTS = {
    "missing page": ("[gone](missing.md)", "missing.md",
                     "no file missing.md in the site", "'missing.md', but the target is not found"),
    "missing anchor on another page": ("[gone](other.md#no-such-section)", "other/#no-such-section",
                                       'no element with id "no-such-section" in other/index.html',
                                       "does not contain an anchor '#no-such-section'"),
    "missing anchor on the same page": ("[gone](#no-such-heading)", "#no-such-heading",
                                        'no element with id "no-such-heading" in index.html',
                                        "'#no-such-heading', but there is no such anchor on this page"),
    "absolute link to the site's own page": ("[gone](/other/)", "/other/",
                                             "root-relative link to the site's own page",
                                             "contains an absolute link '/other/'"),
    "broken image": ("![gone](img/missing.png)", "img/missing.png",
                     "no file img/missing.png in the site", "'img/missing.png', but the target is not found"),
    "dangling footnote back-reference": ("[^ghost]: A note that nothing cites.", "#fnref:ghost",
                                         'no element with id "fnref:ghost" in index.html',
                                         "footnote that is never referenced"),
}

SITE_URL = "https://example.org/primer/"


def make_fixture(tmp_path: Path, index: str, *, validation: str = "project", site_url: str | None = None) -> Path:
    """A two-page Material site; `validation` is the project's block, or every check at `info`."""
    block = _mkdocs_config(ROOT)["validation"]
    if validation == "info":
        block = {group: {key: "info" for key in checks} for group, checks in block.items()}
    config = {"site_name": "Fixture", "strict": True, "theme": {"name": "material", "font": False},
              "validation": block, "nav": ["index.md", "other.md"],
              "markdown_extensions": ["footnotes", "attr_list", "md_in_html", {"toc": {"permalink": True}}]}
    if site_url:
        config["site_url"] = site_url
    project = tmp_path / "project"
    (project / "docs" / "img").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (project / "docs" / "index.md").write_text(index, encoding="utf-8")
    (project / "docs" / "other.md").write_text(OTHER, encoding="utf-8")
    (project / "docs" / "img" / "ok.png").write_bytes(PNG)
    return project


def build_fixture(project: Path) -> Path:
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.parametrize("site_url", [None, SITE_URL])
def test_clean_fixture_passes(tmp_path, site_url):
    project = make_fixture(tmp_path, CLEAN_INDEX, site_url=site_url)
    site = build_fixture(project)
    assert (site / "404.html").is_file() and (site / "search" / "search_index.json").is_file()
    problems = check_site(site, docs_dir=project / "docs", site_url=site_url)
    assert problems == [], _listing(problems)


@pytest.mark.parametrize("defect", DEFECTS)
def test_strict_build_refuses_the_defect(tmp_path, defect):
    """MkDocs' validation (the project's block, with --strict) is the first line."""
    markdown, _link, _reason, log = DEFECTS[defect]
    project = make_fixture(tmp_path, CLEAN_INDEX + "\n" + markdown + "\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0, f"strict build accepted: {defect}"
    assert log in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("site_url", [None, SITE_URL])
@pytest.mark.parametrize("defect", DEFECTS)
def test_html_check_reports_the_defect(tmp_path, defect, site_url):
    """The HTML check catches the same defect in the built pages, by itself: exactly one
    problem, naming the page, the link, the reason and the Markdown line."""
    markdown, link, reason, _log = DEFECTS[defect]
    index = CLEAN_INDEX + "\n" + markdown + "\n"
    project = make_fixture(tmp_path, index, validation="info", site_url=site_url)
    problems = check_site(build_fixture(project), docs_dir=project / "docs", site_url=site_url)
    assert len(problems) == 1, _listing(problems)
    problem = problems[0]
    assert (problem.page, problem.link) == ("index.html", link), problem
    assert reason in problem.reason, problem
    assert problem.line, problem
    assert problem.source == f"docs/index.md:{index.splitlines().index(markdown) + 1}", problem


def test_absolute_link_to_the_public_address_is_reported(tmp_path):
    """MkDocs treats https://<site_url>/... as external; the HTML check knows it is our own."""
    index = CLEAN_INDEX + "\n[gone](https://example.org/primer/other/)\n"
    project = make_fixture(tmp_path, index, site_url=SITE_URL)
    problems = check_site(build_fixture(project), docs_dir=project / "docs", site_url=SITE_URL)
    assert [(p.page, p.link) for p in problems] == [("index.html", "https://example.org/primer/other/")], \
        _listing(problems)
    assert "absolute link to the site's own page" in problems[0].reason


def test_raw_html_links_pass_mkdocs_but_not_the_html_check(tmp_path):
    """MkDocs validates Markdown links only: raw HTML (as the build and md_in_html produce) slips past."""
    index = CLEAN_INDEX + '\n<a href="#fnref:planted">back</a> <a href="missing-raw/">raw</a>\n'
    project = make_fixture(tmp_path, index)  # the project's own validation, strict
    problems = check_site(build_fixture(project), docs_dir=project / "docs")
    assert sorted(p.link for p in problems) == ["#fnref:planted", "missing-raw/"], _listing(problems)


# --------------------------------------------------------------------------- hand-written HTML trees

PAGE = '<!doctype html><html><head><title>t</title></head><body><article>\n{}\n</article></body></html>\n'

# case: (files of the site, site_url, expected [(page, link, part of the reason)])
HANDWRITTEN = {
    "anchor missing on the generated bibliography": (
        {"index.html": '<a href="reference/bibliography/#li2025twoway">ok</a>\n'
                       '<a href="reference/bibliography/#nokey2020">gone</a>',
         "reference/bibliography/index.html": '<div class="bib-entry" id="li2025twoway">Li</div>'},
        None, [("index.html", "reference/bibliography/#nokey2020", 'no element with id "nokey2020"')]),
    "dangling footnote back-reference on a generated page": (
        {"index.html": '<p>Claim<sup id="fnref:a"><a href="#fn:a">1</a></sup></p>\n'
                       '<div class="footnote"><ol><li id="fn:a">Note <a href="#fnref:a">back</a></li>\n'
                       '<li id="fn:b">Orphan <a href="#fnref:b">back</a></li></ol></div>'},
        None, [("index.html", "#fnref:b", 'no element with id "fnref:b"')]),
    "footnote reference to a missing note": (
        {"index.html": '<p>Claim<sup id="fnref:a"><a href="#fn:zz">1</a></sup></p><ol><li id="fn:a">x</li></ol>'},
        None, [("index.html", "#fn:zz", 'no element with id "fn:zz"')]),
    "script that is not there": (
        {"index.html": '<script src="assets/missing.js"></script>'},
        None, [("index.html", "assets/missing.js", "no file assets/missing.js")]),
    "code line anchor inside pre": (
        {"index.html": '<pre><code><a id="l1" href="#l1">1</a><a href="#l9">9</a></code></pre>'},
        None, [("index.html", "#l9", 'no element with id "l9"')]),
    "id defined twice": (
        {"index.html": '<p id="fn:a">one</p><p id="fn:a">two</p><a href="#fn:a">x</a>'},
        None, [("index.html", "#fn:a", "defined 2 times")]),
    "inline style with a missing image": (
        {"index.html": '<div style="background: url(\'img/gone.png\')"></div>'},
        None, [("index.html", "img/gone.png", "no file img/gone.png")]),
    "root-relative link on a print edition": (
        {"index.html": '<a href="print/">print</a>',
         "print/index.html": '<h2 id="ch1">One</h2><a href="/print/#ch1">here</a>'},
        None, [("print/index.html", "/print/#ch1", "root-relative link")]),
    "404 page outside the site's path": (
        {"index.html": "home", "404.html": '<a href="/primer/">ok</a><a href="/other/">gone</a>'},
        SITE_URL, [("404.html", "/other/", "no file other/index.html"),
                   ("404.html", "/other/", "outside the site's path /primer/")]),
    "absolute link to the public address (canonical is fine)": (
        {"index.html": '<link rel="canonical" href="https://example.org/primer/">'
                       '<a href="https://example.org/primer/x/">x</a>', "x/index.html": "x"},
        SITE_URL, [("index.html", "https://example.org/primer/x/", "absolute link to the site's own page")]),
    "search index leads to a missing anchor": (
        {"index.html": '<h2 id="a">A</h2>',
         "search/search_index.json": '{"docs": [{"location": "#a"}, {"location": "#gone"}, {"location": "x/"}]}'},
        None, [("search/search_index.json", "#gone", 'no element with id "gone"'),
               ("search/search_index.json", "x/", "no page x/")]),
    "sitemap entry without a page": (
        {"index.html": "home",
         "sitemap.xml": "<urlset><url><loc>https://example.org/primer/</loc></url>\n"
                        "<url><loc>https://example.org/primer/gone/</loc></url></urlset>"},
        SITE_URL, [("sitemap.xml", "https://example.org/primer/gone/", "no page gone/")]),
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(body) if name.endswith(".html") else body, encoding="utf-8")
    return root


@pytest.mark.parametrize("case", HANDWRITTEN)
def test_html_check_on_handwritten_pages(tmp_path, case):
    files, site_url, expected = HANDWRITTEN[case]
    problems = check_site(write_site(tmp_path / "site", files), site_url=site_url)
    assert len(problems) == len(expected), _listing(problems)
    for problem, (page, link, reason) in zip(problems, sorted(expected)):
        assert (problem.page, problem.link) == (page, link), _listing(problems)
        assert reason in problem.reason, problem


def test_handwritten_clean_tree_passes(tmp_path):
    files = {
        "index.html": '<h1 id="top">T</h1><a href="#top">top</a><a href="#">top too</a><a name="n"></a>'
                      '<a href="#n">named</a><a href="other/">o</a><a href="other/#%E4%B8%AD%E6%96%87">zh</a>'
                      '<a href="other/index.html#s">s</a><img src="img/ok.png" srcset="img/ok.png 2x">'
                      '<a href="https://example.org/">external</a><a href="mailto:a@example.org">mail</a>',
        "other/index.html": '<h2 id="中文">zh</h2><h2 id="s">s</h2><a href="../">home</a>',
    }
    site = write_site(tmp_path / "site", files)
    (site / "img").mkdir()
    (site / "img" / "ok.png").write_bytes(PNG)
    assert check_site(site) == []


# --------------------------------------------------------------------------- offline means offline

class _Counting(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


def test_external_links_are_excluded_not_fetched(tmp_path):
    """lychee --offline lists an external URL as excluded; it neither fetches nor passes it."""
    _Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page"
        site = write_site(tmp_path / "site", {"index.html": f'<a href="{url}">x</a><a href="#">top</a>'})
        assert check_site(site) == []
        report = run_lychee(site)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    excluded = {e["url"] for entries in report["excluded_map"].values() for e in entries}
    assert url in excluded and report["successful"] == 1 and report["excludes"] == 1, report
    assert _Counting.hits == [], "lychee fetched an external URL in offline mode"


# --------------------------------------------------------------------------- https only in chapters

def test_chapters_link_only_to_https():
    problems = insecure_links(DOCS)
    assert not problems, "\n".join(map(str, problems))


def test_https_rule_catches_a_planted_http_link(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "chapter.md").write_text("\n".join([
        "[a](http://example.org/a)",                                          # 1 flagged
        "<http://example.org/b>",                                             # 2 flagged
        '<a href="http://example.org/c">c</a>',                               # 3 flagged
        "[ref]: http://example.org/d",                                        # 4 flagged
        "See http://example.org/e.",                                          # 5 flagged
        "[f](http://example.org/f) <!-- http-ok: the site has no https -->",  # 6 marked
        "[g](http://example.org/g) <!-- http-ok: -->",                        # 7 marker without reason
        "`http://127.0.0.1:8000` is code",                                    # 8 code span
        "```text",                                                            # 9
        "http://example.org/h",                                               # 10 fenced code
        "```",                                                                # 11
        "[i](https://example.org/i) and [j](HTTP://example.org/j)",          # 12 flagged j
    ]) + "\n", encoding="utf-8")
    problems = insecure_links(docs)
    assert [(p.page, p.line, p.link) for p in problems] == [
        ("docs/chapter.md", 1, "http://example.org/a"), ("docs/chapter.md", 2, "http://example.org/b"),
        ("docs/chapter.md", 3, "http://example.org/c"), ("docs/chapter.md", 4, "http://example.org/d"),
        ("docs/chapter.md", 5, "http://example.org/e"), ("docs/chapter.md", 7, "http://example.org/g"),
        ("docs/chapter.md", 12, "HTTP://example.org/j")], "\n".join(map(str, problems))
    assert "gives no reason" in problems[5].reason
