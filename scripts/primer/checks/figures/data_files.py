"""The words of the data files a reader sees, checked as pages are:

- glossary.yaml: each term's `english`, `chinese` and `definition` (the glossary page and every page's tooltip),
  cited by the term's `cite`;
- charts.yaml: each chart's `title`, `alt` and `caption` (the figure's caption and the screen reader's text),
  cited by the ledger rows its points draw (the citation the build adds to the caption). Numbers in them are
  charts.yaml's own rule (primer.site.chart_data: none at all), so only their quotations and stray citations are
  checked here.

Each file is read as a page in which everything but those words is blanked, offsets kept, so a problem is
reported at the file's own line and column. The words of one term or chart are one group: its citation applies
to each of their sentences. A file that cannot be read as YAML is left to its stage (the glossary's, the
charts'), which reports it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from primer.checks.figures.numbers import blank

GLOSSARY = "glossary.yaml"
CHARTS = "charts.yaml"
GLOSSARY_FIELDS = ("english", "chinese", "definition")
CHART_FIELDS = ("title", "alt", "caption")


@dataclass
class DataPage:
    """A data file as a page: TEXT is the file with only the words a reader sees left (and, after its end, the
    citations a chart's caption is given); GROUPS: each term's or chart's spans, cited together."""
    display: str
    text: str
    groups: list = field(default_factory=list)    # [((start, end), ...)]
    figures: bool = True                          # its figures checked (charts.yaml: its own rule)


def _mapping(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _span(text: str, node) -> tuple[int, int] | None:
    """Where a scalar's words stand in TEXT: a block scalar's lines after its indicator, a quoted scalar inside
    its quotes."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        return None
    a, b = node.start_mark.index, node.end_mark.index
    if node.style in (">", "|"):
        nl = text.find("\n", a, b)
        a = nl + 1 if nl >= 0 else b
    elif node.style in ("'", '"'):
        a, b = a + 1, b - 1
    return (a, b) if a < b else None


def _visible(text: str, spans: list[tuple[int, int]]) -> str:
    """TEXT blanked but for SPANS; a YAML escape (\\" and '') reads as a quote, offsets kept."""
    parts, last = [], 0
    for a, b in sorted(spans):
        parts += [blank(text[last:a]), text[a:b].replace('\\"', ' "').replace("''", " '")]
        last = b
    parts.append(blank(text[last:]))
    return "".join(parts)


def _items(root: Path, name: str, key: str):
    """The file's text and the nodes of its list under KEY (None when the file is missing or not YAML)."""
    path = root / name
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # libyaml: 8x faster
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    items = _mapping(node, key)
    return (text, items.value) if isinstance(items, yaml.SequenceNode) else None


def glossary_page(root: Path) -> DataPage | None:
    read = _items(root, GLOSSARY, "terms")
    if read is None:
        return None
    text, terms = read
    spans, groups = [], []
    for term in terms:
        group = [s for s in (_span(text, _mapping(term, f)) for f in (*GLOSSARY_FIELDS, "cite")) if s]
        spans += group
        groups.append(tuple(group))
    return DataPage(GLOSSARY, _visible(text, spans), groups)


def charts_page(root: Path, rows) -> DataPage | None:
    """charts.yaml as a page; each chart's caption cited, after the file's end, by the rows its points select
    (as primer.site.chart_data resolves them: a point's `select` names the row by its fields)."""
    read = _items(root, CHARTS, "charts")
    if read is None:
        return None
    text, charts = read
    by_place: dict = {}
    for row in rows:
        by_place.setdefault((str(row.page), str(row.figure)), []).append(row)
    spans, pending = [], []
    for chart in charts:
        group = [s for s in (_span(text, _mapping(chart, f)) for f in CHART_FIELDS) if s]
        cites: list[str] = []
        series = _mapping(chart, "series")
        for point in series.value if isinstance(series, yaml.SequenceNode) else []:
            select = _mapping(point, "select")
            if not isinstance(select, yaml.MappingNode):
                continue
            wanted = {k.value: v.value for k, v in select.value if isinstance(k, yaml.ScalarNode)
                      and isinstance(v, yaml.ScalarNode)}
            for row in by_place.get((wanted.get("page"), wanted.get("figure")), []):
                if row.status == "ok" and all(str(getattr(row, k, None)) == str(v) for k, v in wanted.items()):
                    cite = f"@{row.key}, {row.locator}" if row.locator else f"@{row.key}"
                    if cite not in cites:
                        cites.append(cite)
                    break
        if cites:                         # a chart whose points select no row: charts.yaml's rule reports it
            spans += group
            pending.append((group, "[" + "; ".join(cites) + "]"))
    page = _visible(text, spans).rstrip("\n") + "\n"
    groups = []
    for group, citation in pending:
        at = len(page) + 1
        page += "\n" + citation + "\n"
        groups.append((*group, (at, at + len(citation))))
    return DataPage(CHARTS, page, groups, figures=False)
