"""Quotations: the words a chapter puts in double quotes, found verbatim in the passage it cites.

A quotation is text in double quotes, straight ("…") or typographic (“…”), in a unit (sentence, table
row, list item) that cites a source with a text. It must stand in the cited passage word for word. The
only differences allowed are:

- typographic and straight quotes and apostrophes ("" “” for each other, '' ‘’ for each other);
- whitespace (a line break of the text is a space);
- a hyphen the PDF extraction put at a line break ("inter-\\nnational" for "international"), and a
  hyphen followed by a line break or a space in the source ("high-\\nend" for "high-end");
- the extraction's backslash before a dollar sign ("US \\$" for "US $");
- marked elisions: ``…``, ``...``, ``[…]`` and ``[...]`` stand for any words left out, in order;
- bracketed insertions: ``[the]``, ``[its]`` stand for the words they replace (or none);
- the case of the first letter, and punctuation at the end inside the quotes (". , ; :"), which
  belongs to the primer's sentence.

A section heading printed in capitals may be quoted in title case ("Problems Ahead" for PROBLEMS AHEAD).

Two kinds of quotation are the primer's own and exempt, marked where they stand:

- its translations: ``<span class="translation">"promotion"</span>``;
- words it mentions rather than quotes from the cited passage (a phrase the source does *not* use, the
  words of a URL, a label from the source's record): ``The brief never says <span class="mention">"export
  controls"</span>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from primer.checks.figures.numbers import collapse_space

# a quotation: straight or typographic double quotes, within one paragraph (no blank line inside)
QUOTE_RE = re.compile(r"“(?P<t>[^“”\n]*(?:\n(?![ \t]*\n)[^“”\n]*)*)”|\"(?P<s>[^\"\n]*(?:\n(?![ \t]*\n)[^\"\n]*)*)\"")
EXEMPT_RE = re.compile(r"<span\b[^<>]*\bclass\s*=\s*[\"'][^\"']*\b(?P<kind>translation|mention)\b[^\"']*[\"'][^<>]*>"
                       r".*?</span\s*>", re.S | re.I)
_ELISION_RE = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
_INSERTION_RE = re.compile(r"\[[^\[\]]{1,40}\]")
_MD_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_EMPHASIS_RE = re.compile(r"(?<![\w\\])(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_TRAILING_RE = re.compile(r"[.,;:]+\Z")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": " ", "&#39;": "'"}
SHORT_WORDS = 2    # a quotation of one or two words: a term, often one the primer uses itself


@dataclass
class Quotation:
    start: int         # offset of the opening quote in the page
    end: int           # offset after the closing quote
    text: str          # the quoted words, Markdown removed
    exempt: str = ""   # translation or mention: the primer's own, not checked

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def short(self) -> bool:
        return self.words <= SHORT_WORDS


def clean(text: str) -> str:
    """A quotation's words without Markdown: links as their text, tags and emphasis marks dropped."""
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!$])", r"\1", text)     # Markdown's backslash escapes
    return collapse_space(text)


def comparable(words: str) -> str:
    """Quoted words compared with others: lower case, typographic quotes straight, no closing punctuation."""
    words = words.translate(str.maketrans("“”‘’", "\"\"''")).lower()
    return _TRAILING_RE.sub("", collapse_space(words))


def exempt_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each span marking the primer's own translation or mention."""
    if "translation" not in text and "mention" not in text:
        return []
    return [(m.start(), m.end(), m.group("kind").lower()) for m in EXEMPT_RE.finditer(text)]


def find_quotations(masked: str, text: str, start: int, end: int, exempt: list[tuple[int, int, str]]) -> list[Quotation]:
    """The quotations of one unit: MASKED is the page with code, tags and citations blanked (quotes inside
    them are not quotations), TEXT the page as written (the quoted words are taken from it)."""
    out = []
    for m in QUOTE_RE.finditer(masked, start, end):
        words = clean(text[m.start() + 1:m.end() - 1])
        if not any(ch.isalpha() for ch in words):
            continue                                   # 12" or a stray mark
        kind = next((k for a, b, k in exempt if a <= m.start() < b), "")
        out.append(Quotation(m.start(), m.end(), words, kind))
    return out


def _piece(piece: str, breaks: frozenset = frozenset()) -> str:
    out = []
    parts = _INSERTION_RE.split(piece)
    for i, part in enumerate(parts):
        if i:
            out.append(r"[\s\S]{0,60}?")                # a bracketed insertion: the words it replaces, or none
        prev = ""
        for ch in part:
            if ch.isspace():
                if prev != " ":
                    out.append(r"\s+")
                prev = " "
                continue
            if prev.isalpha() and ch.isalpha() and (prev.lower(), ch.lower()) in breaks:
                out.append(r"(?:-[ \t]*\n\s*)?")        # the extraction's hyphen at a line break
            if ch in "\"“”":
                out.append("[\"“”]")
            elif ch in "'‘’":
                out.append("['‘’\"“”]")                 # single quotes inside a quotation stand for the source's double
            elif ch == "-":
                out.append(r"-\s*")
            elif ch == "$":
                out.append(r"\\?\$")
            elif ch.isalpha() and not out:
                out.append(f"[{re.escape(ch.upper())}{re.escape(ch.lower())}]")
            else:
                out.append(re.escape(ch))
            prev = ch
    return "".join(out)


_PATTERNS: dict[tuple, re.Pattern | None] = {}
_CAPITALS: dict[tuple, re.Pattern] = {}   # the same, in any case: a heading printed in capitals
_BREAKS: dict[str, frozenset] = {}        # each source text's hyphens at a line break, as letter pairs
_BREAK_RE = re.compile(r"([^\W\d_])-[ \t]*\n\s*([^\W\d_])")


def line_breaks(text: str) -> frozenset:
    """The pairs of letters (lower case) that TEXT joins with a hyphen at a line break ("eco-\\nnomic": o, n)."""
    if text not in _BREAKS:
        _BREAKS[text] = frozenset((m.group(1).lower(), m.group(2).lower()) for m in _BREAK_RE.finditer(text))
    return _BREAKS[text]


def pattern(words: str, breaks: frozenset = frozenset()) -> re.Pattern | None:
    """The regular expression a quotation's words must match in a source (None: no words to match). Between
    two letters the source may break a word with a hyphen at a line end; that alternative is written only
    between the letters that BREAKS (line_breaks of the source) holds: elsewhere it could only match nothing,
    and it made each pattern ten times longer to compile (~900 quotations: half a second of a fresh build)."""
    key = (words, breaks)
    if key in _PATTERNS:
        return _PATTERNS[key]
    pieces = [p.strip() for p in _ELISION_RE.split(_TRAILING_RE.sub("", words.strip()))]
    pieces = [p for p in pieces if p and any(ch.isalnum() for ch in p)]
    rx = re.compile(r"[\s\S]{0,600}?".join(_piece(p, breaks) for p in pieces)) if pieces else None
    _PATTERNS[key] = rx
    return rx


def search(words: str, text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """The quotation in TEXT[start:end], or None; a heading printed in capitals matches in any case."""
    breaks = line_breaks(text)
    rx = pattern(words, breaks)
    if rx is None:
        return None
    end = len(text) if end is None else end
    m = rx.search(text, start, end)
    if m is None and len(words) < 80:
        key = (words, breaks)
        if key not in _CAPITALS:   # kept: re's own cache (512) would drop ~900 quotations' patterns
            _CAPITALS[key] = re.compile(rx.pattern, re.I)
        m = _CAPITALS[key].search(text, start, end)
        if m is not None and any(ch.islower() for ch in m.group()):
            m = None
    return m


def closest(words: str, text: str, start: int, end: int) -> tuple[int, int, float]:
    """Where in TEXT[start:end] the words come closest (rapidfuzz's best partial alignment): (start, end, score)."""
    from rapidfuzz import fuzz
    hay = text[start:end]
    found = fuzz.partial_ratio_alignment(words, hay)
    if found is None:
        return start, start, 0.0
    return start + found.dest_start, start + found.dest_end, found.score
