"""Charts are drawn from the figure ledger and show nothing else: their numbers, in the drawing
and in the data table, are the ledger's; each has alt text, a cited caption and its data; the
SVG stays inline, offline and in the theme's colours; bad input fails the build clearly."""
from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from conftest import ROOT, mkdocs_build

from primer.checks import figures
from primer.checks.figures import Row
from primer.site import chart_data as chartdata
from primer.site import chart_drawing as chartlib
from primer.site import marks as citation_marks

SECTION_LABELS = citation_marks.section_labels(ROOT)

assert chartlib.__file__.endswith("scripts/primer/site/chart_drawing.py"), chartlib.__file__

REQUIRED = {"gba-tertiary-share", "patents-by-city", "longhua-tertiary-share", "exports-share-of-gdp",
            "guangdong-digital-economy-share"}
PAINT_OK = re.compile(r"^(none|currentColor|var\(--md-[a-z-]+\)|url\(#[\w-]+\))$")


@pytest.fixture(scope="module")
def ledger():
    return figures.check([ROOT / "docs"], root=ROOT)


@pytest.fixture(scope="module")
def real(ledger):
    charts = chartdata.load(ROOT / "charts.yaml")
    resolved, problems = chartdata.resolve(charts, ledger.rows)
    assert not problems, "\n".join(problems)
    return {chart.id: chart for chart in resolved}


def _row(**kw) -> Row:
    base = dict(page="p.md", line=3, col=1, figure="66.2%", value="66.2", unit="percent", kind="sourced",
                status="ok", key="guangdongndbrief", locator="sec. Problems Ahead",
                source_file="sources/b.txt", source_line=504, source_sentence="As of 2019, 66.2% of it.")
    base.update(kw)
    return Row(**base)


def _chart(points, caption="A caption.", alt="An alt text.", title="A title", kind="bar", cid="c"):
    return chartdata.Chart(id=cid, title=title, kind=kind, where=("p.md",), alt=alt, caption=caption,
                          points=tuple(chartdata.Point(label=label, select=tuple(sel.items())) for label, sel in points))


# ---------------------------------------------------------------------------
# The drawing read back: values from the SVG's geometry and its data attributes
# ---------------------------------------------------------------------------
def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


def drawn_values(svg: str) -> list[dict]:
    """Each point's data attributes and the value its geometry shows on the plot's value axis."""
    root = ET.fromstring(svg)
    plot = next(g for g in root.iter("g") if g.get("class") == "primer-chart__plot")
    box = _numbers(plot.find("path").get("d"))
    xs, ys = box[0::2], box[1::2]
    lo, hi, axis = float(plot.get("data-min")), float(plot.get("data-max")), plot.get("data-axis")
    out = []
    for g in root.iter("g"):
        if g.get("class") != "primer-chart__point":
            continue
        if axis == "x":   # a horizontal bar from the axis' start
            d = _numbers(g.find("path").get("d"))
            bar_x = d[0::2]
            assert min(bar_x) == pytest.approx(min(xs), abs=0.02), "a bar does not start at the axis"
            shown = lo + (max(bar_x) - min(xs)) / (max(xs) - min(xs)) * (hi - lo)
            step = (hi - lo) / (max(xs) - min(xs))
        else:             # a point on a vertical value axis
            use = g.find(".//use")
            shown = lo + (max(ys) - float(use.get("y"))) / (max(ys) - min(ys)) * (hi - lo)
            step = (hi - lo) / (max(ys) - min(ys))
        out.append(dict(g.attrib, shown=shown, tolerance=step * 0.02))
    return out


def assert_drawing_matches(svg: str, resolved) -> None:
    points = drawn_values(svg)
    assert len(points) == len(resolved.points), f"{resolved.id}: {len(points)} points drawn"
    for got, want in zip(points, resolved.points):
        assert got["data-label"] == want.label
        assert got["data-figure"] == want.row.figure
        assert got["data-value"] == want.row.value
        assert got["data-unit"] == want.row.unit
        assert got["shown"] == pytest.approx(float(want.row.value), abs=got["tolerance"]), \
            f"{resolved.id}: {want.label} drawn at {got['shown']}, ledger says {want.row.value}"


# ---------------------------------------------------------------------------
# The real charts, without a build
# ---------------------------------------------------------------------------
def test_every_required_chart_is_there_and_resolves_to_ok_ledger_rows(real, ledger):
    assert REQUIRED <= set(real)
    rows = {(r.page, r.line, r.col): r for r in ledger.rows}
    for chart in real.values():
        for d in chart.points:
            row = rows[(d.row.page, d.row.line, d.row.col)]
            assert row == d.row and row.status == "ok" and row.kind in ("sourced", "derived")
            assert d.value == Decimal(row.value)
        assert chart.citation.startswith("[@") and len({d.row.unit for d in chart.points}) == 1


def test_digital_economy_chart_shows_both_mentions_honestly(real):
    chart = real["guangdong-digital-economy-share"]
    assert [d.row.figure for d in chart.points] == ["46.9%", "46.8%"]
    assert [d.row.source_line for d in chart.points][0] != chart.points[1].row.source_line
    assert "first" in chart.points[0].label.lower() and "second" in chart.points[1].label.lower()


def test_exports_chart_invents_no_year(real):
    chart = real["exports-share-of-gdp"]
    assert [d.row.figure for d in chart.points] == ["35.4%", "17.4%"]
    assert "2006" in chart.points[0].label
    assert not re.search(r"\d", chart.points[1].label) and "not stated" in chart.points[1].label


def test_each_drawing_shows_the_ledger_values(real):
    for chart in real.values():
        assert_drawing_matches(chartlib.svg(chart), chart)


def test_the_geometry_check_sees_a_wrong_bar(real):
    """The read-back must fail when a bar is drawn at another value than its label says."""
    chart = real["patents-by-city"]
    wrong = replace(chart, points=(replace(chart.points[0], value=Decimal("20000")),) + chart.points[1:])
    with pytest.raises(AssertionError):
        assert_drawing_matches(chartlib.svg(wrong), chart)


def test_rendering_is_deterministic(real):
    for chart in real.values():
        first = chartlib.svg(chart)
        assert chartlib.svg(chart) == first, chart.id


def test_svg_is_inline_offline_and_in_theme_colours(real):
    ids = []
    for chart in real.values():
        svg = chartlib.svg(chart)
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert chartlib.svg_problems(svg) == []
        # no URL, no external reference, nothing global
        assert "http" not in svg and "xlink" not in svg and "<image" not in svg and "<style" not in svg
        assert "<metadata" not in svg and "font-family" not in svg and "<?xml" not in svg
        assert all(h.startswith(f"#chart-{chart.id}-") for h in re.findall(r'href="([^"]*)"', svg))
        # every colour is the theme's: no fixed fill or stroke (no black, white or hex left)
        paints = re.findall(r"\b(?:fill|stroke)\s*:\s*([^;\"]+)", svg) + re.findall(r'\b(?:fill|stroke)="([^"]*)"', svg)
        assert paints and all(PAINT_OK.match(p.strip()) for p in paints), sorted(set(paints))
        markup = re.sub(r'>[^<]*<|(id|href|aria-label|data-label)="[^"]*"|url\([^)]*\)', "", svg)  # tags, not text
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(|\b(black|white)\b", markup), markup
        assert "var(--md-primary-fg-color)" in svg and "var(--md-default-fg-color)" in svg
        ids += re.findall(r' id="([^"]+)"', svg)
        assert all(i.startswith(f"chart-{chart.id}-") for i in re.findall(r' id="([^"]+)"', svg))
        assert len(svg) < 20_000, f"{chart.id}: {len(svg)} bytes"
        # accessible: an image with the alt text as its name
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-label") == " ".join(chart.chart.alt.split())
        assert root.find("title").text == root.get("aria-label")
    assert len(ids) == len(set(ids)), "ids repeat across charts (several may share a page)"


def test_svg_problem_detector_sees_what_it_claims():
    assert chartlib.svg_problems('<svg><path style="fill: var(--md-primary-fg-color)"/></svg>') == []
    for bad in ('<svg><path style="fill: #000000"/></svg>', '<svg><path fill="white"/></svg>',
                '<svg><path style="stroke: rgb(0,0,0)"/></svg>', '<svg><use href="https://x.org/a.svg#b"/></svg>',
                '<svg><use xlink:href="#a"/></svg>', '<svg><text style="color: red">a</text></svg>'):
        assert chartlib.svg_problems(bad), bad


def test_png_preview_renders(real, tmp_path):
    chartlib.png(real["gba-tertiary-share"], tmp_path / "c.png", "dark")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------
# The drawing cache (primer.build.stages.charts: .cache/charts/): same drawing, never a stale one
# ---------------------------------------------------------------------------
def _with_value(chart, figure: str, value: str):
    """The chart as drawn from a ledger whose first point's figure says something else."""
    first = chart.points[0]
    row = replace(first.row, figure=figure, value=value)
    return replace(chart, points=(replace(first, row=row, value=Decimal(value)),) + chart.points[1:])


def test_cache_gives_the_drawing_and_redraws_when_a_ledger_figure_changes(real, tmp_path, monkeypatch):
    chart = real["patents-by-city"]
    fresh = chartlib.svg(chart)                                     # no disk cache: drawn
    assert chartlib.svg(chart, cache_dir=tmp_path) == fresh         # drawn and kept
    kept = tmp_path / f"patents-by-city-{chartlib.cache_key(chart)}.svg"
    assert [f.name for f in tmp_path.iterdir()] == [kept.name] and kept.read_text(encoding="utf-8") == fresh
    with monkeypatch.context() as m:
        m.setattr(chartlib, "_draw", lambda *a: pytest.fail("an unchanged chart was drawn again"))
        assert chartlib.svg(chart, cache_dir=tmp_path) == fresh     # read back, not drawn

    # A figure in the ledger that feeds the chart changes: another key, a new drawing of the new value.
    changed = _with_value(chart, "20,000", "20000")
    assert chartlib.cache_key(changed) != chartlib.cache_key(chart)
    drawn = chartlib.svg(changed, cache_dir=tmp_path)
    assert drawn != fresh and 'data-value="20000"' in drawn and 'data-figure="20,000"' in drawn
    assert_drawing_matches(drawn, changed)
    assert [f.name for f in tmp_path.iterdir()] == [f"patents-by-city-{chartlib.cache_key(changed)}.svg"]


def test_cache_key_covers_every_input(real, monkeypatch):
    chart = real["gba-tertiary-share"]
    key = chartlib.cache_key(chart)
    assert chartlib.cache_key(chart) == key                                          # deterministic
    row = chart.points[1].row
    variants = [
        replace(chart, chart=replace(chart.chart, alt=chart.chart.alt + " Changed.")),    # the chart's spec
        replace(chart, chart=replace(chart.chart, kind="line")),
        replace(chart, points=(chart.points[0], replace(chart.points[1], label="Other")) + chart.points[2:]),
        replace(chart, points=(chart.points[0], replace(chart.points[1], row=replace(row, source_line=1)))
                + chart.points[2:]),                                                   # any field of a row
        replace(chart, citation="[@other]"),
    ]
    assert len({key, *(chartlib.cache_key(v) for v in variants)}) == len(variants) + 1
    environment = chartlib._environment()
    assert environment[0] == (ROOT / "scripts" / "primer" / "site" / "chart_drawing.py").read_bytes()               # the code itself
    assert "matplotlib" in environment[1] and "numpy" in environment[1]                # and its versions
    for i in range(len(environment)):                                                 # each part counts
        other = environment[:i] + (environment[i] + (b"x" if isinstance(environment[i], bytes) else "x"),) \
            + environment[i + 1:]
        monkeypatch.setattr(chartlib, "_environment", lambda other=other: other)
        assert chartlib.cache_key(chart) != key, i


def test_cache_key_follows_matplotlibs_configuration_and_fonts(real, tmp_path, monkeypatch):
    chart = real["gba-tertiary-share"]
    keys = []
    try:
        monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path))       # where matplotlib reads matplotlibrc, keeps fonts
        for name, text in ((None, None), ("matplotlibrc", "font.size: 20\n"), ("fontlist-v390.json", "{}")):
            if name:
                (tmp_path / name).write_text(text, encoding="utf-8")
            chartlib._environment.cache_clear()
            keys.append(chartlib.cache_key(chart))
    finally:
        monkeypatch.undo()
        chartlib._environment.cache_clear()
    assert len(set(keys)) == 3


def test_a_damaged_cache_file_is_drawn_again(real, tmp_path):
    chart = real["exports-share-of-gdp"]
    fresh = chartlib.svg(chart, cache_dir=tmp_path)
    path = tmp_path / f"{chart.id}-{chartlib.cache_key(chart)}.svg"
    path.write_text(fresh[: len(fresh) // 2], encoding="utf-8")                         # cut short
    assert chartlib.svg(chart, cache_dir=tmp_path) == fresh
    assert path.read_text(encoding="utf-8") == fresh


def test_charts_all_cached_need_no_matplotlib(real, tmp_path):
    """What the charts stage does on a warm build: every chart read from the cache, matplotlib never imported.
    The charts, resolved against the figure check's rows (`real`), are handed to each process pickled."""
    resolved = tmp_path / "charts.pickle"
    resolved.write_bytes(pickle.dumps(list(real.values())))
    code = """
import pickle, sys
from pathlib import Path
from primer.checks import figures
from primer.site import chart_data
from primer.site import chart_drawing as charts
resolved = pickle.loads(Path(sys.argv[2]).read_bytes())
assert resolved and all(isinstance(chart, chart_data.Resolved) for chart in resolved)
svgs = [charts.svg(chart, cache_dir=Path(sys.argv[1])) for chart in resolved]
print("matplotlib" in sys.modules, len(svgs))
"""
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache"), str(resolved)], capture_output=True,
                           text=True, timeout=300) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout.split() == ["True", str(len(REQUIRED))]                     # cold: drawn
    assert runs[1].stdout.split() == ["False", str(len(REQUIRED))]                    # warm: not even imported


def test_a_drawing_process_draws_what_svg_then_reads_and_a_failed_one_changes_nothing(real, tmp_path, monkeypatch):
    """chart_drawing.Drawing: the missing charts drawn in a process of its own, read back without drawing;
    a process that draws nothing (here: it cannot run Python) leaves svg() to draw them itself."""
    charts = [real["patents-by-city"], real["exports-share-of-gdp"]]
    assert chartlib.none_cached(tmp_path) and chartlib.missing(charts, tmp_path) == charts
    drawing = chartlib.Drawing(tmp_path / "cache")
    drawing.draw(chartlib.missing(charts, tmp_path / "cache"))
    drawing.wait()
    assert chartlib.missing(charts, tmp_path / "cache") == [] and not chartlib.none_cached(tmp_path / "cache")
    with monkeypatch.context() as m:
        m.setattr(chartlib, "_draw", lambda *a: pytest.fail("a chart the process drew was drawn again"))
        drawn = [chartlib.svg(chart, cache_dir=tmp_path / "cache") for chart in charts]
    assert drawn == [chartlib.svg(chart) for chart in charts]

    for python in (str(tmp_path / "no-python"), "/bin/false"):   # no process at all; one that draws nothing
        monkeypatch.setattr(chartlib.sys, "executable", python)
        failed = chartlib.Drawing(tmp_path / "other")
        failed.draw(charts)
        failed.wait()
        assert chartlib.missing(charts, tmp_path / "other") == charts   # nothing drawn
    assert [chartlib.svg(chart, cache_dir=tmp_path / "other") for chart in charts] == drawn   # drawn here


# ---------------------------------------------------------------------------
# Selectors and the rules for typed text, on made-up rows
# ---------------------------------------------------------------------------
def test_a_figure_quoted_twice_with_the_same_meaning_is_one_row():
    rows = [_row(line=3), _row(line=9, col=4)]
    resolved, problems = chartdata.resolve([_chart([("GBA", {"page": "p.md", "figure": "66.2%"})])], rows)
    assert problems == [] and resolved[0].points[0].row.line == 3
    assert resolved[0].citation == "[@guangdongndbrief, sec. Problems Ahead]"


def test_selector_matching_no_row():
    _, problems = chartdata.resolve([_chart([("GBA", {"page": "p.md", "figure": "66.3%"})])],
                                   [_row(), _row(page="q.md", figure="66.3%")])
    assert len(problems) == 1 and "matches no ledger row" in problems[0]
    assert problems[0].startswith('charts.yaml: chart "c", point 1 (GBA)') and "q.md" in problems[0]


def test_ambiguous_selector_and_line_to_choose():
    rows = [_row(line=3), _row(line=9, source_line=600, locator="sec. Summary")]
    _, problems = chartdata.resolve([_chart([("GBA", {"page": "p.md", "figure": "66.2%"})])], rows)
    assert len(problems) == 1 and "matches 2 different ledger rows" in problems[0] and "add `line:`" in problems[0]
    resolved, problems = chartdata.resolve([_chart([("GBA", {"page": "p.md", "figure": "66.2%", "line": 9})])], rows)
    assert problems == [] and resolved[0].points[0].row.source_line == 600


def test_a_row_the_figure_check_rejects_cannot_be_charted():
    rows = [_row(), _row(line=9, status="problem", source_line=None)]
    _, problems = chartdata.resolve([_chart([("GBA", {"page": "p.md", "figure": "66.2%"})])], rows)
    assert len(problems) == 1 and "'problem'" in problems[0] and "docs/p.md:9:1" in problems[0]


def test_units_must_agree_and_ranges_are_refused():
    rows = [_row(), _row(figure="6,558", value="6558", unit="count"), _row(figure="2–3%", value="2..3")]
    _, problems = chartdata.resolve([_chart([("A", {"page": "p.md", "figure": "66.2%"}),
                                            ("B", {"page": "p.md", "figure": "6,558"})])], rows)
    assert len(problems) == 1 and "different units (count, percent)" in problems[0]
    _, problems = chartdata.resolve([_chart([("A", {"page": "p.md", "figure": "2–3%"})])], rows)
    assert len(problems) == 1 and "is a range" in problems[0]


@pytest.mark.parametrize("field, text, found", [
    ("caption", "Shares as of 2019.", "'2019'"),
    ("caption", "Shares for the nine cities.", "'nine'"),
    ("alt", "Bars of 66.2 and more.", "'66.2'"),
    ("title", "Top 5 cities", "'5'"),
])
def test_typed_text_holds_no_numbers(field, text, found):
    chart = replace(_chart([("GBA", {"page": "p.md", "figure": "66.2%"})]), **{field: text})
    _, problems = chartdata.resolve([chart], [_row()])
    assert len(problems) == 1 and f"{field} contains {found}" in problems[0], problems


def test_caption_must_not_cite_itself():
    chart = _chart([("GBA", {"page": "p.md", "figure": "66.2%"})], caption="Shares [@guangdongndbrief].")
    _, problems = chartdata.resolve([chart], [_row()])
    assert any("cites a source itself" in p for p in problems)


def test_a_label_may_hold_only_a_year_of_its_source_sentence():
    rows = [_row()]
    ok, problems = chartdata.resolve([_chart([("2019", {"page": "p.md", "figure": "66.2%"})])], rows)
    assert problems == [] and ok
    for label in ("2020", "GBA (top 5)", "Nine cities"):
        _, problems = chartdata.resolve([_chart([(label, {"page": "p.md", "figure": "66.2%"})])], rows)
        assert len(problems) == 1 and "label contains" in problems[0], label


def test_charts_yaml_structure_is_checked(tmp_path):
    path = tmp_path / "charts.yaml"
    path.write_text("charts:\n  - id: Bad_Id\n    title: t\n    kind: pie\n    where: x.md\n    alt: a\n"
                    "    caption: c\n    series:\n      - label: a\n        select: {page: x.md}\n", encoding="utf-8")
    with pytest.raises(chartdata.ChartError) as err:
        chartdata.load(path)
    message = str(err.value)
    assert "kebab-case" in message and "kind 'pie'" in message and "select needs `page` and `figure`" in message
    path.write_text("charts: [", encoding="utf-8")
    with pytest.raises(chartdata.ChartError, match="cannot be read"):
        chartdata.load(path)
    with pytest.raises(chartdata.ChartError, match="missing"):
        chartdata.load(tmp_path / "none.yaml")


# ---------------------------------------------------------------------------
# Markers
# ---------------------------------------------------------------------------
def test_markers_are_found_outside_code_only():
    text = "# T\n\n<!-- chart: a -->\n\n```md\n<!-- chart: b -->\n```\n\n    <!--chart:c-->\n"
    assert chartdata.markers(text) == [(3, "a", ""), (9, "c", "    ")]


def test_marker_problems():
    a = _chart([("x", {"page": "p.md", "figure": "1"})], cid="a")
    b = replace(_chart([("x", {"page": "p.md", "figure": "1"})], cid="b"), where=("p.md", "gone.md"))
    pages = {"p.md": "<!-- chart: a -->\n<!-- chart: a -->\n<!-- chart: zz -->\n", "q.md": "<!-- chart: a -->\n"}
    problems = chartdata.check_markers([a, b], pages)
    assert "docs/p.md:2: chart 'a' appears twice on the page; keep one marker" in problems
    assert any(p.startswith("docs/p.md:3: chart marker 'zz' names no chart in charts.yaml") for p in problems)
    assert any(p.startswith("docs/q.md:1: chart 'a' is shown here but its `where`") for p in problems)
    assert any('chart "b": docs/p.md has no marker <!-- chart: b -->' in p for p in problems)
    assert any('chart "b": where names gone.md, which is not a page' in p for p in problems)
    assert len(problems) == 5


def test_expansion_replaces_the_marker_with_figure_caption_and_table(real):
    chart = real["gba-tertiary-share"]
    text = chartlib.expand("# T\n\n!!! note\n\n    <!-- chart: gba-tertiary-share -->\n\nAfter.\n",
                           {chart.id: chart}, "primer/guangdong-greater-bay-area.md")
    assert "<!-- chart:" not in text and chartlib.placeholder(chart.id) in text
    assert chart.citation in text and "](../reference/figure-ledger.md)" in text
    assert "    | Greater Bay Area | 66.2% | 66.2 percent |" in text  # indented like the marker
    assert text.rstrip().endswith("After.")


# ---------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------
class _Chart(HTMLParser):
    """One chart block of a built page: its SVG (verbatim), caption text and table cells."""

    def __init__(self, chart_id: str):
        super().__init__(convert_charrefs=True)
        self.id, self.depth, self.part = f"chart-{chart_id}", 0, None
        self.svg, self.caption, self.rows, self.cell = "", "", [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth and tag == "div" and attrs.get("id") == self.id:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "div":
            self.depth += 1
        if tag == "figcaption":
            self.part = "caption"
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        elif tag == "figcaption":
            self.part = None
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.part == "caption":
            self.caption += data
        if self.depth and self.cell is not None:
            self.cell += data


def built_chart(site, page: str, chart_id: str) -> tuple[_Chart, str]:
    rel = page.removesuffix(".md")
    path = site / (rel.removesuffix("index") if rel.endswith("index") else rel) / "index.html"
    text = path.read_text(encoding="utf-8")
    parser = _Chart(chart_id)
    parser.feed(text)
    match = re.search(rf'<div class="primer-chart__image" data-chart="{chart_id}" data-search-exclude>'
                      r"(<svg.*?</svg>)</div>", text, re.S)
    assert parser.rows and match, f"{page}: chart {chart_id} not found"
    parser.svg = match.group(1)
    return parser, text


def test_built_charts_equal_the_ledger(built_site, real):
    shown = 0
    for chart in real.values():
        for page in chart.chart.where:
            block, _ = built_chart(built_site, page, chart.id)
            shown += 1
            # the data table, cell by cell
            header, *rows = block.rows
            assert header == ["Point", "As quoted", "Value and unit", "Source line"]
            assert rows == [[d.label, d.row.figure, f"{d.row.value} {d.row.unit}",
                             f"line {d.row.source_line}"] for d in chart.points]
            # the drawing: the very SVG the ledger gives here and now (so also the same across processes)
            assert block.svg == chartlib.svg(chart)
            assert_drawing_matches(block.svg, chart)
    assert shown >= len(REQUIRED)


def test_built_charts_have_alt_text_a_cited_caption_and_their_data(built_site, real):
    for chart in real.values():
        for page in chart.chart.where:
            block, text = built_chart(built_site, page, chart.id)
            root = ET.fromstring(block.svg)
            assert root.get("role") == "img" and len(root.get("aria-label")) > 40
            caption = " ".join(block.caption.split())
            assert caption.startswith(chart.chart.title.rstrip(".")) and "[@" not in caption and "@" not in caption
            # Each citation of the caption is a mark (primer.build.stages.marks); its note names the locator.
            start = text.index(f'data-chart="{chart.id}"')
            figure = text[start:text.index("</figure>", start)]
            notes = " ".join(re.sub(r"<[^>]+>", "", note) for note in (
                re.search(rf'<li id="fn:{re.escape(ref)}">(.*?)</li>', text, re.S).group(1)
                for ref in re.findall(r'href="#fn:(cite-\d+)"', figure)))
            for d in chart.points:
                assert citation_marks.locator_label(d.row.locator, SECTION_LABELS) in notes, \
                    f"{chart.id}: locator {d.row.locator!r} missing from the notes of the caption's citations"
            assert len(block.rows) == len(chart.points) + 1
            section = text[text.index(f'id="chart-{chart.id}"'):]
            caption_html = section[:section.index("</figcaption>")]
            assert re.search(r'<figcaption>.*?class="footnote-ref"', caption_html, re.S)


def test_chart_page_is_in_the_nav_after_the_ledger(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="reference/figure-ledger/"' in home and 'href="reference/charts/"' in home
    assert home.index('href="reference/figure-ledger/"') < home.index('href="reference/charts/"')
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert mkdocs.index("reference/figure-ledger.md") < mkdocs.index("reference/charts.md")


def _tree(folder) -> dict:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def test_a_warm_build_is_the_cold_build_without_matplotlib_or_pandoc(cold_project_copy, tmp_path):
    """The caches (.cache/: charts, pandoc, figures) change nothing in the site: a build with an empty cache
    passes and fills it; the next build, from the cache, writes the same site, drawing nothing (matplotlib
    is not imported) and running no pandoc (a new run would be kept beside the first)."""
    cache = cold_project_copy / ".cache"
    assert not cache.exists()
    cold = mkdocs_build(cold_project_copy, tmp_path / "cold")
    assert cold.returncode == 0, cold.stdout + cold.stderr
    kept = _tree(cache)
    # Each entry is written afresh (os.replace: a new inode) when redone, even with the same bytes.
    inodes = {f.relative_to(cache).as_posix(): f.stat().st_ino for f in cache.rglob("*") if f.is_file()}
    assert sum(name.startswith("charts/") for name in kept) == len(REQUIRED)
    assert sum(name.startswith("pandoc/") for name in kept) == 1
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PRIMER_PDF="0")
    warm = subprocess.run([sys.executable, "-X", "importtime", "-m", "mkdocs", "build", "--strict", "-d",
                           str(tmp_path / "warm")], cwd=cold_project_copy, env=env, capture_output=True, text=True,
                          timeout=600)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert not re.search(r"\|\s*matplotlib$", warm.stderr, re.M), "a warm build imported matplotlib"
    assert _tree(cache) == kept, "the warm build wrote to the cache: something was drawn, run or checked again"
    assert {f.relative_to(cache).as_posix(): f.stat().st_ino for f in cache.rglob("*") if f.is_file()} == inodes, \
        "the warm build rewrote a cache entry: something was drawn, run or checked again"
    sitemaps = ("sitemap.xml", "sitemap.xml.gz")   # dated: the two builds may straddle midnight
    cold_site = {k: v for k, v in _tree(tmp_path / "cold").items() if k not in sitemaps}
    warm_site = {k: v for k, v in _tree(tmp_path / "warm").items() if k not in sitemaps}
    assert cold_site.keys() == warm_site.keys()
    assert [k for k in cold_site if cold_site[k] != warm_site[k]] == []


def test_bad_chart_input_fails_the_build_with_one_line_each(project_copy, tmp_path):
    """Five defects, one build: each is reported, naming charts.yaml or the page, with the fix."""
    yaml_path = project_copy / "charts.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    planted = {
        'figure: "71.6%"': 'figure: "71.7%"',                                  # matches no row
        'figure: "9,346"': 'figure: "2019"',                                   # ambiguous on that page
        "the Guangdong brief reports\n      them for a single year":
            "the Guangdong brief reports\n      them for 2019",               # a digit in a caption
    }
    for old, new in planted.items():
        assert old in text, old
        text = text.replace(old, new)
    yaml_path.write_text(text, encoding="utf-8")
    page = project_copy / "docs" / "reference" / "charts.md"
    md = page.read_text(encoding="utf-8")
    assert "<!-- chart: exports-share-of-gdp -->" in md
    md = md.replace("<!-- chart: exports-share-of-gdp -->", "")                 # a missing marker
    md += "\n## Unknown\n\n<!-- chart: no-such-chart -->\n"                     # an unknown id
    page.write_text(md, encoding="utf-8")
    unknown_line = md.split("\n").index("<!-- chart: no-such-chart -->") + 1

    result = mkdocs_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    expected = [
        'charts.yaml: chart "gba-tertiary-share", point 2 (San Francisco Bay Area): selector '
        "{page: 'sources/guangdong-technological-brief.md', figure: '71.7%'} matches no ledger row",
        'charts.yaml: chart "patents-by-city", point 3 (Shanghai): selector',
        "different ledger rows",
        'charts.yaml:18: chart "gba-tertiary-share": caption contains \'2019\'',
        'charts.yaml: chart "exports-share-of-gdp": docs/reference/charts.md has no marker '
        "<!-- chart: exports-share-of-gdp -->",
        f"docs/reference/charts.md:{unknown_line}: chart marker 'no-such-chart' names no chart in charts.yaml",
    ]
    for line in expected:
        assert line in output, f"missing {line!r} in:\n{output}"
