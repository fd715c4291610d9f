#!/usr/bin/env python3
"""Charts drawn as static SVG from their resolved ledger rows (primer.site.chart_data), and their Markdown. No MkDocs import.

Run from the repository root to preview every chart without building the site::

    python -m primer.site.chart_drawing [--root DIR] [--out DIR] [--png light|dark]

It writes OUT/ID.svg (as the site inlines it) and, with ``--png``, OUT/ID.png in that colour
scheme (default OUT: /tmp/primer-charts). Exit status: 0, 1 when a chart has a problem (printed
one per line), 2 when the figure check cannot run. What charts.yaml holds: primer.site.chart_data.
"""
from __future__ import annotations

import argparse
import functools
import glob
import html
import io
import os
import pickle
import posixpath
import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from primer.build import cache_files
from primer.checks import figures
from primer.site import safe_html
from primer.site.chart_data import DATA, LEDGER_PAGE, ChartError, Resolved, check_markers, load, markers, resolve

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
    return cache_files.key("primer-chart-svg 1", repr(resolved), *environment)


def svg(resolved: Resolved, cache_dir=None, memo: dict | None = None) -> str:
    """The chart as inline SVG (deterministic). With `cache_dir`, a drawing whose inputs are unchanged is read
    from CACHE_DIR/ID-KEY.svg (KEY: cache_key()) without importing matplotlib; a new one is written there.
    MEMO (the caller's, kept as long as it likes: the build plugin keeps one across `mkdocs serve`'s rebuilds)
    holds the drawings already made or read, by chart."""
    drawn = {} if memo is None else memo
    key = repr(resolved)
    if key in drawn:
        return drawn[key]
    path = None
    if cache_dir is not None:
        digest = cache_key(resolved)
        path = Path(cache_dir) / f"{resolved.id}-{digest}.svg" if digest else None
        text = (cache_files.read(path) if path else None) or ""
        if text.startswith("<svg") and text.endswith("</svg>"):
            drawn[key] = text
            return text
    import matplotlib
    fig = _draw(resolved, {k: k for k in THEME})
    buf = io.StringIO()
    # read when saving: text stays text; ids come from the chart's id, not a random salt
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": resolved.id}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    drawn[key] = _clean(buf.getvalue(), resolved)
    if path is not None:
        # kept under the key of what it was drawn with: matplotlib's first run writes its font list
        _environment.cache_clear()
        digest = cache_key(resolved)
        _store(Path(cache_dir) / f"{resolved.id}-{digest}.svg" if digest else path, drawn[key], resolved.id)
    return drawn[key]


_DRAW = ("import pickle, sys\nimport matplotlib.figure\nfrom primer.site import chart_drawing\n"
         "for chart in pickle.load(sys.stdin.buffer):\n    chart_drawing.svg(chart, cache_dir=sys.argv[1])\n")


class Drawing:
    """A process of its own that draws charts into CACHE_DIR while the build goes on: started early, it imports
    matplotlib meanwhile (about half a second), then draws the charts `draw()` gives it; svg() reads them
    from the cache once `wait()` has waited for it. Should the process fail, svg() draws the chart itself and
    raises what went wrong."""

    def __init__(self, cache_dir):
        try:
            self.process = subprocess.Popen([sys.executable, "-c", _DRAW, str(cache_dir)], stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:   # no process: svg() draws the charts
            self.process = None

    def draw(self, charts: list[Resolved]) -> None:
        if self.process is None or self.process.stdin.closed:
            return
        try:
            self.process.stdin.write(pickle.dumps(list(charts)))
            self.process.stdin.close()
        except OSError:   # it died already: svg() draws them
            pass

    def wait(self) -> None:
        self.draw([])   # nothing given yet (the build stopped early): the process ends
        if self.process is not None:
            self.process.wait()
        _environment.cache_clear()   # matplotlib's first run may have written its font list, part of the key


def missing(charts: list[Resolved], cache_dir) -> list[Resolved]:
    """The CHARTS whose drawing CACHE_DIR does not hold; none when matplotlib is missing (nothing to draw)."""
    return [chart for chart in charts if cache_key(chart) is not None and not _in_cache(chart, cache_dir)]


def none_cached(cache_dir) -> bool:
    """Whether CACHE_DIR holds no drawing at all (a fresh clone): every chart will be drawn."""
    return not any(Path(cache_dir).glob("*.svg"))


def _in_cache(resolved: Resolved, cache_dir) -> bool:
    digest = cache_key(resolved)
    text = (cache_files.read(Path(cache_dir) / f"{resolved.id}-{digest}.svg") if digest else None) or ""
    return text.startswith("<svg") and text.endswith("</svg>")


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
    text = re.sub(r"([\\`*_\[\]|])", r"\\\1", safe_html.text(" ".join(str(text).split())))
    return text.replace("@", "&#64;")


def figure_markdown(resolved: Resolved, page: str) -> str:
    """What replaces the marker on `page`: the figure, its caption (with the citation block) and the data."""
    chart = resolved.chart
    ledger = posixpath.relpath(LEDGER_PAGE, posixpath.dirname(page) or ".")
    # text from charts.yaml: shown, never run (primer.site.safe_html)
    caption = safe_html.text(" ".join(f"{chart.title.rstrip('.')}.".split()))
    caption = f"**{caption}** " + safe_html.text(" ".join(chart.caption.split()))
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
