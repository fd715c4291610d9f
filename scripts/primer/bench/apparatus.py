"""The apparatus around a chapter, measured in a browser (issue #21): what the browser tests hold to a budget and
`make bench` reports. MEASURE_JS runs in a loaded page (JavaScript on, every disclosure closed) and returns:

- `article`, `outside`: the visible words of the article's own text and of what surrounds it (the notes, the
  works cited, the "Cite this page" block, the corrections note); budget: outside <= article on a chapter;
- `height`: the page's height in CSS px;
- `wide_tables`: each table wider than the article's column (cut off, or scrolled sideways), with its width;
- `squeezed`: each ledger table whose cells may break a word (overflow-wrap or word-break allowing it) or
  that is wider than its column: a column narrower than its longest word;
- `small_marks`: each citation mark whose tap target is under 24 x 24 CSS px (WCAG 2.2, 2.5.8).

`problems(measure, chapter=...)` turns one page's measure into the budget's failures, one line each.
"""
from __future__ import annotations

MARK_MIN = 24   # CSS px, each side of a citation mark's tap target

MEASURE_JS = """() => {
  const words = t => (t.match(/[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[\\u3400-\\u9fff]/g) || []).length;
  const article = document.querySelector('article');
  if (!article) return null;
  const outside = [...article.querySelectorAll('.footnote, .cite-block, .primer-corrections')]
    .filter(el => !el.parentElement.closest('.footnote, .cite-block, .primer-corrections'));
  const outsideWords = outside.reduce((n, el) => n + words(el.innerText), 0);
  const column = article.getBoundingClientRect().width;
  const name = el => el.tagName.toLowerCase() + [...el.classList].slice(0, 2).map(c => '.' + c).join('');
  const wide = [...article.querySelectorAll('table')]
    .filter(t => t.offsetParent !== null && t.getBoundingClientRect().width > column + 1)
    .map(t => `${name(t)} (${Math.round(t.getBoundingClientRect().width)} px in ${Math.round(column)} px): `
              + (t.querySelector('th, td') || {innerText: ''}).innerText.slice(0, 40));
  const squeezed = [...article.querySelectorAll('table.ledger-cards')].filter(t => {
    const cell = t.querySelector('td');
    if (!cell) return false;
    const style = getComputedStyle(cell);
    return style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all' || style.wordBreak === 'break-word'
      || t.getBoundingClientRect().width > column + 1;
  }).map(name);
  const small = [...article.querySelectorAll('a.footnote-ref[href^="#fn:cite-"]')].filter(a => {
    const r = a.getBoundingClientRect();
    return r.width < MARK_MIN - 0.5 || r.height < MARK_MIN - 0.5;
  }).map(a => { const r = a.getBoundingClientRect(); return `${a.getAttribute('href')} (${r.width.toFixed(1)} x ${r.height.toFixed(1)} px)`; });
  return {article: words(article.innerText) - outsideWords, outside: outsideWords,
          height: document.documentElement.scrollHeight, wide_tables: wide, squeezed: squeezed, small_marks: small};
}""".replace("MARK_MIN", str(MARK_MIN))

# Where the popup of a mark stands against the mark's line and the window (run with the popup open).
POPUP_JS = """(mark) => {
  const popup = document.getElementById('cite-popup');
  if (!popup || popup.hidden) return null;
  const p = popup.getBoundingClientRect(), m = mark.getBoundingClientRect();
  const block = mark.closest('p, li, td, th, dd, figcaption') || mark.parentElement;
  const lh = parseFloat(getComputedStyle(block).lineHeight) || m.height;
  const middle = (m.top + m.bottom) / 2;
  const line = {top: Math.min(m.top, middle - lh / 2), bottom: Math.max(m.bottom, middle + lh / 2)};
  return {height: p.height, window: window.innerHeight, top: p.top, bottom: p.bottom,
          line_top: line.top, line_bottom: line.bottom, scrolls: popup.scrollHeight > popup.clientHeight + 1,
          overflow: getComputedStyle(popup).overflowY};
}"""


def problems(path: str, measure: dict | None, *, chapter: bool) -> list[str]:
    """One page's measure against the budgets: the apparatus no bigger than the article (CHAPTER pages), no table
    wider than its column, no ledger column narrower than its longest word, every mark a 24 x 24 target."""
    if not measure:
        return [f"/{path}: no article to measure"]
    out = []
    if chapter and measure["outside"] > measure["article"]:
        out.append(f"/{path}: {measure['outside']:,} visible words around the article (notes, works cited, cite "
                   f"block) for {measure['article']:,} of the article's own; at most as many")
    out += [f"/{path}: table wider than its column: {t}" for t in measure["wide_tables"]]
    out += [f"/{path}: ledger table may break words or is cut off: {t}" for t in measure["squeezed"]]
    out += [f"/{path}: citation mark smaller than {MARK_MIN} x {MARK_MIN} px: {m}" for m in measure["small_marks"][:5]]
    return out


def popup_problems(where: str, placed: dict | None) -> list[str]:
    """A popup's placement against its budget: at most half the window's height, scrolling inside when longer,
    and never over the line its mark stands on."""
    if placed is None:
        return [f"{where}: no popup shown"]
    out = []
    if placed["height"] > placed["window"] / 2 + 1:
        out.append(f"{where}: popup {placed['height']:.0f} px high in a {placed['window']} px window (at most half)")
    if placed["overflow"] not in ("auto", "scroll"):
        out.append(f"{where}: popup does not scroll inside (overflow-y {placed['overflow']})")
    if placed["top"] < placed["line_bottom"] - 0.5 and placed["bottom"] > placed["line_top"] + 0.5:
        out.append(f"{where}: popup ({placed['top']:.0f}-{placed['bottom']:.0f} px) covers its mark's line "
                   f"({placed['line_top']:.0f}-{placed['line_bottom']:.0f} px)")
    return out
