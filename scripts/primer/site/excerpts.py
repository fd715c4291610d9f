"""How much of a source whose licence is unknown the site shows: only what a claim needs, and never too much of it.

A source republished whole (an open licence: `republish: whole` in sources/manifest.yaml) is shown as it is. Of
any other source the site shows, for each citation, an excerpt of at most MAX_WORDS words of the passage the
claim rests on: the quoted words or figures with a few words either side, or, for a claim found by its wording,
the stretch of the passage that shares most words with it. And it stops showing excerpts of a source before
they add up to a copy of it, by two measures, each kept on every page and over the whole site:

- characters: the source's text covered by the excerpts shown (their union), at most PAGE_SHARE of the source
  on one page and SITE_SHARE over the site;
- sentences (issue #21's measure): a source sentence of 10 words or more counts as reproduced when its first
  120 characters appear in what is shown; at most PAGE_SHARE of such sentences on one page, SITE_SHARE over
  the site.

`Allowance` grants excerpts in the order asked: the build asks first for each chapter's claims, those resting
on a quotation first, then on a figure, then on wording, so the claims that most need their passage get it.
A claim refused an excerpt shows none: its note links to the original instead (`passages.passage_link`).
`reproduced` is the sentence measure itself, which the tests and `make bench` apply to the built pages and the
PDF's text. No MkDocs import.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

MAX_WORDS = 25        # an excerpt: the claim's own words, a few words either side
FIGURE_CONTEXT = 6    # words either side of a figure in the figure ledger
PAGE_SHARE = 0.25     # of a source, at most, on any one page
SITE_SHARE = 0.50     # of a source, at most, over the whole site
SENTENCE_WORDS = 10   # a sentence this long or longer counts in the sentence measure
PREFIX = 120          # ... as reproduced when its first PREFIX characters are shown
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?])[’”\"')]*\s+(?=[“\"‘'(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")


def normal(text: str) -> str:
    """Whitespace collapsed, the extraction's backslash before a dollar sign left out: the text as shown."""
    return " ".join(text.replace("\\$", "$").split())


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of SENTENCE_WORDS words or more in TEXT (normal())."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text + " X"):
        end = match.start()
        if len(text[start:end].split()) >= SENTENCE_WORDS:
            out.append((start, min(end, len(text))))
        start = match.end()
    return out


def reproduced(shown: str, source: str) -> set[int]:
    """The sentence measure: which of SOURCE's sentences (their indexes) have their first PREFIX characters in
    SHOWN (both as text; whitespace is collapsed here)."""
    shown, source = normal(shown), normal(source)
    return {i for i, (a, b) in enumerate(sentences(source)) if source[a:min(b, a + PREFIX)] in shown}


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def window(passage: str, marks: list[str], claim: str = "", max_words: int = MAX_WORDS) -> str:
    """At most MAX_WORDS words of PASSAGE: around the first of MARKS found in it (the quoted words or figures),
    else the stretch sharing most words with CLAIM; "…" where the passage is cut."""
    words = passage.split()
    if len(words) <= max_words:
        return " ".join(words)
    starts, at = [], 0
    for word in words:           # each word's character offset in " ".join(words)
        starts.append(at)
        at += len(word) + 1
    joined = " ".join(words)
    first = last = None
    for mark in marks:
        mark = " ".join(mark.split())
        found = joined.find(mark) if mark else -1
        if found >= 0:
            first = max(i for i, s in enumerate(starts) if s <= found)
            last = max(i for i, s in enumerate(starts) if s < found + len(mark))
            break
    if first is None:
        wanted = _words(claim)
        scores = [len(wanted & _words(" ".join(words[i:i + max_words]))) for i in range(len(words) - max_words + 1)]
        first = scores.index(max(scores)) if scores else 0
        last = first + max_words - 1
    span = last - first + 1
    if span >= max_words:
        begin, end = first, first + max_words
    else:
        spare = max_words - span
        begin = max(0, first - spare // 2)
        end = min(len(words), begin + max_words)
        begin = max(0, end - max_words)
    text = " ".join(words[begin:end])
    return (ELLIPSIS + " " if begin > 0 else "") + text + (" " + ELLIPSIS if end < len(words) else "")


def _union(spans: list[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for a, b in sorted(spans):
        if b <= reach:
            continue
        total += b - max(a, reach)
        reach = b
    return total


@dataclass
class _Source:
    text: str
    sentences: list[tuple[int, int]]
    site: list = field(default_factory=list)                 # spans shown anywhere
    site_sentences: set = field(default_factory=set)
    pages: dict = field(default_factory=dict)                # page -> (spans, sentences)
    unlocated: int = 0                                      # where the next excerpt not found in TEXT is counted
    merged: list = field(default_factory=list)               # the site's spans as their union: disjoint, in order
    merged_size: int = 0                                     # ... and its length (_union(site))

    def __post_init__(self):
        self.unlocated = len(self.text)
        self.starts = [s for s, _ in self.sentences]         # in order (sentences() finds them in order)

    def span(self, excerpt: str) -> tuple[int, int] | None:
        core = excerpt.replace(ELLIPSIS, "").strip()
        at = self.text.find(core)
        return (at, at + len(core)) if at >= 0 else None

    def prefixes(self, span: tuple[int, int]) -> set[int]:
        """The sentences whose first PREFIX characters SPAN covers (those starting in it, found by bisection)."""
        a, b = span
        out = set()
        for i in range(bisect.bisect_left(self.starts, a), len(self.starts)):
            s, e = self.sentences[i]
            if s > b:
                break
            if min(e, s + PREFIX) <= b:
                out.add(i)
        return out

    def site_with(self, span: tuple[int, int]) -> int:
        """_union(site + [SPAN]) from the union kept so far: SPAN's length less what of it is already shown."""
        a, b = span
        if b <= a:
            return self.merged_size
        overlap = 0
        for x, y in self.merged[max(0, bisect.bisect_right(self.merged, (a,)) - 1):]:
            if x >= b:
                break
            overlap += max(0, min(b, y) - max(a, x))
        return self.merged_size + (b - a) - overlap

    def show(self, span: tuple[int, int]) -> None:
        """SPAN added to the site's union."""
        self.merged_size = self.site_with(span)
        a, b = span
        if b <= a:
            return
        keep = [(x, y) for x, y in self.merged if y < a or x > b]
        for x, y in self.merged:
            if not (y < a or x > b):
                a, b = min(a, x), max(b, y)
        self.merged = sorted(keep + [(a, b)])


class Allowance:
    """Excerpts of the sources whose licence is unknown, granted while each page and the site stay within
    their shares (both measures). SOURCES: {file: its text}."""

    def __init__(self, sources: dict[str, str], page_share: float = PAGE_SHARE, site_share: float = SITE_SHARE):
        self.sources = {file: _Source(normal(text), sentences(normal(text))) for file, text in sources.items()}
        self.page_share, self.site_share = page_share, site_share

    def grant(self, page: str, file: str, excerpt: str) -> bool:
        """Whether EXCERPT of FILE may be shown on PAGE; if so, it is counted."""
        source = self.sources[file]
        span = source.span(excerpt)
        if span is None:   # not found as it stands (an extraction artefact across lines): counted by its length
            span = (source.unlocated, source.unlocated + len(excerpt))
            source.unlocated += len(excerpt)
        spans, found = source.pages.get(page, ([], set()))
        new = source.prefixes(span)
        size = max(1, len(source.text))
        count = max(1, len(source.sentences))
        if (_union(spans + [span]) > self.page_share * size or source.site_with(span) > self.site_share * size
                or len(found | new) > self.page_share * count or len(source.site_sentences | new) > self.site_share * count):
            return False
        source.pages[page] = (spans + [span], found | new)
        source.site.append(span)
        source.show(span)
        source.site_sentences |= new
        return True

    def shares(self, file: str) -> dict:
        """What is shown of FILE: the largest share on one page and over the site, by both measures."""
        source = self.sources[file]
        size, count = max(1, len(source.text)), max(1, len(source.sentences))
        pages = source.pages.values()
        return {"page_chars": max((_union(s) / size for s, _ in pages), default=0.0),
                "site_chars": _union(source.site) / size,
                "page_sentences": max((len(f) / count for _, f in pages), default=0.0),
                "site_sentences": len(source.site_sentences) / count}


_PRIORITY = {"quotation": 0, "figure": 1, "wording": 2}


class Excerpts:
    """What each citation and each figure-ledger row shows of its source. ENTRIES: the manifest's entries by
    file; TEXTS: each source's text by file. A source republished whole is shown as it is (its passage)."""

    def __init__(self, entries: dict[str, dict], texts: dict[str, str], evidence=(), windows: dict | None = None):
        self.allowance = Allowance({f: texts[f] for f, e in entries.items() if e.get("republish") != "whole" and f in texts})
        self.evidence = set(evidence)   # the public-evidence passages kept in sources/evidence.yaml, by name
        self.decided: dict = {}
        # each excerpt's window, by what it is cut from (`window` is a function of its arguments alone): WINDOWS
        # may be kept from one build to the next (`mkdocs serve`'s rebuilds)
        self.windows = {} if windows is None else windows

    def _window(self, passage: str, marks: str, claim: str = "", max_words: int = MAX_WORDS,
                figure: bool = False) -> str:
        key = (passage, marks, claim, max_words, figure)
        if key not in self.windows:
            if figure:   # a figure ledger row: its source sentence, the figure
                self.windows[key] = window(normal(passage.replace("… ", "").replace(" …", "")), [marks],
                                           max_words=max_words)
            else:        # a claim: its passage, the quoted words or figures (tab-separated), its sentence
                self.windows[key] = window(normal(passage), [normal(m) for m in marks.split("\t") if m.strip()],
                                           claim)
        return self.windows[key]

    def _cut(self, file: str) -> bool:
        """Whether what is shown of FILE is an excerpt: a source whose licence is unknown, or a kept passage of public
        evidence (another's work: shown as no more than the words the claim needs, MAX_WORDS, with its link)."""
        return file in self.allowance.sources or file in self.evidence

    @classmethod
    def of_project(cls, root, windows: dict | None = None) -> Excerpts:
        """From ROOT's sources/manifest.yaml and the source files it lists (a missing file shows nothing); WINDOWS:
        the excerpts' windows an earlier build cut (see __init__)."""
        from pathlib import Path

        from primer.site.passages import read_manifest
        from primer.checks.figures import BadInput, evidence
        entries = {str(e["file"]): e for e in read_manifest(root)}
        texts = {}
        for file in entries:
            try:
                texts[file] = (Path(root) / file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
        try:
            kept = evidence.site_entries(root)
        except BadInput:   # the figure check has said why
            kept = {}
        return cls(entries, texts, kept, windows)

    def plan(self, claims) -> None:
        """Decide every claim's excerpt, page by page, the claims that most need their passage first."""
        by_page: dict[str, list] = {}
        for claim in claims:
            by_page.setdefault(claim.page, []).append(claim)
        # each source's own chapter first, then the thematic chapters, then the rest
        order = sorted(by_page, key=lambda page: (not page.startswith("sources/"), not page.startswith("primer/"), page))
        for page in order:
            for claim in sorted(by_page[page], key=lambda c: (_PRIORITY.get(c.method, 3) + 3 * (c.status == "weak"),
                                                              c.line, c.col)):
                self.for_claim(claim)

    def for_claim(self, claim) -> str | None:
        """The passage to show for CLAIM (whole for an open source), or None: none may be shown. An absence claim's
        passage is the primer's note of what was searched, not the source's words."""
        if not self._cut(claim.source_file) or claim.method == "absence":
            return claim.passage
        key = ("claim", claim.page, claim.line, claim.col, claim.key, claim.locator, claim.sentences)
        if key not in self.decided:
            excerpt = self._window(claim.passage, claim.highlight, claim.sentence)
            self.decided[key] = excerpt if claim.source_file in self.evidence \
                or self.allowance.grant(claim.page, claim.source_file, excerpt) else None
        return self.decided[key]

    def published_claims(self, claims) -> list:
        """CLAIMS as the downloads publish them: of a source whose licence is unknown, each passage its excerpt
        (empty where none may be shown), as the pages show it."""
        return [replace(c, passage=self.for_claim(c) or "") if self._cut(c.source_file) else c for c in claims]

    def published_rows(self, rows, page_of) -> list:
        """ROWS as the downloads publish them: of a source whose licence is unknown, each source sentence the words
        around its figure that its ledger page (PAGE_OF(row)) shows (empty where none may be shown)."""
        return [replace(r, source_sentence=self.for_row(r, page_of(r)) or "")
                if self._cut(r.source_file) and r.source_sentence else r for r in rows]

    def for_row(self, row, page: str) -> str | None:
        """The words around a figure in its source sentence, as the figure ledger's PAGE shows them (whole for an
        open source), or None."""
        if not self._cut(row.source_file):
            return row.source_sentence
        key = ("row", page, row.line, row.col, row.figure)
        if key not in self.decided:
            size = 2 * FIGURE_CONTEXT + len(str(row.figure).split())
            excerpt = self._window(row.source_sentence, str(row.figure), max_words=size, figure=True)
            self.decided[key] = excerpt if row.source_file in self.evidence \
                or self.allowance.grant(page, row.source_file, excerpt) else None
        return self.decided[key]
