"""MkDocs hook: charts. One job: draw charts.yaml's charts from the figure ledger where a page asks.

- Files (after hooks/ledger.py has run the figure check): each chart's points are resolved to
  their ledger rows, the pages' marker lines `<!-- chart: ID -->` are checked against
  charts.yaml, and every chart is drawn as SVG (primer.site.chart_data resolves, primer.site.chart_drawing draws). A problem
  fails the build, one line each, naming charts.yaml or the page. The captions' citation blocks
  go to mkdocs-bibtex's registry, formatted as hooks/citations.py formats the pages' blocks
  (usually already cached: a caption cites the passage the chapter cites for the same figure).
- Page Markdown (before mkdocs-bibtex replaces citation blocks): a marker becomes the figure,
  its caption with the citation, and the data as a table.
- Page HTML: the SVG goes inline into the figure, so its colours follow the light/dark palette. A chart
  not in .cache/charts/ is drawn in a second process while the build goes on (primer.site.chart_drawing.Drawing):
  started before the figure check when the cache holds no drawing at all (a fresh clone), so that
  matplotlib is imported meanwhile, otherwise once a chart is found missing.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from primer.build import bibtex_adapter as bibtex
from primer.build import build_state
from primer.site import chart_data as chartdata
from primer.site import chart_drawing as chartlib

CACHE = ".cache/charts"  # drawn SVGs, in the project; key: scripts/primer/site/chart_drawing.py cache_key(): rows, chart, code, matplotlib
_resolved: dict = {}   # chart id -> charts.Resolved, for this build
_svgs: dict = {}       # chart id -> inline SVG
_state: dict = {}      # the cache's folder; the process drawing the charts the cache does not hold


@event_priority(100)  # first: with no drawing cached (a fresh clone), matplotlib is imported meanwhile
def on_pre_build(config):
    _finish()
    _state["cache"] = Path(config.config_file_path).resolve().parent / CACHE
    if chartlib.none_cached(_state["cache"]):
        _state["drawing"] = chartlib.Drawing(_state["cache"])


@event_priority(-50)  # after hooks/ledger.py (-40) has this build's figure check
def on_files(files, config):
    _resolved.clear()
    _svgs.clear()
    root = Path(config.config_file_path).resolve().parent
    try:
        result = build_state.figure_check(config)
    except build_state.NotRun as err:
        raise PluginError(str(err)) from None
    if result is None:
        raise PluginError("charts: the figure check could not run (see the warning above), so no chart can be drawn")
    try:
        charts = chartdata.load(root / chartdata.DATA)
    except chartdata.ChartError as err:
        raise PluginError(str(err)) from None
    resolved, problems = chartdata.resolve(charts, result.rows)
    pages = {file.src_uri: file.content_string for file in files.documentation_pages()}
    problems += chartdata.check_markers(charts, pages)
    if problems:
        raise PluginError("\n".join(problems))
    for chart in resolved:
        _resolved[chart.id] = chart
    # a new drawing is made in a process of its own while the pages are rendered; cached ones are read
    new = chartlib.missing(resolved, root / CACHE)
    if new and "drawing" not in _state:
        _state["drawing"] = chartlib.Drawing(root / CACHE)
    if "drawing" in _state:
        _state["drawing"].draw(new)
    # The captions' citations, formatted once like every page's (hooks/citations.py).
    blocks = [block for chart in resolved for block in bibtex.blocks_in(chart.citation)]
    bibtex.format_blocks(bibtex.registry(config), blocks)
    return files


@event_priority(50)  # before mkdocs-bibtex (priority 0) replaces the citation blocks
def on_page_markdown(markdown, page, config, files):
    return chartlib.expand(markdown, _resolved, page.file.src_uri)


def on_page_content(html, page, config, files):
    for chart_id in _resolved:
        empty = chartlib.placeholder(chart_id)
        if empty in html:
            html = html.replace(empty, empty.replace('"></div>', f'" data-search-exclude>{_svg(chart_id)}</div>'))
    return html


def _svg(chart_id: str) -> str:
    if chart_id not in _svgs:
        _finish()
        _svgs[chart_id] = chartlib.svg(_resolved[chart_id], cache_dir=_state["cache"])  # matplotlib only if not drawn
    return _svgs[chart_id]


def _finish() -> None:
    drawing = _state.pop("drawing", None)
    if drawing is not None:
        drawing.wait()


def on_post_build(config):
    _finish()   # no page showed a chart: its drawings are still kept
