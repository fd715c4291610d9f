#!/usr/bin/env python3
"""Charts: figures from the verified figure ledger, drawn as static SVG. No MkDocs import.

Run from the repository root to preview every chart without building the site::

    python -m primer.chart_drawing [--root DIR] [--out DIR] [--png light|dark]

It writes OUT/ID.svg (as the site inlines it) and, with ``--png``, OUT/ID.png in that colour
scheme (default OUT: /tmp/primer-charts). Exit status: 0, 1 when a chart has a problem (printed
one per line), 2 when the figure check cannot run.

charts.yaml (data only)
-----------------------
Each chart has ``id`` (kebab-case), ``title``, ``kind`` (``bar``: horizontal bars from zero;
``line``: points in the order given, joined), ``where`` (the docs page, or a list of pages, that
show it with a marker line ``<!-- chart: ID -->``), ``alt``, ``caption`` and ``series``: a list of
points, each a typed ``label`` (a label is not a figure), an optional ``highlight: true`` and a
``select``: the ledger row it draws, as Row fields: ``{page: ..., figure: "66.2%"}`` (page and
figure as written are required; ``line``, ``col``, ``locator``, ``key``, ``source_line`` or
``kind`` narrow the choice). Rows that match and agree on what they say (value, unit, kind,
citation, source line) are one figure quoted several times; rows that disagree make the
selector ambiguous. The value, unit and citation come from the selected row, never from
charts.yaml.

Rules (each broken one is a problem naming charts.yaml, the chart and the fix): a selector must
match a figure, exactly one, whose every quotation has status ``ok``; a chart's points share one
unit; a value is a single number (not a range). The title, alt text and caption hold no
numbers at all (no digit, no number word): numbers come from the ledger. A label may hold a
year, and only one that the selected row's source sentence contains.

API
---
``load(path) -> list[Chart]`` (raises ``ChartError`` when charts.yaml cannot be read);
``resolve(charts, rows) -> (list[Resolved], problems)``; ``check_markers(charts, pages) -> problems``
(pages: docs-relative path -> Markdown); ``markers(text) -> [(line, id, indent)]``;
``svg(resolved, cache_dir=None) -> str`` (deterministic: same input, same bytes; with ``cache_dir`` a drawing
is kept there under ``cache_key(resolved)`` and read back without matplotlib); ``png(resolved, path, scheme)``;
``figure_markdown(resolved, page) -> str`` (the Markdown that replaces a marker: figure, caption
with its citation block, data table); ``placeholder(id) -> str`` (the element in that Markdown
the SVG replaces once the page is HTML).

The SVG is meant to be inlined in the page: no XML prolog, no namespace or metadata URLs, no
external reference (every ``href`` is a local ``#id``, every id is prefixed with the chart's),
text kept as text (``svg.fonttype: none``) in the page's font, and every colour a CSS variable
of the Material theme, so the chart follows the light and dark palettes. Each drawn point is a
``<g class="primer-chart__point">`` with ``data-label``, ``data-figure``, ``data-value`` and
``data-unit``; the plot area is a ``<g class="primer-chart__plot">`` with its value axis
(``data-axis``, ``data-min``, ``data-max``), so a test can read the values back from the drawing.
"""
from __future__ import annotations

import argparse
import functools
import glob
import hashlib
import html
import io
import os
import posixpath
import re
import sys
import textwrap
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from primer import cache_files, figures

DATA = "charts.yaml"
KINDS = ("bar", "line")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*chart:\s*(?P<id>\S+?)\s*-->\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
SELECT_FIELDS = {"page": str, "figure": str, "line": int, "col": int, "locator": str, "key": str,
                 "source_line": int, "kind": str}
# Rows that agree on these say the same thing: one figure, quoted more than once.
IDENTITY = ("value", "unit", "kind", "key", "locator", "source_file", "source_line", "formula")
LEDGER_PAGE = "reference/figure-ledger.md"


class ChartError(Exception):
    """charts.yaml cannot be used at all; the message holds one problem per line."""


@dataclass(frozen=True)
class Point:
    label: str
    select: tuple            # ((field, value), ...), in the order written
    highlight: bool = False

    def selector(self) -> str:
        return "{" + ", ".join(f"{k}: {v!r}" if isinstance(v, str) else f"{k}: {v}" for k, v in self.select) + "}"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str
    where: tuple
    alt: str
    caption: str
    points: tuple


@dataclass(frozen=True)
class Drawn:
    """A point with the ledger row it draws."""

    label: str
    row: figures.Row
    value: Decimal
    highlight: bool


@dataclass(frozen=True)
class Resolved:
    chart: Chart
    points: tuple            # Drawn, in order
    unit: str
    citation: str            # one citation block, e.g. "[@key, sec. X]"

    @property
    def id(self) -> str:
        return self.chart.id


# ---------------------------------------------------------------------------
# charts.yaml
# ---------------------------------------------------------------------------
def load(path) -> list[Chart]:
    path = Path(path)
    try:
        data = figures.load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChartError(f"{DATA}: missing; it lists the charts drawn from the figure ledger") from None
    except yaml.YAMLError as err:
        raise ChartError(f"{DATA}: cannot be read ({' '.join(str(err).split())}); fix the YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("charts"), list):
        raise ChartError(f"{DATA}: expected a mapping with a list under `charts:`")
    problems, charts, seen = [], [], set()
    for number, item in enumerate(data["charts"], start=1):
        name = f"chart {number}"
        if not isinstance(item, dict):
            problems.append(f"{DATA}: {name} is not a mapping; give it id, title, kind, where, alt, caption, series")
            continue
        if isinstance(item.get("id"), str):
            name = f'chart "{item["id"]}"'
        missing = [k for k in ("id", "title", "kind", "where", "alt", "caption", "series") if not item.get(k)]
        if missing:
            problems.append(f"{DATA}: {name} lacks {', '.join(missing)}")
            continue
        unknown = sorted(set(item) - {"id", "title", "kind", "where", "alt", "caption", "series"})
        if unknown:
            problems.append(f"{DATA}: {name} has unknown field(s) {', '.join(unknown)}")
        cid = item["id"]
        if not isinstance(cid, str) or not ID_RE.match(cid):
            problems.append(f"{DATA}: {name}: id must be kebab-case (lowercase letters, digits, hyphens)")
        elif cid in seen:
            problems.append(f"{DATA}: {name}: id is used twice; give each chart its own id")
        seen.add(cid)
        if item["kind"] not in KINDS:
            problems.append(f"{DATA}: {name}: kind {item['kind']!r} is not one of {', '.join(KINDS)}")
        where = item["where"] if isinstance(item["where"], list) else [item["where"]]
        if not all(isinstance(w, str) and w.endswith(".md") and not w.startswith("/") for w in where):
            problems.append(f"{DATA}: {name}: where must be a docs-relative .md page or a list of them")
        for key in ("title", "alt", "caption"):
            if not isinstance(item[key], str):
                problems.append(f"{DATA}: {name}: {key} must be text")
        points = []
        if not isinstance(item["series"], list):
            problems.append(f"{DATA}: {name}: series must be a list of points")
            continue
        for index, p in enumerate(item["series"], start=1):
            where_p = f"{DATA}: {name}, point {index}"
            if not isinstance(p, dict) or not isinstance(p.get("label"), str) or not isinstance(p.get("select"), dict):
                problems.append(f"{where_p}: needs a `label` (text) and a `select` (a mapping of ledger Row fields)")
                continue
            extra = sorted(set(p) - {"label", "select", "highlight"})
            if extra:
                problems.append(f"{where_p}: unknown field(s) {', '.join(extra)}")
            select = p["select"]
            bad = [k for k in select if k not in SELECT_FIELDS]
            if bad or "page" not in select or "figure" not in select:
                problems.append(f"{where_p} ({p['label']}): select needs `page` and `figure` (as written), and may "
                                f"add {', '.join(k for k in SELECT_FIELDS if k not in ('page', 'figure'))}"
                                + (f"; unknown: {', '.join(map(str, bad))}" if bad else ""))
                continue
            typed = []
            for k, v in select.items():
                want = SELECT_FIELDS[k]
                if want is int and (isinstance(v, bool) or not isinstance(v, int)):
                    problems.append(f"{where_p} ({p['label']}): select.{k} must be a whole number")
                    break
                typed.append((k, v if want is int else str(v)))
            else:
                points.append(Point(label=p["label"], select=tuple(typed), highlight=bool(p.get("highlight"))))
        if not points and not problems:
            problems.append(f"{DATA}: {name}: series is empty")
        charts.append(Chart(id=str(cid), title=str(item["title"]), kind=str(item["kind"]), where=tuple(where),
                            alt=str(item["alt"]), caption=str(item["caption"]), points=tuple(points)))
    if problems:
        raise ChartError("\n".join(problems))
    return charts


# ---------------------------------------------------------------------------
# From selectors to ledger rows
# ---------------------------------------------------------------------------
def _numbers_in(text: str) -> list[str]:
    """Every number in `text`: digits, and the figures (number words too) the figure check sees."""
    found = [f.text for f in figures.extract_figures(text)]
    found += [m.group(0) for m in re.finditer(r"\d+(?:[.,]\d+)*", text) if not any(m.group(0) in f for f in found)]
    return found


def _matches(row, select: tuple) -> bool:
    return all(getattr(row, k) == v if isinstance(v, int) else str(getattr(row, k)) == v for k, v in select)


def _identity(row) -> tuple:
    return tuple(getattr(row, k) for k in IDENTITY)


def _place(row) -> str:
    return f"docs/{row.page}:{row.line}:{row.col}"


def resolve(charts: list[Chart], rows) -> tuple[list[Resolved], list[str]]:
    """Each chart's points with their ledger rows, and the problems found (one line each)."""
    rows = list(rows)
    by_place: dict = {}  # (page, figure as written) -> its rows, in order: a selector names both
    for row in rows:
        by_place.setdefault((str(row.page), str(row.figure)), []).append(row)
    resolved, problems = [], []
    for chart in charts:
        name = f'{DATA}: chart "{chart.id}"'
        for key in ("title", "alt", "caption"):
            numbers = _numbers_in(getattr(chart, key))
            if numbers:
                problems.append(f"{name}: {key} contains {', '.join(repr(n) for n in numbers)}; numbers come from the "
                                f"ledger, not typed text: reword without it (the data table shows the values)")
        if "[@" in chart.caption or "[@" in chart.title:
            problems.append(f"{name}: caption cites a source itself; remove the citation, it is added from the "
                            f"selected ledger rows")
        drawn, chart_ok = [], True
        for index, point in enumerate(chart.points, start=1):
            where = f"{name}, point {index} ({point.label})"
            select = dict(point.select)
            candidates = by_place.get((select["page"], select["figure"]), []) \
                if isinstance(select.get("page"), str) and isinstance(select.get("figure"), str) else rows
            found = [row for row in candidates if _matches(row, point.select)]
            if not found:
                page = dict(point.select)["page"]
                figure = dict(point.select)["figure"]
                elsewhere = sorted({row.page for row in rows if row.figure == figure and row.page != page})
                hint = (f"the ledger has {figure!r} on {', '.join(elsewhere)}" if elsewhere else
                        f"check that docs/{page} quotes {figure!r} exactly as written")
                problems.append(f"{where}: selector {point.selector()} matches no ledger row; {hint}")
                chart_ok = False
                continue
            bad = [row for row in found if row.status != "ok"]
            if bad:
                problems.append(f"{where}: the figure check marks {bad[0].figure!r} at {_place(bad[0])} as "
                                f"{bad[0].status!r}; fix that figure (see the figure check's report) before "
                                "charting it")
                chart_ok = False
                continue
            distinct = {}
            for row in found:
                distinct.setdefault(_identity(row), row)
            if len(distinct) > 1:
                places = "; ".join(f"line {r.line} (source line {r.source_line}, {r.locator or 'no locator'})"
                                   for r in distinct.values())
                problems.append(f"{where}: selector {point.selector()} matches {len(distinct)} different ledger rows "
                                f"({places}); add `line:` (or `locator:`/`source_line:`) to choose one")
                chart_ok = False
                continue
            row = found[0]
            try:
                value = Decimal(row.value)
            except InvalidOperation:
                problems.append(f"{where}: {row.figure!r} at {_place(row)} is a range ({row.value}); chart a single "
                                f"figure")
                chart_ok = False
                continue
            for number in _numbers_in(point.label):
                if not re.fullmatch(r"\d{4}", number) or not re.search(rf"(?<!\d){number}(?!\d)", row.source_sentence):
                    problems.append(f"{where}: label contains {number!r}, which is not a year in the selected row's "
                                    f"source sentence ({row.source_file}:{row.source_line}); a label may hold only "
                                    f"such a year: reword it")
                    chart_ok = False
            drawn.append(Drawn(label=point.label, row=row, value=value, highlight=point.highlight))
        units = sorted({d.row.unit for d in drawn})
        if len(units) > 1:
            problems.append(f"{name}: its points have different units ({', '.join(units)}); chart figures of one "
                            f"unit only")
            chart_ok = False
        if chart_ok and drawn:
            cites = []
            for d in drawn:
                cite = f"@{d.row.key}, {d.row.locator}" if d.row.locator else f"@{d.row.key}"
                if cite not in cites:
                    cites.append(cite)
            resolved.append(Resolved(chart=chart, points=tuple(drawn), unit=units[0],
                                     citation="[" + "; ".join(cites) + "]"))
    return resolved, problems


# ---------------------------------------------------------------------------
# Markers in pages
# ---------------------------------------------------------------------------
def markers(text: str) -> list[tuple[int, str, str]]:
    """(line, chart id, indentation) of every marker line outside fenced code."""
    found, fenced = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else MARKER_RE.match(line)
        if match:
            found.append((number, match.group("id"), match.group("indent")))
    return found


def check_markers(charts: list[Chart], pages: dict[str, str]) -> list[str]:
    """Every marker names a chart that lists its page under `where`; every `where` page has the marker."""
    known = {chart.id: chart for chart in charts}
    problems, placed = [], set()
    for page in sorted(pages):
        seen = set()
        for line, cid, _ in markers(pages[page]):
            place = f"docs/{page}:{line}"
            if cid not in known:
                problems.append(f"{place}: chart marker {cid!r} names no chart in {DATA} (known: "
                                f"{', '.join(sorted(known)) or 'none'}); correct the id or add the chart")
            elif page not in known[cid].where:
                problems.append(f"{place}: chart {cid!r} is shown here but its `where` in {DATA} does not list "
                                f"{page}; add it there")
            elif cid in seen:
                problems.append(f"{place}: chart {cid!r} appears twice on the page; keep one marker")
            seen.add(cid)
            placed.add((page, cid))
    for chart in charts:
        for page in chart.where:
            if page not in pages:
                problems.append(f'{DATA}: chart "{chart.id}": where names {page}, which is not a page in docs/; '
                                f"fix the path")
            elif (page, chart.id) not in placed:
                problems.append(f'{DATA}: chart "{chart.id}": docs/{page} has no marker <!-- chart: {chart.id} -->; '
                                f"add the marker line there or remove the page from `where`")
    return problems


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------
# The chart is drawn in sentinel colours, which the SVG then names by the theme's variables.
_INK, _AXIS, _GRID, _MAIN, _OTHER = "#000001", "#000002", "#000003", "#000004", "#000005"
THEME = {
    _INK: "var(--md-default-fg-color)",             # text
    _AXIS: "var(--md-default-fg-color--light)",     # axes and ticks
    _GRID: "var(--md-default-fg-color--lightest)",  # grid lines
    _MAIN: "var(--md-primary-fg-color)",            # highlighted points, the line
    _OTHER: "var(--md-default-fg-color--light)",    # the other points
}
# The same roles in Material's resolved colours (primer.css's red), for PNG previews only.
SCHEMES = {
    "light": {"background": "#ffffff", _INK: "#000000de", _AXIS: "#0000008a", _GRID: "#00000012",
              _MAIN: "#d32f2f", _OTHER: "#0000008a"},
    "dark": {"background": "#1e2129", _INK: "#e2e4e9", _AXIS: "#e2e4e98f", _GRID: "#e2e4e91f",
             _MAIN: "#d32f2f", _OTHER: "#e2e4e98f"},
}
WIDTH_IN = 5.0                # with FONT_PT and primer.css's max-width: 32em, text near the page's size
FONT_PT = 11


def _axis_range(resolved: Resolved) -> tuple[Decimal, Decimal]:
    top = max(d.value for d in resolved.points)
    if resolved.unit == "percent" and top <= 100:
        return Decimal(0), Decimal(100)       # a share on its whole scale
    room = top * Decimal("1.12")                # space for the value labels
    scale = Decimal(10) ** (len(str(int(room))) - 1) if room >= 1 else Decimal(1)
    for step in ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10"):
        if Decimal(step) * scale >= room:
            return Decimal(0), Decimal(format((Decimal(step) * scale).normalize(), "f"))
    return Decimal(0), room


def _draw(resolved: Resolved, colours: dict):
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    chart, points = resolved.chart, resolved.points
    lo, hi = _axis_range(resolved)
    any_highlight = any(d.highlight for d in points)
    colour = [colours[_MAIN] if (d.highlight or not any_highlight) else colours[_OTHER] for d in points]
    labels = [textwrap.fill(d.label, 26) for d in points]
    if resolved.unit == "percent":
        tick = FuncFormatter(lambda x, _: f"{x:g}%")
    else:
        tick = FuncFormatter(lambda x, _: f"{x:,.0f}")
    rc = {"svg.fonttype": "none", "svg.hashsalt": chart.id, "font.size": FONT_PT,
          "axes.unicode_minus": True, "path.simplify": False}
    with matplotlib.rc_context(rc):
        lines = sum(label.count("\n") + 1 for label in labels)
        if chart.kind == "bar":
            height = 0.7 + 0.32 * lines + 0.12 * len(points)
        else:
            height = 2.6
        fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
        fig.patch.set_alpha(0)
        ax = fig.add_subplot()
        ax.set_facecolor("none")
        ax.patch.set_gid("primer-plot-area")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for spine in ax.spines.values():
            spine.set_color(colours[_AXIS])
        ax.tick_params(colors=colours[_AXIS], labelcolor=colours[_INK])
        if chart.kind == "bar":
            y = list(range(len(points)))
            bars = ax.barh(y, [float(d.value) for d in points], color=colour, height=0.6, zorder=2)
            for i, bar in enumerate(bars):
                bar.set_gid(f"primer-point-{i}")
            ax.bar_label(bars, labels=[d.row.figure for d in points], padding=4, color=colours[_INK])
            ax.set_yticks(y, labels)
            ax.invert_yaxis()
            ax.set_xlim(float(lo), float(hi))
            ax.xaxis.set_major_formatter(tick)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
            ax.grid(axis="x", color=colours[_GRID], linewidth=0.8, zorder=0)
            ax.tick_params(axis="y", length=0)
            ax.spines["left"].set_zorder(3)
        else:
            x = list(range(len(points)))
            values = [float(d.value) for d in points]
            ax.plot(x, values, color=colours[_MAIN], linewidth=2, zorder=2)
            for i, (xi, d) in enumerate(zip(x, points)):
                ax.plot([xi], [float(d.value)], marker="o", markersize=7, linestyle="none",
                        color=colours[_MAIN], zorder=3, gid=f"primer-point-{i}")
                ax.annotate(d.row.figure, (xi, float(d.value)), textcoords="offset points", xytext=(0, 9),
                            ha="center", color=colours[_INK])
            ax.set_xticks(x, labels)
            ax.set_xlim(-0.4, len(points) - 0.6)
            ax.set_ylim(float(lo), float(hi))
            ax.yaxis.set_major_formatter(tick)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
            ax.grid(axis="y", color=colours[_GRID], linewidth=0.8, zorder=0)
        for text, d in zip(ax.get_xticklabels() if chart.kind == "line" else ax.get_yticklabels(), points):
            if d.highlight:
                text.set_fontweight("bold")
    return fig


_cache: dict = {}


def _rc_files() -> list[Path]:
    """The matplotlibrc files matplotlib would read besides its own defaults, and its font list (found
    without importing it)."""
    candidates = [Path.cwd() / "matplotlibrc"]
    if os.environ.get("MATPLOTLIBRC"):
        rc = Path(os.environ["MATPLOTLIBRC"])
        candidates.append(rc / "matplotlibrc" if rc.is_dir() else rc)
    config = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "matplotlib")
    candidates += [Path(config) / "matplotlibrc", Path(os.path.expanduser("~/.matplotlib/matplotlibrc"))]
    # and the font list matplotlib measures text with (the fonts it found when it first ran)
    cache = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    candidates += sorted(Path(cache).glob("fontlist-*.json"))
    return [path for path in candidates if path.is_file()]


_SOURCE = Path(__file__).read_bytes()  # the code that draws (read when imported: `mkdocs serve` keeps the module)


@functools.lru_cache(maxsize=1)
def _environment() -> tuple | None:
    """This file's code, where matplotlib and numpy are and their versions, Python's, any matplotlibrc and
    matplotlib's font list."""
    from importlib import metadata, util
    try:
        found = [(name, metadata.version(name), util.find_spec(name).origin) for name in ("matplotlib", "numpy")]
    except (metadata.PackageNotFoundError, AttributeError, ImportError, ValueError):
        return None
    return (_SOURCE, repr(found), sys.version,
            *(f"{rc}\0".encode() + rc.read_bytes() for rc in _rc_files()))


def cache_key(resolved: Resolved) -> str | None:
    """What a drawing depends on, hashed: the chart and the ledger rows it draws (with the values, labels,
    unit and citation), this file's code (drawing, style, cleaning), matplotlib's and numpy's versions, any
    matplotlibrc and matplotlib's font list. None when matplotlib is not installed (nothing can be drawn)."""
    environment = _environment()
    if environment is None:
        return None
    digest = hashlib.sha256()
    for part in ("primer-chart-svg 1", repr(resolved), *environment):
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def svg(resolved: Resolved, cache_dir=None) -> str:
    """The chart as inline SVG (deterministic). With `cache_dir`, a drawing whose inputs are unchanged is read
    from CACHE_DIR/ID-KEY.svg (KEY: cache_key()) without importing matplotlib; a new one is written there."""
    key = repr(resolved)
    if key in _cache:
        return _cache[key]
    path = None
    if cache_dir is not None:
        digest = cache_key(resolved)
        path = Path(cache_dir) / f"{resolved.id}-{digest}.svg" if digest else None
        text = (cache_files.read(path) if path else None) or ""
        if text.startswith("<svg") and text.endswith("</svg>"):
            _cache[key] = text
            return text
    import matplotlib
    fig = _draw(resolved, {k: k for k in THEME})
    buf = io.StringIO()
    # read when saving: text stays text; ids come from the chart's id, not a random salt
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": resolved.id}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    _cache[key] = _clean(buf.getvalue(), resolved)
    if path is not None:
        # kept under the key of what it was drawn with: matplotlib's first run writes its font list
        _environment.cache_clear()
        digest = cache_key(resolved)
        _store(Path(cache_dir) / f"{resolved.id}-{digest}.svg" if digest else path, _cache[key], resolved.id)
    return _cache[key]


def _store(path: Path, text: str, chart_id: str) -> None:
    """Write a drawing to the cache atomically and drop the chart's older drawings (ID-KEY.svg, this chart's
    only: another chart's id may start with this one's); a cache that cannot be written is no error (the next
    build draws again)."""
    cache_files.write(path, text, 1, glob.escape(chart_id) + "-" + "[0-9a-f]" * 64 + ".svg")


def png(resolved: Resolved, path, scheme: str = "light", dpi: int = 150) -> None:
    """A PNG preview in one colour scheme (the site itself uses the SVG)."""
    colours = SCHEMES[scheme]
    fig = _draw(resolved, colours)
    fig.patch.set_facecolor(colours["background"])
    fig.patch.set_alpha(1)
    fig.savefig(path, format="png", dpi=dpi)


_NUM_RE = re.compile(r"-?\d+\.\d{3,}")
_COLOUR_RE = re.compile(r"(?:\b(fill|stroke)\s*:\s*([^;\"]+))|(?:\b(fill|stroke)=\"([^\"]*)\")")
_ALLOWED_PAINT = re.compile(r"^(none|currentColor|var\(--md-[a-z-]+\)|url\(#[\w-]+\))$")


def _clean(raw: str, resolved: Resolved) -> str:
    """matplotlib's SVG → inline SVG: no prolog, metadata or URL; ids prefixed; theme colours; data attributes."""
    prefix = f"chart-{resolved.id}-"
    text = raw[raw.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", "", text, flags=re.S)  # a global `*` rule
    head_end = text.index(">") + 1
    viewbox = re.search(r'viewBox="([^"]+)"', text[:head_end]).group(1)
    alt = html.escape(" ".join(resolved.chart.alt.split()))
    text = (f'<svg class="primer-chart__svg" viewBox="{viewbox}" role="img" aria-label="{alt}"><title>{alt}</title>'
            + text[head_end:])
    text = text.replace("xlink:href=", "href=")
    text = re.sub(r'\s*transform="rotate\(-?0 [^"]*\)"', "", text)
    text = re.sub(r"font-family:[^;\"]*;?\s*", "", text)          # the page's own font
    # ids: points and the plot area become data attributes; referenced ids get the chart's prefix; the rest go
    for i, d in enumerate(resolved.points):
        attrs = (f'class="primer-chart__point" data-label="{html.escape(d.label)}" '
                 f'data-figure="{html.escape(d.row.figure)}" data-value="{d.row.value}" data-unit="{d.row.unit}"')
        text, n = re.subn(rf'<g id="primer-point-{i}">', f"<g {attrs}>", text)
        if n != 1:
            raise RuntimeError(f"chart {resolved.id}: point {i} not found once in the SVG")
    lo, hi = _axis_range(resolved)
    axis = "x" if resolved.chart.kind == "bar" else "y"
    text, n = re.subn(r'<g id="primer-plot-area">',
                      f'<g class="primer-chart__plot" data-axis="{axis}" data-min="{lo}" data-max="{hi}">', text)
    if n != 1:
        raise RuntimeError(f"chart {resolved.id}: plot area not found once in the SVG")
    referenced = set(re.findall(r'url\(#([^)]+)\)', text)) | set(re.findall(r'href="#([^"]+)"', text))
    def _id(match):
        return f' id="{prefix}{match.group(1)}"' if match.group(1) in referenced else ""
    text = re.sub(r' id="([^"]+)"', _id, text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', text)
    for sentinel, variable in THEME.items():
        text = text.replace(sentinel, variable)
    # smaller: two decimals are a hundredth of a point; no indentation or line breaks between tags
    text = _NUM_RE.sub(lambda m: f"{float(m.group(0)):.2f}", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    text = re.sub(r">\s+<", "><", text).strip()
    problems = svg_problems(text)
    if problems:
        raise RuntimeError(f"chart {resolved.id}: " + "; ".join(problems))
    return text


def svg_problems(text: str) -> list[str]:
    """What would break an inline chart: a URL or external reference, or a colour fixed outside the theme."""
    problems = []
    if re.search(r"https?:|//", text.replace("</", "")):
        problems.append("it contains a URL")
    if "xlink" in text or "<image" in text or "@import" in text:
        problems.append("it refers to an external resource")
    problems += [f"href {h!r} is not a local #id" for h in re.findall(r'href="([^"]*)"', text) if not h.startswith("#")]
    for match in _COLOUR_RE.finditer(text):
        prop, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        if not _ALLOWED_PAINT.match(value.strip()):
            problems.append(f"{prop} {value.strip()!r} is fixed, not a theme colour")
    if re.search(r"#[0-9a-fA-F]{3,8}\b(?![\w-]*\))", re.sub(r'(href|id)="[^"]*"|url\(#[^)]*\)', "", text)):
        problems.append("it holds a hexadecimal colour")
    if re.search(r"\b(color|stop-color|flood-color)\s*:", text):
        problems.append("it sets a colour property other than fill and stroke")
    return problems


# ---------------------------------------------------------------------------
# Markdown for the page
# ---------------------------------------------------------------------------
def placeholder(chart_id: str) -> str:
    return f'<div class="primer-chart__image" data-chart="{chart_id}"></div>'


def _cell(text) -> str:
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(str(text).split()))
    return text.replace("@", "&#64;")


def figure_markdown(resolved: Resolved, page: str) -> str:
    """What replaces the marker on `page`: the figure, its caption (with the citation block) and the data."""
    chart = resolved.chart
    ledger = posixpath.relpath(LEDGER_PAGE, posixpath.dirname(page) or ".")
    caption = " ".join(f"**{chart.title.rstrip('.')}.** {chart.caption}".split())
    lines = [
        f'<div class="primer-chart" id="chart-{chart.id}" markdown>',
        '<figure class="primer-chart__figure" markdown>',
        placeholder(chart.id),
        "<figcaption markdown>",
        f"{caption} {resolved.citation}",
        "</figcaption>",
        "</figure>",
        "",
        "| Point | As quoted | Value and unit | Source line |",
        "|---|---|---|---|",
    ]
    for d in resolved.points:
        lines.append(f"| {_cell(d.label)} | {_cell(d.row.figure)} | {_cell(d.row.value)} {_cell(d.row.unit)} | "
                     f"line {d.row.source_line} |")
    lines += [
        "",
        f"Drawn at build time from the [figure ledger]({ledger}): each figure as the primer quotes it, checked "
        "against the source line shown.",
        "{: .primer-chart__note }",
        "",
        "</div>",
    ]
    return "\n".join(lines)


def expand(markdown: str, resolved: dict[str, Resolved], page: str) -> str:
    """Replace every marker line in `markdown` (outside code) with its chart's Markdown."""
    found = {line: (cid, indent) for line, cid, indent in markers(markdown)}
    if not found:
        return markdown
    out = []
    for number, line in enumerate(markdown.split("\n"), start=1):
        if number in found and found[number][0] in resolved:
            cid, indent = found[number]
            block = figure_markdown(resolved[cid], page)
            out.append("\n" + "\n".join(indent + part if part else part for part in block.split("\n")) + "\n")
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Draw charts.yaml's charts from the figure ledger (preview).")
    parser.add_argument("--root", default=".", help="repository root (default: .)")
    parser.add_argument("--out", default="/tmp/primer-charts", help="folder for ID.svg (and ID.png)")
    parser.add_argument("--png", choices=sorted(SCHEMES), help="also write a PNG in this colour scheme")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        result = figures.check([root / figures.DOCS_DIR], root=root)
        charts = load(root / DATA)
    except figures.BadInput as err:
        print(f"figure check cannot run: {err}", file=sys.stderr)
        return 2
    except ChartError as err:
        print(err, file=sys.stderr)
        return 1
    resolved, problems = resolve(charts, result.rows)
    docs = root / figures.DOCS_DIR
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    problems += check_markers(charts, pages)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for r in resolved:
        (out / f"{r.id}.svg").write_text(svg(r), encoding="utf-8")
        if args.png:
            png(r, out / f"{r.id}.png", args.png)
        print(f"{out / r.id}.svg: {', '.join(f'{d.label} {d.row.figure}' for d in r.points)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
