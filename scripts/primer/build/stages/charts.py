"""Stage 4: charts.yaml's charts drawn from the figure ledger where a page asks.

- `start` (pre_build): with no drawing cached (a fresh clone), a second process starts at once, so that
  matplotlib is imported while the figure check runs.
- `resolve` (files, after the figure check): each chart's points are resolved to their ledger rows, the
  pages' marker lines `<!-- chart: ID -->` are checked against charts.yaml, and every chart not in the cache
  is drawn as SVG in that second process (primer.site.chart_data resolves, primer.site.chart_drawing draws).
  A problem fails the build, one line each, naming charts.yaml or the page. The captions' citation blocks go
  to mkdocs-bibtex's registry, formatted as the pages' blocks are (usually already: a caption cites the
  passage the chapter cites for the same figure).
- `expand` (page Markdown, before the marks): a marker becomes the figure, its caption with the citation,
  and the data as a table.
- `put_svgs` (page HTML): the SVG goes inline into the figure, so its colours follow the light/dark palette.
- `finish` (post_build): the drawing process is waited for, so its drawings are kept.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from primer.build import bibtex_adapter as bibtex
from primer.site import chart_data as chartdata
from primer.site import chart_drawing as chartlib


class Charts:
    def __init__(self, cache_dir: Path, drawn: dict):
        """CACHE_DIR: the drawn SVGs, keyed by chart_drawing.cache_key (rows, chart, code, matplotlib); DRAWN:
        the SVGs drawn or read in this process, kept across `mkdocs serve`'s rebuilds."""
        self.cache = cache_dir
        self.drawn = drawn
        self.resolved: dict = {}   # chart id -> chart_data.Resolved, for this build
        self.svgs: dict = {}       # chart id -> inline SVG
        self.drawing = None        # the process drawing the charts the cache does not hold

    def start(self) -> None:
        if chartlib.none_cached(self.cache):
            self.drawing = chartlib.Drawing(self.cache)

    def resolve(self, files, config, root: Path, result) -> None:
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
        self.resolved = {chart.id: chart for chart in resolved}
        # a new drawing is made in a process of its own while the pages are rendered; cached ones are read
        new = chartlib.missing(resolved, self.cache)
        if new and self.drawing is None:
            self.drawing = chartlib.Drawing(self.cache)
        if self.drawing is not None:
            self.drawing.draw(new)
        # The captions' citations, formatted once like every page's (the citations stage).
        blocks = [block for chart in resolved for block in bibtex.blocks_in(chart.citation)]
        bibtex.format_blocks(bibtex.registry(config), blocks)

    def expand(self, markdown: str, page) -> str:
        return chartlib.expand(markdown, self.resolved, page.file.src_uri)

    def put_svgs(self, html: str) -> str:
        for chart_id in self.resolved:
            empty = chartlib.placeholder(chart_id)
            if empty in html:
                html = html.replace(empty, empty.replace('"></div>', f'" data-search-exclude>{self._svg(chart_id)}</div>'))
        return html

    def _svg(self, chart_id: str) -> str:
        if chart_id not in self.svgs:
            self.finish()
            self.svgs[chart_id] = chartlib.svg(self.resolved[chart_id], cache_dir=self.cache, memo=self.drawn)
        return self.svgs[chart_id]

    def finish(self) -> None:
        if self.drawing is not None:
            drawing, self.drawing = self.drawing, None
            drawing.wait()
