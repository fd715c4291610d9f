"""Markdown units: a chapter masked down to its prose (code, URLs, tags, front matter, locators
blanked, offsets kept), its citation blocks parsed, and its units (sentence, table row, list item,
heading, admonition title) each with the citations that apply to it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from primer.checks.figures.numbers import BRACKET_REF_RE, blank, collapse_space
from primer.checks.figures.passages import Scope, SourceIndex, sentence_bounds


@dataclass
class CitationRef:
    key: str
    locator: str
    start: int
    status: str = ""               # ok, unknown, unvendored, broken
    source: SourceIndex | None = None
    scope: Scope | None = None

    @property
    def label(self) -> str:
        return f"[@{self.key}, {self.locator}]" if self.locator else f"[@{self.key}]"


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# a span holding no other span (a mention may hold an editorial number: the inner span is the marked one)
_SPAN_RE = re.compile(r"<span\b(?P<attrs>[^<>]*)>(?P<inner>(?:(?!<span\b).)*?)</span\s*>", re.S | re.I)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# a citation block; "[@key, sec. 4.1]:" ending a sentence before a list is one too (a link reference
# definition has a target after its colon)
_CITE_BLOCK_RE = re.compile(r"\[(?P<body>(?:(?!\n[ \t]*\n)[^\[\]])*?@(?:(?!\n[ \t]*\n)[^\[\]])*)\]"
                            r"(?![(\[]|:[ \t]*(?:\n[ \t]*)?[^\s])")
_CITE_PART_RE = re.compile(r"^(?P<prefix>[^@]*?)(?:(?<=[\s\[;-])|^)-?@(?P<key>[A-Za-z0-9_][\w:.#$%&+?<>~/-]*)(?P<rest>.*)$", re.S)
_LINK_TARGET_RE = re.compile(r"(?<=\])\((?:[^()\n]|\([^()\n]*\))*\)")
_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[^\n]*", re.M)
_REF_LINK_RE = re.compile(r"(?<=\])\[[^\]\n]*\]")
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|(?<![\w.])www\.)[^\s<>\"')\]]+")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")
_ENTITY_CHARS = {"&ndash;": "–", "&#8211;": "–", "&#x2013;": "–", "&minus;": "−", "&#8722;": "−",
                 "&mdash;": "—", "&#8212;": "—", "&percnt;": "%", "&#37;": "%", "&dollar;": "$",
                 "&euro;": "€", "&yen;": "¥", "&pound;": "£"}
_ATTR_LIST_RE = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}|\{:[^{}\n]*\}")
_FOOTNOTE_RE = re.compile(r"\[\^[^\]\s]+\]:?")
_ILWS = r"[ \t]*(?:\n[ \t]*)?"                    # inline whitespace: one line break at most
_LOC_NUM = r"[0-9]+(?:\.[0-9]+)*[a-z]?(?![0-9])"
_LOCATOR_LIKE_RE = re.compile(
    r"(?<![A-Za-z])(?:sections?|secs?\.|§§?|tables?|tabs?\.|figures?|figs?\.|references?|refs?\."
    r"|paragraphs?|paras?\.|¶|items?|lines?|footnotes?|notes?|chapters?|chaps?\.|ch\.|pages?|pp?\."
    r"|articles?|arts?\.|vol\.|volumes?|nos?\.)" + _ILWS + _LOC_NUM
    + r"(?:" + _ILWS + r"(?:,|and|or|&|–|-|to)" + _ILWS + _LOC_NUM + r"(?![ \t]*(?:%|per)))*", re.I)
_HEADING_RE = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)")
_ADMONITION_RE = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)(?:[ \t]+[\w-]+)+")
_ADMONITION_TITLE_RE = re.compile(r'[ \t]+("[^"\n]*")[ \t]*$')
_LIST_RE = re.compile(r"^[ \t]*(?:(?P<bullet>[-*+])|(?P<num>[0-9]{1,9})[.)])(?:[ \t]+|$)")
_TABLE_DELIM_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_SETEXT_RE = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_RUN_IN_RE = re.compile(r"\s*(\*\*|__)[^*_\n]+\1\s*\Z")    # "**The 2020 turn.**" leads into the next sentence
_HR_RE = re.compile(r"^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")


def blank_matches(rx: re.Pattern, s: str) -> str:
    return rx.sub(lambda m: blank(m.group()), s)


def _mask_fences(s: str) -> str:
    out = []
    fence = None
    for line in s.split("\n"):
        if fence is None:
            m = _FENCE_RE.match(line)
            if m:
                fence = m.group(1)
                out.append(blank(line))
            else:
                out.append(line)
        else:
            out.append(blank(line))
            if re.match(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", line):
                fence = None
    return "\n".join(out)


def _parse_citation_body(body: str, offset: int) -> list[tuple[str, str, int]]:
    """[(key, locator, offset of '@')] for one citation block body."""
    out = []
    pos = 0
    for part in body.split(";"):
        m = _CITE_PART_RE.match(part)
        if m:
            raw_key = m.group("key")
            key = raw_key.rstrip(".:")                 # trailing punctuation is not part of a key
            rest = (raw_key[len(key):] + m.group("rest")).strip()
            locator = rest[1:].strip() if rest.startswith(",") else rest
            at = offset + pos + part.index("@", len(m.group("prefix")))
            out.append((key, collapse_space(locator), at))
        pos += len(part) + 1
    return out


@dataclass
class MarkedSpan:
    kind: str          # editorial / derived / external
    start: int         # offset of the inner text
    inner: str
    formula: str = ""


def unit_kind_name(kind: str) -> str:
    return {"para": "sentence", "list": "list item", "table": "table row",
            "heading": "heading", "title": "admonition title"}[kind]


def mask_markdown(text: str):
    """Mask everything that is not prose. Returns (masked, citations, spans)."""
    m = text
    fm = _FRONT_MATTER_RE.match(m)
    if fm:
        m = blank(fm.group()) + m[fm.end():]
    m = _mask_fences(m)
    m = blank_matches(_COMMENT_RE, m)
    m = _INLINE_CODE_RE.sub(lambda x: x.group() if re.search(r"\n[ \t]*\n", x.group()) else blank(x.group()), m)
    spans: list[MarkedSpan] = []

    def span(x: re.Match) -> str:
        attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None)
                 for a in _ATTR_RE.finditer(x.group("attrs"))}
        classes = attrs.get("class", "").split()
        if "translation" in classes:
            classes.append("editorial")                # the primer's own translation: its numbers are its own
        if "editorial" in classes or "derived" in classes or "external" in classes:
            kind = next(k for k in ("derived", "external", "editorial") if k in classes)
            spans.append(MarkedSpan(kind, x.start("inner"), x.group("inner"), attrs.get("data-formula", "")))
            return blank(x.group())
        return x.group()

    m = _SPAN_RE.sub(span, m)
    citations: list[CitationRef] = []

    def cite(x: re.Match) -> str:
        parts = _parse_citation_body(x.group("body"), x.start("body"))
        if not parts:
            return x.group()
        citations.extend(CitationRef(k, loc, at) for k, loc, at in parts)
        return blank(x.group())

    m = _CITE_BLOCK_RE.sub(cite, m)
    for rx, needle in ((_LINK_TARGET_RE, "]("), (_REF_DEF_RE, "]:"), (_REF_LINK_RE, "]["), (_URL_RE, ""),
                       (_EMAIL_RE, "@"), (TAG_RE, "<")):
        if needle in m:                                # cheap test first: most pages have no e-mail address
            m = blank_matches(rx, m)
    if "&" in m:
        m = _ENTITY_RE.sub(lambda x: _ENTITY_CHARS.get(x.group(), "").ljust(len(x.group())), m)
    for rx in (_ATTR_LIST_RE, _FOOTNOTE_RE, BRACKET_REF_RE):
        m = blank_matches(rx, m)
    return _mask_locator_like(m), citations, spans


_LOCATOR_WORDS = frozenset("""section sections sec secs table tables tab tabs figure figures fig figs reference
references ref refs paragraph paragraphs para paras item items line lines footnote footnotes note notes chapter
chapters chap chaps ch page pages p pp article articles art arts vol volume volumes no nos""".split())
_DIGITS_RE = re.compile(r"[0-9]+")
_WORD_BEFORE_NUMBER_RE = re.compile(r"(?:[A-Za-z]+\.?|[§¶]{1,2})[ \t]*(?:\n[ \t]*)?\Z")


def _mask_locator_like(m: str) -> str:
    """Blank "section 4.2", "Table 1", "references 7 and 8"... Every one has a number, so look back
    from each run of digits for a locator word (much faster than trying the pattern at every word)."""
    parts, last = [], 0
    for d in _DIGITS_RE.finditer(m):
        if d.start() < last:
            continue
        w = _WORD_BEFORE_NUMBER_RE.search(m, max(last, d.start() - 24), d.start())
        if not w:
            continue
        word = w.group().split()[0].rstrip(".").lower() if w.group()[0] not in "§¶" else "§"
        if word not in _LOCATOR_WORDS and word != "§":
            continue
        x = _LOCATOR_LIKE_RE.match(m, w.start())
        if x:
            parts.append(m[last:x.start()])
            parts.append(blank(x.group()))
            last = x.end()
    if not parts:
        return m
    parts.append(m[last:])
    return "".join(parts)


def split_units(masked: str):
    """Split masked Markdown into units: [(kind, start, end)], plus the masked text with list markers blanked."""
    lines = masked.split("\n")
    starts = []
    off = 0
    for line in lines:
        starts.append(off)
        off += len(line) + 1
    units: list[list] = []
    blanks: list[tuple[int, int]] = []
    cur: list | None = None

    def flush():
        nonlocal cur
        if cur is not None:
            units.append(cur)
            cur = None

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        s = starts[i]
        e = s + len(line)
        if not line.strip():
            flush()
            i += 1
            continue
        if "|" in line and i + 1 < n and _TABLE_DELIM_RE.match(lines[i + 1]) and "-" in lines[i + 1]:
            flush()
            units.append(["table", s, e])
            i += 2
            while i < n and lines[i].strip() and "|" in lines[i]:
                units.append(["table", starts[i], starts[i] + len(lines[i])])
                i += 1
            continue
        if _HEADING_RE.match(line):
            flush()
            units.append(["heading", s, e])
            i += 1
            continue
        am = _ADMONITION_RE.match(line)
        if am:
            flush()
            blanks.append((s, s + am.end()))
            quoted = _ADMONITION_TITLE_RE.match(line, am.end())
            if quoted:                                 # the quotes around a title are syntax, not a quotation
                blanks += [(s + quoted.start(1), s + quoted.start(1) + 1), (s + quoted.end(1) - 1, s + quoted.end(1))]
            units.append(["title", s, e])
            i += 1
            continue
        if _SETEXT_RE.match(line) and cur is not None and cur[0] == "para" and cur[1] == starts[i - 1]:
            cur[0] = "heading"
            flush()
            i += 1
            continue
        if _HR_RE.match(line):
            flush()
            i += 1
            continue
        lm = _LIST_RE.match(line)
        if lm and (lm.group("bullet") or cur is None or cur[0] == "list" or lm.group("num") == "1"):
            flush()
            blanks.append((s, s + lm.end()))
            cur = ["list", s, e]
            i += 1
            continue
        if cur is not None and cur[0] in ("para", "list"):
            cur[2] = e
        else:
            flush()
            cur = ["para", s, e]
        i += 1
    flush()
    if blanks:
        parts = []
        last = 0
        for a, b in blanks:
            parts.append(masked[last:a])
            parts.append(" " * (b - a))
            last = b
        parts.append(masked[last:])
        masked = "".join(parts)
    out = []
    for kind, s, e in units:
        if kind != "para":
            out.append((kind, s, e))
            continue
        a = s
        for b in sentence_bounds(masked, s, e):
            if masked[a:b].strip() and not (a == s and _RUN_IN_RE.match(masked, a, b)):
                out.append((kind, a, b))
                a = b
        if a < e:
            out.append((kind, a, e))
    return out, masked
