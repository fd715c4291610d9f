"""`mkdocs serve` tells the truth (primer.build.live_server): one server, in a copy of the project, sees an edit of
each input the build reads served, and a strict error answered with the last good site and the error shown.

The copy imports its own scripts/ (as the build of a copy whose code a test changed: csl_render reads the styles
beside the package), starts from the session's caches when there are any, and is served once for every test here
(primer.bench.reload.serving, as the bench's live reload runs it)."""
from __future__ import annotations

import os
import re
import time

import pytest
from conftest import copy_project, warm

from primer.bench.reload import get, serving

SERVED_WITHIN_S = 300   # one rebuild of the whole site, on a busy two-core machine
ANSWER_WITHIN_S = 240   # a request waits while a rebuild runs, never longer: then it hung
BANNER = 'id="primer-serve-errors"'


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    warm(project)
    code = os.pathsep.join(filter(None, [str(project / "scripts"), os.environ.get("PYTHONPATH")]))
    with serving(project, env={"PYTHONPATH": code, "PRIMER_PDF": "0"}) as (url, lines):
        yield project, url, lines


def edit(path, old: str, new: str, count: int = 1) -> str:
    """PATH with OLD replaced by NEW (COUNT times); its former text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found: the test's edit needs updating"
    time.sleep(1.0)  # the watcher (it polls every 0.5 s) has seen the previous state
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text


def served_when(url: str, ready, what: str, lines: list[str]) -> str:
    """The page at URL, fetched until READY(body) holds; fails after SERVED_WITHIN_S, or at once when a request
    gets no answer (hangs) or an answer other than 200."""
    deadline = time.monotonic() + SERVED_WITHIN_S
    while True:
        start = time.monotonic()
        status, body = get(url, timeout=ANSWER_WITHIN_S)
        if status == 0:
            pytest.fail(f"{url}: no answer in {time.monotonic() - start:.0f} s (the request hung); the server's last "
                        "output:\n" + "\n".join(lines[-20:]))
        assert status == 200, f"{url}: HTTP {status}"
        if ready(body):
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"{url}: {what} not served in {SERVED_WITHIN_S} s; the server's last output:\n"
                        + "\n".join(lines[-20:]))
        time.sleep(0.2)


def test_every_input_is_watched_and_served_fresh(served):
    project, url, lines = served

    # sources/: the manifest's title of a source, in its source-text page's heading
    edit(project / "sources/manifest.yaml", "Research on the Synergistic", "Manifestzq on the Synergistic")
    page = url + "sources/li-2025-two-way-internationalization/text/"
    body = served_when(page, lambda b: "Manifestzq" in b, "the manifest's edit", lines)
    assert "Source text: Manifestzq on the Synergistic" in body

    # references.bib: a title, in the bibliography and in the works cited of a chapter (a source document's reference
    # as primer.site.source_citations renders it for both: curly quotes)
    edit(project / "references.bib", "title        = {Internal circulation", "title        = {Bibzq circulation")
    served_when(url + "reference/bibliography/", lambda b: "Bibzq Circulation" in b, "the .bib's edit", lines)
    served_when(url + "primer/domestic-circulation/",
                lambda b: '<li id="work-chinesedreamndinternal">chinesedream.earth. n.d. “Bibzq Circulation' in b,
                "the .bib's edit (works cited)", lines)

    # the CSL style: Chicago's "n.d." renamed; every Chicago rendering of the site has it, none the old one:
    # mkdocs-bibtex's (a chapter's works cited), the bibliography's and each page's own citation (csl_render)
    edit(project / "styles/chicago-author-date.csl", '<term name="timestamp">at</term>',
         '<term name="timestamp">at</term>\n      <term name="no date" form="short">nodatezq</term>')
    for path in ("primer/domestic-circulation/", "reference/bibliography/"):
        body = served_when(url + path, lambda b: "chinesedream.earth. nodatezq" in b, "the CSL style's edit", lines)
        assert "chinesedream.earth. n.d." not in body, f"{path}: two versions of the Chicago style on one page"
        assert "contributors. nodatezq" in body and "contributors. n.d." not in body, \
            f"{path}: the page's own Chicago citation kept the old style"
        assert "(n.d.)" in body  # APA, unchanged

    # glossary.yaml: a term's English, on the glossary page
    edit(project / "glossary.yaml", "english: dual circulation\n", "english: dual circulation glosszq\n")
    served_when(url + "reference/glossary/", lambda b: "glosszq" in b, "the glossary's edit", lines)


def test_a_strict_error_is_shown_on_the_last_good_site(served):
    project, url, lines = served
    chapter = project / "docs/primer/external-risks.md"
    page = url + "primer/external-risks/"
    good = served_when(page, lambda b: BANNER not in b, "the page", lines)
    assert "Europe and the US 2% of <abbr" in good

    original = edit(chapter, "Europe and the US 2% of FDI in 2019", "Europe and the US 7% of FDI in 2019")
    try:
        body = served_when(page, lambda b: BANNER in b, "the error banner", lines)
        banner = re.search(rf"<div {BANNER}.*?</div>", body, re.DOTALL).group()
        log = "\n".join(lines[-40:])
        assert "docs/primer/external-risks.md:68:" in banner and "7%" in banner, f"{banner}\n\nserver:\n{log}"
        assert "strict mode" in banner, f"{banner}\n\nthe server's last output:\n{log}"
        assert "Europe and the US 2% of <abbr" in body and "US 7%" not in body.replace(banner, "")
        assert any("still serving the last good site" in line for line in lines)
        # every page answers, with the banner
        assert BANNER in get(url, timeout=ANSWER_WITHIN_S)[1]
    finally:
        time.sleep(1.0)
        chapter.write_text(original, encoding="utf-8")
    body = served_when(page, lambda b: BANNER not in b, "the fixed page", lines)
    assert "Europe and the US 2% of <abbr" in body


# -- the pieces, without a server ---------------------------------------------------------------------------

def test_a_changed_style_is_rendered_again_though_the_record_is_the_same(tmp_path, monkeypatch):
    from primer.site import csl_render
    record = {"id": "x", "type": "report", "title": "Domestic circulation",
              "author": [{"literal": "Dual Circulation Primer contributors"}]}
    memo = {}
    assert "n.d." in csl_render.render([record], memo=memo, cache_dir=tmp_path)["x"]["chicago"]
    style = tmp_path / "chicago.csl"
    style.write_text(csl_render.STYLES["chicago"].read_text(encoding="utf-8").replace(
        '<term name="timestamp">at</term>', '<term name="timestamp">at</term><term name="no date" form="short">nodatezq</term>'),
        encoding="utf-8")
    monkeypatch.setitem(csl_render.STYLES, "chicago", style)
    again = csl_render.render([record], memo=memo, cache_dir=tmp_path)["x"]
    assert "nodatezq" in again["chicago"] and "n.d." in again["apa"]


def test_the_bibtex_plugin_makes_a_new_registry_when_the_bib_or_the_style_changes(tmp_path):
    from types import SimpleNamespace

    from primer.build import bibtex_adapter
    bib, csl = tmp_path / "references.bib", tmp_path / "style.csl"
    bib.write_text("@misc{a, title = {A}}\n", encoding="utf-8")
    csl.write_text("<style/>", encoding="utf-8")
    plugin = SimpleNamespace(last_configured=None)
    bibtex_adapter.renew_registry_when_changed(plugin, bib, csl)
    plugin.last_configured = 1.0   # mkdocs-bibtex's on_config made its registry
    bibtex_adapter.renew_registry_when_changed(plugin, bib, csl)
    assert plugin.last_configured == 1.0   # unchanged: the registry is kept
    csl.write_text("<style changed=''/>", encoding="utf-8")
    bibtex_adapter.renew_registry_when_changed(plugin, bib, csl)
    assert plugin.last_configured is None   # its on_config makes a new one
    plugin.last_configured = 2.0
    bib.write_text("@misc{a, title = {B}}\n", encoding="utf-8")
    bibtex_adapter.renew_registry_when_changed(plugin, bib, csl)
    assert plugin.last_configured is None


def test_the_banner_is_put_in_html_pages_only_and_escaped(tmp_path):
    from primer.build.live_server import BANNER_ID, LiveSite

    site = LiveSite(str(tmp_path / "site"))
    try:
        def app(environ, start_response):
            kind = "text/html" if environ["PATH_INFO"].endswith("/") else "text/css"
            start_response("200 OK", [("Content-Type", kind), ("Content-Length", "30")])
            return [b"<html><body class='x'><p>page"]

        def fetch(path):
            got = {}
            body = b"".join(site.with_banner(app)({"PATH_INFO": path}, lambda s, h, e=None: got.update(headers=h)))
            return body, dict(got["headers"])

        assert fetch("/")[0] == b"<html><body class='x'><p>page"   # no error: the page as it is
        site.errors = ['docs/a.md:3:1: figure "<b>7%</b>" is not in [@k, sec. 1]']
        body, headers = fetch("/")
        assert body.startswith(b"<html><body class='x'><div id=\"" + BANNER_ID.encode())
        assert b"&lt;b&gt;7%&lt;/b&gt;" in body and b"<b>" not in body
        assert headers["Content-Length"] == str(len(body))
        assert fetch("/style.css")[0] == b"<html><body class='x'><p>page"
    finally:
        site.close()


def test_a_failure_that_repeats_is_named_on_the_banner_each_time(tmp_path):
    """MkDocs' build logger prints a message once per process (the DuplicateFilter its command line adds), and
    `build` logs a BuildError's message before it raises Abort: a second identical failure under `mkdocs serve`
    logs nothing of it. The banner names it both times, from the error itself."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import Abort, PluginError
    from mkdocs.utils import DuplicateFilter

    from primer.build.live_server import LiveSite

    def builder(config=None):   # what mkdocs.commands.build.build does with a plugin's error
        try:
            raise PluginError("strict mode: 1 warning, each a fault to fix (above)")
        except PluginError as error:
            mkdocs_build.log.error(str(error))
            raise Abort("Aborted with a BuildError!")  # noqa: B904 - as MkDocs raises it

    site, once = LiveSite(str(tmp_path / "site")), DuplicateFilter()
    mkdocs_build.log.addFilter(once)
    try:
        site.rebuild(builder)
        first = list(site.errors)
        site.rebuild(builder)
        assert site.errors == first == ["strict mode: 1 warning, each a fault to fix (above)", "Aborted with a BuildError!"]
    finally:
        mkdocs_build.log.removeFilter(once)
        site.close()
