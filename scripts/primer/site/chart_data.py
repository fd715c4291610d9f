"""Charts' data: charts.yaml read and each point resolved to its verified figure-ledger row. No MkDocs import.

primer.site.chart_drawing draws what this module resolves, as static SVG, and has the command line.

Run from the repository root to preview every chart without building the site::

    python -m primer.site.chart_drawing [--root DIR] [--out DIR] [--png light|dark]

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

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from primer.checks import figures

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
    places: tuple = ()       # ((field, the line its value starts on in charts.yaml, the value as written), ...)


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
        text = path.read_text(encoding="utf-8")
        data = figures.load_yaml(text)
    except FileNotFoundError:
        raise ChartError(f"{DATA}: missing; it lists the charts drawn from the figure ledger") from None
    except yaml.YAMLError as err:
        raise ChartError(f"{DATA}: cannot be read ({' '.join(str(err).split())}); fix the YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("charts"), list):
        raise ChartError(f"{DATA}: expected a mapping with a list under `charts:`")
    problems, charts, seen = [], [], set()
    charts_node = _charts_node(text)
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
                            alt=str(item["alt"]), caption=str(item["caption"]), points=tuple(points),
                            places=_places(charts_node, text, number - 1)))
    if problems:
        raise ChartError("\n".join(problems))
    return charts


def _charts_node(text: str):
    """charts.yaml's list of charts as YAML nodes (composed once, by libyaml when PyYAML has it), None when not
    composed."""
    try:
        return next((v for k, v in yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)).value
                     if k.value == "charts"), None)
    except (yaml.YAMLError, AttributeError, TypeError):
        return None


def _places(charts, text: str, index: int) -> tuple:
    """Where chart INDEX's title, alt and caption stand in charts.yaml (for a problem's line); CHARTS: the
    list's nodes (_charts_node)."""
    try:
        node = charts.value[index]
        return tuple((k.value, v.start_mark.line + 1, text[v.start_mark.index:v.end_mark.index])
                     for k, v in node.value if k.value in ("title", "alt", "caption"))
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        return ()


def _line(chart: Chart, key: str, words: str) -> str:
    """charts.yaml:LINE where WORDS stand in the chart's KEY (just charts.yaml when not found)."""
    for field, line, raw in chart.places:
        at = raw.find(words) if field == key else -1
        if at >= 0:
            return f"{DATA}:{line + raw.count(chr(10), 0, at)}"
    return DATA


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
                found = ", ".join(repr(n) for n in numbers)
                problems.append(f'{_line(chart, key, numbers[0])}: chart "{chart.id}": {key} contains {found}; numbers come '
                                "from the ledger, not typed text: reword without it (the data table shows the values)")
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
