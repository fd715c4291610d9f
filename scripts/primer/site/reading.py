"""What a reader reads on a page: its article text, words, reading time and the share of citation marks.

Counted from a page's HTML as the reader sees it: the article, tables and admonitions included; left
out are what a reader does not read as the page's text: the notes at the foot (each citation's full
reference), the "Cite this page" block, the corrections note, the reading-time line itself,
permalink signs, scripts and styles. Citation marks are the numbers of the citation footnotes
(primer.build.stages.marks); their share is counted in characters other than white space, of the text a
reader sees, marks included.

Used by primer.build.stages.reading_time (each page's reading time at its top), the reading budgets in
tests/test_reading.py and `make bench` (each page's words and reading time). Command line:

    python -m primer.site.reading SITE_DIR      # every built page's words, minutes and marks; then the budgets
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

WORDS_PER_MINUTE = 230  # an adult reading non-fiction in English on a screen
# Classes of elements whose text is not the page's own reading text.
SKIPPED_CLASSES = {"footnote", "cite-block", "primer-corrections", "reading-time", "headerlink", "cite-popup"}
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_HAN = re.compile(r"[\u3400-\u9fff]")
ARTICLE_START = '<article class="md-content__inner md-typeset">'


@dataclass
class Reading:
    text: str          # the article's reading text, citation marks left out
    marks: list[str]   # the text of each citation mark, in order
    words_per_minute: int = WORDS_PER_MINUTE

    @property
    def words(self) -> int:
        """English words and numbers, plus each Chinese character as a word."""
        return len(_WORD.findall(self.text)) + len(_HAN.findall(self.text))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / self.words_per_minute))

    @property
    def mark_share(self) -> float:
        """Characters of citation marks over all visible characters (marks included), white space aside."""
        marks = sum(len("".join(m.split())) for m in self.marks)
        total = marks + len("".join(self.text.split()))
        return marks / total if total else 0.0


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_RAW = re.compile(r"<!--.*?-->|<(script|style|template|noscript)\b.*?</\1\s*>", re.S | re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")
_MARK_HREF = re.compile(r"""\bhref\s*=\s*["']#fn:cite-""")
_BREAKS = {"p", "li", "td", "th", "div", "h1", "h2", "h3", "h4", "tr", "dd", "dt", "blockquote", "br"}


def read_html(html: str, words_per_minute: int = WORDS_PER_MINUTE) -> Reading:
    """The reading text of HTML: a whole page (its <article>) or a page's content alone. One pass over the
    tags with a regular expression and a stack (html.parser took a third of the build's overhead)."""
    start = html.find(ARTICLE_START)
    if start >= 0:
        html = html[start:html.find("</article>", start)]
    html = _RAW.sub(" ", html)
    text, marks = [], []
    stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, in a citation mark)
    skipped = mark = False
    last = 0
    for match in _TAG.finditer(html):
        if last < match.start() and not skipped:
            (marks.__setitem__(-1, marks[-1] + html[last:match.start()]) if mark
             else text.append(html[last:match.start()]))
        last = match.end()
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    del stack[i:]
                    break
            skipped, mark = (stack[-1][1], stack[-1][2]) if stack else (False, False)
        elif tag not in _VOID and not attrs.rstrip().endswith("/"):
            classes = _CLASS.search(attrs)
            if classes and not skipped and set(classes.group(1).split()) & SKIPPED_CLASSES:
                skipped = True
            if tag == "a" and not skipped and classes and "footnote-ref" in classes.group(1).split() \
                    and _MARK_HREF.search(attrs):
                mark = True
                marks.append("")
            stack.append((tag, skipped, mark))
        if tag in _BREAKS and not mark:
            text.append(" ")
    if last < len(html) and not skipped:
        text.append(html[last:])
    return Reading(" ".join(unescape("".join(text)).split()), [unescape(m) for m in marks], words_per_minute)


def reading_time_html(reading: Reading) -> str:
    return f'<p class="reading-time">{reading.minutes} min read · {reading.words:,} words</p>'


@dataclass(frozen=True)
class Budgets:
    """The reading budgets (issue #14), checked on the built site; mkdocs.yml may set each under the primer
    plugin's `reading:` option (primer.build.config), whose defaults are these."""
    words_per_minute: int = WORDS_PER_MINUTE
    thematic_max: int = 1500        # words of article text in a thematic chapter (primer/*), tables included
    key_points_max: int = 120       # words in a chapter's "Key points" box
    landing_max: int = 800          # words on the landing page
    short_source: int = 1200        # a source under this many words ...
    short_source_max: int = 500     # ... gets a chapter of at most this many words; a longer one, at most half its own
    mark_share_max: float = 0.05    # citation marks' share of a chapter's visible text

    @classmethod
    def of_project(cls, root: Path) -> Budgets:
        """The budgets as ROOT's mkdocs.yml sets them (the primer plugin's `reading:`), else the defaults."""
        from primer.build.mkdocs_yml import read
        for plugin in read(root).get("plugins") or []:
            if isinstance(plugin, dict) and "primer" in plugin:
                return cls(**((plugin["primer"] or {}).get("reading") or {}))
        return cls()


# Words of the project, not the reader's, that no reader page should use (a file path, an internal name).
JARGON = re.compile(r"\bvendor(?:ed|ing)?\b|\bthe register\b|\bhand-over\b|\bCHANGELOG\b|\bmanifest\b"
                    r"|(?<![\w/\]])(?:sources|scripts|hooks|docs|tests)/[\w./-]*\.\w+|\b[\w-]+\.(?:txt|py|ya?ml|cff)\b", re.I)
_KEY_POINTS = re.compile(r'<div class="admonition abstract">\s*<p class="admonition-title">Key points</p>(.*?)</div>',
                         re.S)


def source_chapters(root: Path) -> dict[str, Path]:
    """{URL path of a source's chapter: the source's text file}, from sources/manifest.yaml (`chapter:`)."""
    from primer.checks.figures import load_yaml
    manifest = load_yaml((root / "sources/manifest.yaml").read_text(encoding="utf-8"))
    out = {}
    for source in manifest["sources"]:
        if source.get("chapter"):
            page = Path(source["chapter"]).relative_to("docs").with_suffix("")
            out[f"{page.as_posix()}/"] = root / source["file"]
    return out


def source_words(text: str) -> int:
    return len(_WORD.findall(text)) + len(_HAN.findall(text))


def key_points_words(html: str) -> int | None:
    match = _KEY_POINTS.search(html)
    return read_html(match.group(1)).words if match else None


def budget_problems(site: Path, chapters: dict[str, Path], budgets: Budgets = Budgets()) -> list[str]:
    """Every reading budget the built SITE exceeds, one line each. CHAPTERS maps each source chapter's URL
    path ('sources/li-…/') to its source's text file. Thematic chapters are the pages under primer/."""
    b = budgets
    problems = []
    pages = {str(p.parent.relative_to(site)).replace(".", "") + "/": p for p in site.rglob("index.html")}
    pages = {("" if k == "/" else k): v for k, v in pages.items()}
    for path, file in sorted(pages.items()):
        html = file.read_text(encoding="utf-8")
        if ARTICLE_START not in html or 'http-equiv="refresh"' in html:
            continue
        reading = read_html(html, b.words_per_minute)
        where = f"{path or '(landing page)'} ({file.relative_to(site)})"
        chapter = (path.startswith("primer/") and path != "primer/") or path in chapters
        budget, kind = None, ""
        if path.startswith("primer/") and path != "primer/":
            budget, kind = b.thematic_max, "a thematic chapter"
        elif path in chapters:
            own = source_words(chapters[path].read_text(encoding="utf-8"))
            budget = b.short_source_max if own < b.short_source else own // 2
            kind = f"a chapter on a source of {own:,} words"
        elif path == "":
            budget, kind = b.landing_max, "the landing page"
        if budget is not None and reading.words > budget:
            problems.append(f"{where}: {reading.words:,} words of article text, over the budget of {budget:,} for "
                            f"{kind}; cut {reading.words - budget:,} (tell a fact once and link to it)")
        if chapter:
            points = key_points_words(html)
            if points is None:
                problems.append(f'{where}: no "Key points" box; add `!!! abstract "Key points"` after the first paragraph')
            elif points > b.key_points_max:
                problems.append(f"{where}: {points} words in Key points, over the budget of {b.key_points_max}")
            if reading.mark_share > b.mark_share_max:
                problems.append(f"{where}: citation marks are {reading.mark_share:.1%} of the visible text, over "
                                f"{b.mark_share_max:.0%}; cite with a citation block, which becomes one small mark")
        for match in JARGON.finditer(reading.text):
            context = reading.text[max(0, match.start() - 40):match.end() + 40]
            problems.append(f'{where}: project word "{match.group()}" on a reader page (…{context}…); '
                            "say it in the reader's words")
    return problems


def site_readings(site: Path) -> list[dict]:
    """Every built page's words, reading minutes and citation marks' share, in page order (for `make bench`)."""
    rows = []
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if ARTICLE_START not in html or 'http-equiv="refresh"' in html:
            continue
        reading = read_html(html)
        rel = page.parent.relative_to(site).as_posix()
        rows.append({"page": "" if rel == "." else rel + "/", "words": reading.words, "minutes": reading.minutes,
                     "mark_share": round(reading.mark_share, 4)})
    return rows


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m primer.site.reading SITE_DIR   (a built site, e.g. site/)", file=sys.stderr)
        return 2
    site = Path(argv[0])
    print(f"{'page':55} {'words':>6} {'min':>4} {'marks':>6}")
    for row in site_readings(site):
        print(f"{row['page'] or '(landing page)':55} {row['words']:6d} {row['minutes']:4d} {row['mark_share']:6.1%}")
    problems = budget_problems(site, source_chapters(Path(".")), Budgets.of_project(Path(".")))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
