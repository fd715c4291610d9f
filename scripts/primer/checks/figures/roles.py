"""What a figure counts: its role, the words that say what the number is of.

A figure in prose is followed by what it counts ("14 global R&D centres", "35.4% of GDP", "14 July"); a figure in
a table or a label follows its label ("Global R&D centers: 14", "Joint innovation labs: 7"). So its role is the
content words after it, up to the next boundary (punctuation, a conjunction, another number), at most four; when
there are none, the words before it, back to the boundary before. Two roles agree when they share a word, compared
loosely: case, plural, British and American spelling (centre, center), and a short form of a longer word (lab,
laboratories; export, exported).

The checker uses roles to keep each figure to its own: a figure whose value the cited passage holds only in another
role, while the passage gives another value in the figure's role, is a swapped figure ("7 global R&D centres" where
the passage has 14 of them and 7 labs); a day of a month must stand in the passage as a day of that month.
"""
from __future__ import annotations

import functools
import re

MONTHS = frozenset("january february march april may june july august september october november december".split())
STOP = frozenset("""a an the of in on at by for to from with into onto over under about around nearly almost some
than more less most least only just even also still as per cent percent percentage point points its it their his her
our your this that these those which who whom whose is are was were be been being has have had there here such same
other another each every any all both either neither so then thus up down out off very well much many few one
billion million trillion thousand hundred usd us rmb cny eur hkd gbp yuan dollars dollar year years month months
week weeks day days decade decades times time""".split())
_MAX_WORDS = 4
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z&'’]*(?:-[A-Za-z]+)*|[0-9][0-9.,]*|[,;:.()\[\]|\t!?“”\"–—]")
_CONJUNCTIONS = frozenset({"and", "or", "but", "while", "whereas", "against", "versus", "vs"})
_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety dozen""".split())
_WINDOW = 90     # characters either side in which a figure's role is looked for
_NEAR = 200      # characters either side of a source's figure in which its neighbourhood is


def _is_boundary(token: str) -> bool:
    low = token.lower()
    return not token[0].isalpha() or low in _CONJUNCTIONS or low in _NUMBER_WORDS


def _words(tokens) -> tuple[list[str], int]:
    """The role's words in TOKENS (re.Match objects, in reading order), and how many tokens it took."""
    out, n = [], 0
    for n, m in enumerate(tokens, start=1):
        token = m.group()
        if _is_boundary(token):
            return out, n - 1
        if token.lower() not in STOP and len(token) > 1:
            out.append(token)
            if len(out) == _MAX_WORDS:
                return out, n
    return out, n


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    """The window a role is looked for in: WINDOW characters either side, within the line in a table row (a line
    with a tab: the next line is another row)."""
    a, b = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if "\t" in text[line_start:line_end]:
        a, b = max(a, line_start), min(b, line_end)
    return a, b


def role_and_end(text: str, start: int, end: int) -> tuple[tuple[str, ...], int]:
    """The words of the role of the figure at TEXT[start:end] (after it, else before it; () when none), and where
    its words after it end (END when its role is before it)."""
    a, b = _line(text, start, end)
    after = list(_TOKEN_RE.finditer(text, end, b))
    words, taken = _words(after)
    if words:
        return tuple(words), after[taken - 1].end()
    before = list(_TOKEN_RE.finditer(text, a, start))[::-1]
    if before and before[0].group() in (":", "\t"):
        before = before[1:]                             # "Label: 14", a label cell before its value
    return tuple(_words(before)[0][::-1]), end


def both_sides(text: str, start: int, end: int) -> tuple[str, ...]:
    """The role's words on either side of the figure at TEXT[start:end], each side up to its boundary."""
    a, b = _line(text, start, end)
    before = list(_TOKEN_RE.finditer(text, a, start))[::-1]
    return tuple(_words(list(_TOKEN_RE.finditer(text, end, b)))[0]) + tuple(_words(before)[0][::-1])


def role(text: str, start: int, end: int) -> tuple[str, ...]:
    """The words of the role of the figure at TEXT[start:end] (after it, else before it; () when none)."""
    return role_and_end(text, start, end)[0]


@functools.lru_cache(maxsize=1 << 14)
def _norm(word: str) -> str:
    w = word.lower().replace("’", "'").removesuffix("'s").strip("'")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    if w.endswith("re") and len(w) > 4:
        w = w[:-2] + "er"                               # centre, center
    w = re.sub(r"is(ation|e|ed|ing)$", r"iz\1", w) if len(w) > 6 else w   # utilisation, utilization
    return w[:-3] + "or" if w.endswith("our") else w


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):     # lab, laboratory; export, exported
        return True
    common = len(next((p for p in (short[:n] for n in range(len(short), 4, -1)) if long_.startswith(p)), ""))
    return common >= 5 and common >= len(short) - 2     # province, provincial


def agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two roles share a word (loosely); a role with no words agrees with nothing."""
    na, nb = [_norm(w) for w in a], [_norm(w) for w in b]
    return any(_same(x, y) for x in na for y in nb)


_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY_BEFORE_MONTH_RE = re.compile(r"(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?" + _MONTH + r"\b")
_MONTH_BEFORE_DAY_RE = re.compile(r"\b" + _MONTH + r"[ \t]+\Z")


def day_of(text: str, start: int, end: int) -> str:
    """The month whose day the number at TEXT[start:end] is ("14 July", "May 14"), else ""."""
    if not text[start:end].isdigit() or not 1 <= int(text[start:end]) <= 31:
        return ""
    m = _DAY_BEFORE_MONTH_RE.match(text, end) or _MONTH_BEFORE_DAY_RE.search(text, max(0, start - 12), start)
    return m.group(1) if m else ""


def words_between(text: str, start: int, end: int) -> tuple[str, ...]:
    """The content words of TEXT[start:end], boundaries or not."""
    return tuple(t for t in _TOKEN_RE.findall(text[start:end])
                 if t[0].isalpha() and t.lower() not in STOP and t.lower() not in _CONJUNCTIONS and len(t) > 1)


class SourceRoles:
    """Each occurrence's role in one source, worked out once; and its neighbourhood: the words of its sentence
    between the figures before and after it (what a paraphrase may have taken its role from)."""

    def __init__(self, source):
        self.source = source
        self.roles: dict[int, tuple[str, ...]] = {}
        self.days: dict[int, str] = {}
        self.nears: dict[int, tuple[str, ...]] = {}
        self.ends: dict[int, int] = {}
        self.order = sorted(range(len(source.occ)), key=lambda i: source.occ[i].fig.start)
        self.rank = {idx: n for n, idx in enumerate(self.order)}

    def near(self, idx: int) -> tuple[str, ...]:
        if idx not in self.nears:
            src, f = self.source, self.source.occ[idx].fig
            a, b = src.sentence_span(src.occ[idx].sent)
            n = self.rank[idx]
            before = self.role_end(self.order[n - 1]) if n > 0 else a   # not the previous figure's own role
            after = src.occ[self.order[n + 1]].fig.start if n + 1 < len(self.order) else b
            start, end = max(a, before, f.start - _NEAR), min(b, after, f.end + _NEAR)
            self.nears[idx] = words_between(src.text, start, f.start) + words_between(src.text, f.end, max(end, f.end))
        return self.nears[idx]

    def role(self, idx: int) -> tuple[str, ...]:
        if idx not in self.roles:
            f = self.source.occ[idx].fig
            self.roles[idx], self.ends[idx] = role_and_end(self.source.text, f.start, f.end)
        return self.roles[idx]

    def role_end(self, idx: int) -> int:
        self.role(idx)
        return self.ends[idx]

    def day(self, idx: int) -> str:
        if idx not in self.days:
            f = self.source.occ[idx].fig
            self.days[idx] = day_of(self.source.text, f.start, f.end)
        return self.days[idx]
