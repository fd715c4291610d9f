"""No script from content (issue 22, part 1), in the built HTML.

- One row per data file (tests/planted_payloads.py): the payload planted there is shown as text on the row's
  pages, and is markup nowhere in the built site (no such <script>, no onerror attribute). Chromium's side is
  tests/browser/test_content_safety.py.
- The real site: every HTML file carries the Content-Security-Policy <meta> early in its <head>, every inline
  script it runs is allowed by hash, and no element has an inline event handler (on…=).
- The policy's logic (primer.site.csp, primer.site.safe_html) on planted pages, without a build.
"""
from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import mkdocs_build
from planted_payloads import ROWS, payload, planted_site

from primer.site import csp, safe_html


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    return planted_site(tmp_path_factory)


class _Elements(HTMLParser):
    """Every start tag's name and attributes, the text outside <script> and <style>, and each inline script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: str | None = None
        self._attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs = tag, dict(attrs)
            self._script = ""

    def handle_endtag(self, tag):
        if tag == self._in:
            if tag == "script":
                self.scripts.append((self._attrs, self._script))
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self._script += data
        elif self._in is None:
            self.text.append(data)


@functools.cache
def _parse(path: Path) -> _Elements:
    """PATH parsed once per test run (the rows each read every page of the planted site): read it, never change it."""
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _shown(path: Path) -> str:
    """What a reader reads on the page, <title> and attributes aside (lowercase: CSL styles change the case)."""
    return " ".join("".join(_parse(path).text).split()).lower()


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_payload_planted_in_a_data_file_is_shown_as_text_and_never_markup(planted, row):
    marker = f"window.pwn{row.name}=true"
    for page in row.pages:
        shown = _shown(planted / page / "index.html")
        assert f"<script>{marker}</script>".lower() in shown, \
            f"/{page}: the payload planted in {row.file} is not shown as text; it reads {shown[:300]!r}…"
    for path in sorted(planted.rglob("*.html")):
        parsed = _parse(path)
        where = path.relative_to(planted)
        ran = [text for _, text in parsed.scripts if marker in text]
        assert not ran, f"{where}: the payload planted in {row.file} is a <script> element: {ran}"
        handlers = [(tag, attrs) for tag, attrs in parsed.tags
                    if any(name.startswith("on") and marker in (value or "") for name, value in attrs.items())]
        assert not handlers, f"{where}: the payload planted in {row.file} is an element with a handler: {handlers}"


def test_the_front_matter_title_and_description_stay_in_their_elements(planted):
    page = _parse(planted / "primer" / "index.html")
    titles = [attrs for tag, attrs in page.tags if tag == "title"]
    assert len(titles) == 1
    text = (planted / "primer" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert html.unescape(title).startswith("The primer " + payload("Title")), title
    descriptions = [attrs["content"] for tag, attrs in page.tags if tag == "meta" and attrs.get("name") == "description"]
    assert descriptions == ['Thematic chapters that set the sources side by side, question by question. "> '
                            + payload("Description")], descriptions


def test_the_glossary_tooltip_is_escaped_for_materials_second_parse(planted):
    """Material's tooltips append an abbr's title with innerHTML: its value, once the attribute is read, must
    still be escaped, so that the second parse gives back the definition's text."""
    page = _parse(planted / "primer" / "what-is-dual-circulation" / "index.html")
    titles = [attrs["title"] for tag, attrs in page.tags if tag == "abbr" and "pwnGlossary" in attrs.get("title", "")]
    assert titles, "no glossary term on the page shows the planted definition"
    assert all("&lt;img src='x'" in title and "<" not in title for title in titles), titles[0]
    assert html.unescape(titles[0]).endswith("reinforce each other " + payload("Glossary") + ".")


# -- the real site -----------------------------------------------------------------------------------------------

_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def test_every_page_has_the_policy_hashes_its_scripts_and_no_inline_handler(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 20 and (built_site / "404.html") in pages
    for path in pages:
        where = path.relative_to(built_site)
        text = path.read_text(encoding="utf-8")
        found = _CSP.findall(text)
        assert len(found) == 1, f"{where}: {len(found)} Content-Security-Policy <meta> (one expected)"
        head = text[:text.find("</head>")]
        assert head.find("Content-Security-Policy") < head.find("<script"), f"{where}: a script before the policy"
        policy = dict(part.strip().split(" ", 1) for part in html.unescape(found[0]).split(";"))
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'", policy
        assert policy["base-uri"] == "'self'" and policy["form-action"] in ("'self'", "'none'"), policy
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"], policy
        assert not re.search(r"https?:|\*", found[0]), f"{where}: the policy names another host: {found[0]}"
        parsed = _parse(path)
        for attrs, script in parsed.scripts:
            if "src" in attrs or attrs.get("type") == "application/json":
                continue
            assert csp.digest(script) in policy["script-src"], \
                f"{where}: the inline script {script[:60]!r}… is not allowed by the page's policy"
        handlers = [(tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")]
        assert not handlers, f"{where}: inline event handlers {handlers[:5]}"


# -- the logic, on planted pages ---------------------------------------------------------------------------------

def _theme_dirs():
    from mkdocs.theme import Theme
    root = Path(__file__).resolve().parents[1]
    return Theme(name="material", custom_dir=str(root / "overrides")).dirs


MD_SCOPE = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
            '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
            '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
PAGE = ('<!doctype html><html><head>\n<meta charset="utf-8"><title>t</title>\n<script>' + MD_SCOPE + '</script>\n'
        '</head><body><article class="md-content__inner">ARTICLE</article>BODY</body></html>')


def test_only_the_themes_own_scripts_outside_the_content_are_hashed():
    templates = csp.theme_scripts(_theme_dirs())
    plain = csp.with_policy(PAGE.replace("ARTICLE", "").replace("BODY", ""), templates)
    assert csp.digest(MD_SCOPE) in plain.output and plain.refused == []
    # the theme's script, copied into the content, is not allowed there; nor is a script that differs from it
    smuggled = MD_SCOPE.replace('"../.."', '"../..");window.pwn=(1')
    for article, body in ((f"<script>{MD_SCOPE}</script>", ""), ("", f"<script>{smuggled}</script>"),
                          ("", "<script>window.pwn=true</script>")):
        checked = csp.with_policy(PAGE.replace("ARTICLE", article).replace("BODY", body), templates)
        assert len(checked.refused) == 1, (article, body)
        policy = _CSP.search(checked.output).group(1)
        assert policy.count("'sha256-") == 1 and csp.digest(MD_SCOPE) in policy
    # a page without <head> (sitemap.xml) is left as it is
    assert csp.with_policy("<urlset></urlset>", templates).output == "<urlset></urlset>"


def test_a_title_attribute_survives_the_second_parse_as_its_text():
    tip = safe_html.tooltips_as_text('<abbr title="R&amp;D &lt;img src=x onerror=y&gt; &quot;q&quot;">X</abbr>')
    value = html.unescape(re.search(r'title="([^"]*)"', tip).group(1))   # what the browser reads (el.title)
    assert "<" not in value and html.unescape(value) == 'R&D <img src=x onerror=y> "q"'   # innerHTML's text
    untouched = ['<a title="Permanent link">', '<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft.a=b">']
    assert [safe_html.tooltips_as_text(t) for t in untouched] == untouched


def test_a_front_matter_title_is_escaped_exactly_once_in_the_templates():
    import jinja2
    title = safe_html.title_as_html('Trade & <b>"tech"</b>\'s')
    env = jinja2.Environment(autoescape=False)
    assert env.from_string("{{ t }}|{{ t | e }}").render(t=title) == \
        "Trade &amp; &lt;b&gt;&quot;tech&quot;&lt;/b&gt;'s|Trade &amp; &lt;b&gt;&quot;tech&quot;&lt;/b&gt;'s"


def test_a_character_pandoc_escaped_stays_text_in_a_reference():
    """Pandoc's Markdown escapes "<" and ">" in a title; undoing its escapes must not make them markup again."""
    from primer.build.bibtex_adapter import unescape_pandoc
    undone = unescape_pandoc(r"\<img src='x' onerror='y'/\> R\&D \&lt;b\&gt; Belt\ & Road")
    assert "<" not in undone and undone.startswith("&lt;img") and "R&amp;D &amp;lt;b" in undone, undone


def test_under_serve_the_policy_lets_the_live_reload_script_run_and_still_reports_the_others():
    """MkDocs' server puts an inline script with a new timestamp into every page it serves: no hash can allow it."""
    templates = csp.theme_scripts(_theme_dirs())
    page = PAGE.replace("ARTICLE", "").replace("BODY", "<script>window.pwn=true</script>")
    served = csp.with_policy(page, templates, live_reload=True)
    policy = _CSP.search(served.output).group(1)
    assert "script-src 'self' 'unsafe-inline';" in policy and "sha256" not in policy and "default-src 'self'" in policy
    assert len(served.refused) == 1


def test_a_link_that_would_run_as_script_stops_the_strict_build(project_copy, tmp_path):
    """A `javascript:` link in a chapter, and one in references.bib (pandoc writes a reference's URL as a
    link): each is named with the page and where it is written, and the strict build stops."""
    chapter = project_copy / "docs" / "primer" / "external-risks.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nSee [this](javascript:alert(1)).\n", encoding="utf-8")
    bib = project_copy / "references.bib"
    text = bib.read_text(encoding="utf-8")
    url = re.search(r"url\s*=\s*\{(https://[^}]*)\}", text).group(1)
    bib.write_text(text.replace(url, "javascript:alert(2)", 1), encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    line = chapter.read_text(encoding="utf-8").splitlines().index("See [this](javascript:alert(1)).") + 1
    assert (f'primer/external-risks.md: the link href="javascript:alert(1)" uses the scheme javascript:, which a '
            f"browser would follow as script or as no page (written in docs/primer/external-risks.md:{line})") in log
    bib_line = text[:text.index(url)].count("\n") + 1
    assert 'href="javascript:alert(2)"' in log and f"(written in references.bib:{bib_line})" in log, log


@pytest.mark.parametrize("tag", ['<a href="javascript:alert(1)">', '<a href="jav&#x09;ascript:alert(1)">',
                                 "<a href=' JAVASCRIPT:alert(1)'>", '<a href="java\nscript:alert(1)">',
                                 "<img src=data:text/html,x>", '<iframe src="vbscript:x">',
                                 '<form action="&#106;avascript:alert(1)">', '<a href="&#x01;javascript:x">'])
def test_a_url_a_browser_would_run_or_not_open_as_a_page_is_found(tag):
    assert [found[:2] for found in safe_html.unsafe_urls(f"<p>\n{tag}x</p>")] == [(2, tag.split()[1].split("=")[0])]


def test_safe_urls_and_text_that_only_looks_like_a_link_are_left_alone():
    page = ('<a href="https://example.org/">a</a> <a href="http://x">b</a> <a href="mailto:a@b.org">c</a> '
            '<a href="../x/#y">d</a> <img src="img/a.png"> <a href="#fn:1">e</a> <a title="a: b" href="x.html">f</a>'
            "<code>&lt;a href=&quot;javascript:1&quot;&gt;</code> href=javascript:2")
    assert safe_html.unsafe_urls(page) == []
