#!/usr/bin/env python3
"""Figure check: every figure quoted in the chapters against the source passage it cites.

Run from the repository root::

    python -m primer.check_figures [PATH ...] [--root DIR] [--json FILE] [--csv FILE]

PATH is a Markdown file or a folder (searched for ``*.md``); the default is every
``docs/**/*.md``. Exit status: 0 when every figure maps to its source, 1 when the check
found a problem, 2 when bad input prevents checking (no manifest, unreadable
bibliography, a PATH that does not exist). Problems are printed one per line, place
first (``docs/x.md:LINE:COL: ...``), followed by a summary line.

API (used by the MkDocs ledger hook; no MkDocs import here)
-----------------------------------------------------------
``check(paths=None, root=".", project=None) -> Result``
    Check the pages (files or folders; default ``ROOT/docs``). Pass a ``project`` from
    ``load_project`` to reuse the source indexes across calls.
``load_project(root) -> Project``
    Read ``sources/manifest.yaml``, ``references.bib`` and index every vendored source
    once (one pass per source; cached per file content for the whole process). Raises
    ``BadInput`` when the check cannot run at all.
``check_markdown(text, page, project, display_path=None) -> Result``
    Check one page given as text (used by the mutation test and the hook).
``ResultCache(folder, root)``
    Results kept on disk between runs, keyed by everything they depend on (the hooks use it:
    ``check(..., cache=...)``, ``cache.check_markdown(text, page, display_path)``).
``extract_figures(text, source=False) -> list[Figure]``
    The figure parser shared by chapters and sources.
``write_json(result, path)`` / ``write_csv(result, path)``
    Write the ledger.

``Result`` has ``.problems`` (``Problem`` objects: ``path``, ``line``, ``col``,
``message``; ``str()`` gives the printed line), ``.rows`` (``Row`` objects), ``.pages``,
``.ok`` and ``.summary()``.

Ledger rows (``Row`` fields, also the JSON keys and CSV columns, in this order):
``page`` (docs-relative path), ``line``, ``col`` (1-based), ``figure`` (as written),
``value`` (normalised: a plain decimal string, a range as ``LO..HI``; money and
``million``/``billion``/``trillion`` are multiplied out), ``unit`` (``percent``, ``pp``
percentage points, ``bp``, ``USD``/``CNY``/``EUR``/``HKD``/``GBP``, ``count``, ``year``,
``years``/``months``/``weeks``/``days``/``decades``, ``decade`` for "1980s", ``ordinal``,
``nm``, ``times``), ``kind`` (``sourced``, ``derived``, ``editorial``), ``status`` (``ok``;
``problem``; ``unchecked`` when its citation is broken and reported as such; ``skipped``
for editorial numbers), ``key``, ``locator`` (as written; empty when the citation has
none), ``source_file``, ``source_line``, ``source_sentence`` (whitespace-collapsed),
``formula`` (derived figures only).

What is a figure, and what is not (chapter side)
------------------------------------------------
Digits (thousands separators, decimals), percentages, percentage points, money with a
currency and scale, ranges (``1.5–2 percent``, ``2018-2022``, ``two to three years``),
years, decades, digit ordinals (``14th``) and number words (two…twenty, thirty…ninety,
hundred, thousand, dozen). Not figures: code, URLs and link targets, citation blocks
with their locators, front matter, HTML tags and attributes, attribute lists and
footnote labels, list markers, bracketed reference numbers such as ``[7]``, locator-like
references in prose (``section 4.2``, ``Table 1``, ``fig. 1``, ``references 7 and 8``,
``para. 9``, ``item 3``, ``line 12``...), identifiers where digits touch letters
(``5G``, ``COVID-19``, ``G20``), DOIs, fractions and ratios written with ``/`` or ``:``,
Chinese characters. The word **one** is not a figure (it is overwhelmingly a pronoun:
"one of the AI hubs"), except in "one hundred/thousand/million/billion". Ordinal words
(first, second, twenty-first) are not figures in a chapter (in a source they are indexed,
so ``5th`` in a chapter can match "fifth"). The fixed term ``two-way`` is not a figure.
Qualifiers stay out of the value: ``240 +``, ``240+``, "more than 240", "exceeding 70
percent" and "50 percent-plus" are 240, 240, 240, 70 percent and 50 percent. A leading
ASCII hyphen is never a minus sign (``2018 - 2022`` is a range); write U+2212 (−) for a
negative number.

Scope: a figure is checked against the citations of its unit: the sentence (a citation
block standing alone after the full stop belongs to the sentence before it; a bold run-in
lead such as "**The 2020 turn.**" belongs to the sentence after it), the table row, the
list item, the heading or the admonition title.

Matching: same unit and same value after normalising (``46.9%`` = "46.9 percent",
``US$56.3 billion`` = "US \\$56.3 billion", ``seven`` = 7); a percentage is never a
percentage point, a count or money; a range matches a range with the same ends ("between
X and Y" is a range; "from X to Y" is two figures). Years follow "the same integer
anywhere in the cited passage": a year also matches the end of a year range there, and a
year range matches when both its years occur there. A citation's locator narrows the
passage (``sec. 4`` includes 4.1 and 4.2); without a locator the whole source is searched.

Derived figures (``<span class="derived" data-formula="82.9 - 66.2">16.7</span>``): the
formula is parsed with ``ast`` (numbers, + - * / and parentheses only; nothing is
executed), evaluated exactly with ``Decimal`` and compared at the written precision; each
operand must occur as a number in a cited passage, except 100 as the percent factor
(``5 / 41.1 * 100``). Editorial numbers (``<span class="editorial">four</span>``) are
recorded in the ledger and not checked.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import csv
import difflib
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from pathlib import Path
from typing import Iterable

import yaml

from primer import cache_files  # (scripts/cache_files.py: the ResultCache's files)


def load_yaml(text: str):
    """YAML data, parsed by libyaml when PyYAML has it (the pinned wheel does): the same data, about eight
    times faster. Bad YAML is parsed again by PyYAML's own parser, whose error shows the line and names
    what it found (libyaml's omits both)."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return yaml.safe_load(text)


MANIFEST = "sources/manifest.yaml"
BIBFILE = "references.bib"
DOCS_DIR = "docs"

__all__ = [
    "BadInput", "Figure", "Problem", "Project", "Result", "Row",
    "check", "check_markdown", "evaluate_formula", "extract_figures", "load_project",
    "main", "write_csv", "write_json",
]


class BadInput(Exception):
    """Input that prevents checking at all (exit status 2)."""


# ---------------------------------------------------------------------------
# Characters. Every mapping is one code point to one code point, so offsets,
# lines and columns stay those of the original text.
# ---------------------------------------------------------------------------
_TRANS = {
    0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2007: " ", 0x2008: " ", 0x2009: " ",
    0x200A: " ", 0x202F: " ", 0x3000: " ",
    0x2010: "-", 0x2011: "-", 0xFE63: "-",
    0x2012: "–", 0xFF0D: "–", 0xFE58: "–",  # figure dash, full-width hyphen-minus
    0xFF05: "%", 0xFE6A: "%", 0xFF04: "$", 0xFFE5: "¥",
}
_TRANS.update({0xFF10 + i: str(i) for i in range(10)})
_TRANS = str.maketrans(_TRANS)


def _normtext(text: str) -> str:
    return text.translate(_TRANS)


def _blank(s: str) -> str:
    """Same length, newlines kept, everything else a space."""
    if "\n" not in s:
        return " " * len(s)
    return re.sub(r"[^\n]", " ", s)


def _collapse(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One quantity found in a text."""

    start: int
    end: int
    text: str                      # as written, whitespace-collapsed
    unit: str
    lo: Decimal                    # normalised value (range: low end)
    hi: Decimal | None = None      # range: high end
    numbers: tuple = ()            # the numbers as written (Decimal, precision kept)
    qualifier: str = ""
    word_ordinal: bool = False     # "fifth": indexed in sources only

    @property
    def key(self):
        return (self.unit, self.lo, self.hi)

    @property
    def value(self) -> str:
        if self.hi is None:
            return _fmt(self.lo)
        return f"{_fmt(self.lo)}..{_fmt(self.hi)}"


def _fmt(d: Decimal) -> str:
    d = d.normalize()
    s = format(d, "f")
    return "0" if s in ("-0", "") else s


_UNIT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}
_TEEN_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_MULT_WORDS = {"hundred": 100, "thousand": 1000, "dozen": 12}
_ORD_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9,
}
_ORD_WORDS = dict(_ORD_UNITS)
_ORD_WORDS.update({
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100, "thousandth": 1000,
})
_SCALES = {
    "thousand": 10 ** 3, "million": 10 ** 6, "mn": 10 ** 6, "billion": 10 ** 9,
    "bn": 10 ** 9, "trillion": 10 ** 12, "tn": 10 ** 12,
}
_CURRENCY_WORDS = {
    "usd": "USD", "us dollar": "USD", "us dollars": "USD", "dollar": "USD", "dollars": "USD",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "hkd": "HKD", "gbp": "GBP",
}

_WS = r"[ \t]*(?:\n[ \t]*){0,2}"          # a figure may run over a line break (one blank line)
_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?")
_DOTTED_RE = re.compile(r"(?:\.[0-9]+)+")
_LETTERS_RE = re.compile(r"[A-Za-z]+")
_PREFIX_RE = re.compile(
    r"(?:(?<![A-Za-z])(?P<us>US[ \t]?\\?[ \t]?\$)|(?<![A-Za-z])(?P<hk>HK\$)|(?P<dol>\\?\$)"
    r"|(?P<sym>[¥€£])|(?<![A-Za-z])(?P<code>USD|RMB|CNY|EUR|HKD|GBP))\s?\Z")
_SYM_CURRENCY = {"¥": "CNY", "€": "EUR", "£": "GBP"}
_SUF_PLUS = re.compile(r"[ \t]?\+(?![ \t]*[0-9])")
_SUF_UNITS = (
    ("bp", re.compile(_WS + r"(?:basis[ \t\n]+points?|bps?)(?![A-Za-z])", re.I)),
    ("pp", re.compile(_WS + r"(?:percentage[ \t\n-]+points?|pp|p\.p\.|pts?|points?)(?![A-Za-z])", re.I)),
    ("percent", re.compile(r"[ \t]?%|" + _WS + r"per[ \t\n]?cent(?![A-Za-z])", re.I)),
)
_SUF_PERCENT_PLUS = re.compile(r"-plus(?![A-Za-z])", re.I)
_SUF_SCALE = re.compile(_WS + r"(million|billion|trillion|thousand|bn|mn|tn)(?![A-Za-z])", re.I)
_SUF_CURRENCY = re.compile(
    _WS + r"(US[ \t]+dollars?|dollars?|yuan|renminbi|euros?|RMB|USD|CNY|EUR)(?![A-Za-z])", re.I)
_SUF_NM = re.compile(r"\s?nm(?![A-Za-z])")
_SUF_TIME = re.compile(r"(?:-|" + _WS + r")(years?|months?|weeks?|days?|decades?)(?![A-Za-z])", re.I)
_SUF_TIMES = re.compile(r"\s+times(?![A-Za-z])", re.I)
_GLUED_OK = {"bn", "mn", "tn", "nm", "pp", "bp", "bps"}
_ISO_DATE_RE = re.compile(r"(?<![0-9-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9-])")
_BRACKET_REF_RE = re.compile(r"\[[0-9]+(?:[ \t]*[,–-][ \t]*[0-9]+)*\]")
_DOI_RE = re.compile(r"(?:doi:[ \t]*)?\b10\.[0-9]{4,9}/\S+", re.I)
_WORD_NUM_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<tens>" + "|".join(_TENS_WORDS) + r")(?:-(?P<tu>" + "|".join(_UNIT_WORDS)
    + r"))?|(?P<teen>" + "|".join(_TEEN_WORDS) + r")|(?P<unit>" + "|".join(_UNIT_WORDS)
    + r")|(?:(?P<a>a)\s+)?(?P<lone>dozen|hundred|thousand))(?:\s+(?P<mult>hundred|thousand|dozen))?"
    r"(?![A-Za-z])", re.I)
_ORD_WORD_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<tens>" + "|".join(_TENS_WORDS) + r")[- ])?(?P<ord>"
    + "|".join(sorted(_ORD_WORDS, key=len, reverse=True)) + r")(?![A-Za-z])", re.I)
_ORD_AFTER_TENS_RE = re.compile(r"[- ](?:" + "|".join(_ORD_UNITS) + r")(?![A-Za-z])", re.I)
_FIXED_TERM_RE = re.compile(r"-way(?![A-Za-z])", re.I)          # two-way
_ONE_OK_RE = re.compile(r"\s+(?:hundred|thousand|million|billion|trillion|dozen)(?![A-Za-z])", re.I)
# connectors may run over a line break: chapters are hard-wrapped, the Guangdong brief double-spaced
_RANGE_DASH_RE = re.compile(_WS + r"–" + _WS + r"|-|[ \t]+-[ \t]+")
_RANGE_TO_RE = re.compile(r"(?:[ \t]|\n)+to(?:[ \t]|\n)+", re.I)
_PAIR_AND_RE = re.compile(r"(?:[ \t]|\n)+and(?:[ \t]|\n)+", re.I)
_FROM_BEFORE_RE = re.compile(r"(?<![A-Za-z])from\s+\Z", re.I)
_BETWEEN_BEFORE_RE = re.compile(r"(?<![A-Za-z])between\s+\Z", re.I)
# a licence name, not a quantity: CC BY 4.0, CC BY-SA 3.0, CC0 1.0
_LICENCE_RE = re.compile(r"(?<![A-Za-z])CC(?:0|[ -]BY(?:-(?:SA|NC|ND))*)\s*[0-9]+(?:\.[0-9]+)*")


@dataclass
class _Atom:
    start: int                 # figure start (currency prefix included)
    num_end: int
    end: int                   # figure end (unit included)
    number: Decimal            # as written
    is_word: bool = False
    plain_int: bool = False    # digits only: no separator, no decimals
    currency: str | None = None
    unit: str | None = None    # percent, pp, bp, nm, years...
    scale: int | None = None
    ordinal: bool = False
    word_ordinal: bool = False
    decade: bool = False
    qualifier: str = ""
    extra: tuple = ()          # range: the other number


def _parse_suffix(t: str, pos: int, atom: _Atom, *, digits: bool) -> bool:
    """Read the unit after a number into ``atom``; False when the token is an identifier."""
    n = len(t)
    if digits and pos < n and t[pos].isascii() and t[pos].isalpha():
        letters = _LETTERS_RE.match(t, pos).group()
        low = letters.lower()
        if low in ("st", "nd", "rd", "th") and atom.plain_int:
            atom.ordinal = True
            atom.end = pos + len(letters)
            return True
        if low == "s" and atom.plain_int and len(str(atom.number)) == 4:
            atom.decade = True
            atom.end = pos + 1
            return True
        if low not in _GLUED_OK:
            return False                      # 5G, 3D, 4K: a name, not a quantity
    m = _SUF_PLUS.match(t, pos)
    if m:
        atom.qualifier = "+"
        pos = m.end()
    for name, rx in _SUF_UNITS:
        m = rx.match(t, pos)
        if m:
            atom.unit = name
            pos = m.end()
            if name == "percent":
                m = _SUF_PERCENT_PLUS.match(t, pos) or _SUF_PLUS.match(t, pos)
                if m:
                    atom.qualifier = "plus"
                    pos = m.end()
            break
    else:
        m = _SUF_SCALE.match(t, pos)
        if m:
            atom.scale = _SCALES[m.group(1).lower()]
            pos = m.end()
        m = _SUF_CURRENCY.match(t, pos)
        if m:
            atom.currency = atom.currency or _CURRENCY_WORDS[_collapse(m.group(1)).lower()]
            pos = m.end()
        elif atom.scale is None:
            year_like = atom.plain_int and 1900 <= atom.number <= 2100
            m = _SUF_NM.match(t, pos)
            if m:
                atom.unit = "nm"
                pos = m.end()
            elif not year_like and (m := _SUF_TIME.match(t, pos)):
                u = m.group(1).lower()
                atom.unit = u if u.endswith("s") else u + "s"
                pos = m.end()
            elif m := _SUF_TIMES.match(t, pos):
                atom.unit = "times"
                pos = m.end()
    m = _SUF_PLUS.match(t, pos)
    if m:
        atom.qualifier = atom.qualifier or "+"
        pos = m.end()
    atom.end = pos
    return True


def _unit_and_values(a: _Atom, numbers: list[Decimal]):
    """(unit, [normalised values]) for an atom whose numbers are ``numbers``."""
    if a.ordinal or a.word_ordinal:
        return "ordinal", numbers
    if a.decade:
        return "decade", numbers
    mult = Decimal(a.scale) if a.scale else None
    if a.unit in ("percent", "pp", "bp"):
        return a.unit, numbers
    if a.currency:
        return a.currency, [x * mult if mult else x for x in numbers]
    if a.unit:
        return a.unit, numbers
    if mult:
        return "count", [x * mult for x in numbers]
    if a.plain_int and not a.is_word and all(1900 <= x <= 2100 for x in numbers):
        return "year", numbers
    return "count", numbers


def _digit_atoms(t: str, blocked: bytearray, atoms: list[_Atom]) -> None:
    n = len(t)
    for m in _NUM_RE.finditer(t):
        s, e = m.span()
        if blocked[s]:
            continue
        dm = _DOTTED_RE.match(t, e)
        if dm:                                        # 2.1.3, 10.1108.5: identifiers
            blocked[s:dm.end()] = b"\x01" * (dm.end() - s)
            continue
        prev = t[s - 1] if s else ""
        nxt = t[e] if e < n else ""
        nxt2 = t[e + 1] if e + 1 < n else ""
        if prev == "/" or (nxt in "/:" and nxt2.isdigit()) or (prev == ":" and s >= 2 and t[s - 2].isdigit()):
            continue                                  # fractions, paths, times, ratios
        if prev == "." and s >= 2 and t[s - 2].isdigit():
            continue
        raw = m.group()
        atom = _Atom(start=s, num_end=e, end=e, number=Decimal(raw.replace(",", "")),
                     plain_int=raw.isdigit())
        pm = _PREFIX_RE.search(t, max(0, s - 12), s)
        if pm:
            g = pm.lastgroup
            tok = pm.group(g)
            atom.currency = ("USD" if g in ("us", "dol") else "HKD" if g == "hk"
                             else _SYM_CURRENCY[tok] if g == "sym" else _CURRENCY_WORDS[tok.lower()])
            atom.start = pm.start()
        elif prev.isascii() and prev.isalpha():
            continue                                  # CO4, G20, COVID19
        elif prev == "-" and s >= 2:
            j = s - 1
            while j > 0 and t[j - 1].isascii() and t[j - 1].isalpha():
                j -= 1
            letters = t[j:s - 1]
            if len(letters) >= 2 and letters.isupper():
                continue                              # COVID-19, RAMJ-03
        elif prev == "−":                             # U+2212: a real minus sign
            atom.number = -atom.number
            atom.start = s - 1
        if not _parse_suffix(t, e, atom, digits=True):
            continue
        atoms.append(atom)
        blocked[atom.start:atom.end] = b"\x01" * (atom.end - atom.start)


_WORD_TOKEN_RE = re.compile(r"[A-Za-z]+")
_NUMBER_WORD_STARTS = frozenset(_UNIT_WORDS) | frozenset(_TEEN_WORDS) | frozenset(_TENS_WORDS) \
    | frozenset(_MULT_WORDS) | frozenset(_ORD_WORDS) | {"a"}


def _word_atoms(t: str, blocked: bytearray, atoms: list[_Atom], source: bool) -> None:
    # Tokenise first and try the number-word patterns only where a token could start one:
    # trying them at every character is the slowest part of the check otherwise.
    for tok in _WORD_TOKEN_RE.finditer(t):
        s = tok.start()
        low = tok.group().lower()
        if low not in _NUMBER_WORD_STARTS or blocked[s]:
            continue
        m = _ORD_WORD_RE.match(t, s)
        if m:
            e = m.end()
            blocked[s:e] = b"\x01" * (e - s)
            if source:
                value = _ORD_WORDS[m.group("ord").lower()] + (_TENS_WORDS[m.group("tens").lower()] if m.group("tens") else 0)
                atoms.append(_Atom(start=s, num_end=e, end=e, number=Decimal(value), is_word=True,
                                   word_ordinal=True))
            continue
        m = _WORD_NUM_RE.match(t, s)
        if not m:
            continue
        e = m.end()
        if blocked[e - 1]:
            continue
        if _FIXED_TERM_RE.match(t, e):
            continue                                  # two-way
        g = m.groupdict()
        if g["tens"]:
            value = _TENS_WORDS[g["tens"].lower()] + (_UNIT_WORDS[g["tu"].lower()] if g["tu"] else 0)
        elif g["teen"]:
            value = _TEEN_WORDS[g["teen"].lower()]
        elif g["unit"]:
            value = _UNIT_WORDS[g["unit"].lower()]
            if value == 1 and not g["mult"] and not _ONE_OK_RE.match(t, e):
                continue                              # "one": a pronoun, not a figure
        else:
            value = _MULT_WORDS[g["lone"].lower()]
        if g["mult"]:
            value *= _MULT_WORDS[g["mult"].lower()]
        atom = _Atom(start=s, num_end=e, end=e, number=Decimal(value), is_word=True, plain_int=True)
        if not _parse_suffix(t, e, atom, digits=False):
            continue
        atoms.append(atom)
        blocked[atom.start:atom.end] = b"\x01" * (atom.end - atom.start)


def _range_compatible(a: _Atom, b: _Atom, connector: str) -> bool:
    if a.ordinal or b.ordinal or a.decade or b.decade or a.word_ordinal or b.word_ordinal:
        return False
    if a.currency and b.currency and a.currency != b.currency:
        return False
    if b.currency and not a.currency:
        return False
    if a.unit and a.unit != b.unit:
        return False
    if a.scale and a.scale != b.scale:
        return False
    if connector == "to" and (a.unit or a.scale):
        return False
    return a.number < b.number


def extract_figures(text: str, source: bool = False, original: str | None = None) -> list[Figure]:
    """Every figure in ``text`` (offsets are into ``text``).

    ``source=True`` also returns ordinal words ("fifth") as ordinals, for the source index.
    ``original``: a same-length text to take the written form from (the chapter before masking).
    """
    t = _normtext(text)
    orig = original if original is not None else text
    n = len(t)
    blocked = bytearray(n + 1)
    for rx, needle in ((_BRACKET_REF_RE, "["), (_DOI_RE, "10."), (_LICENCE_RE, "CC")):
        if needle in t:                                # cheap test before the pattern
            for m in rx.finditer(t):
                blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    atoms: list[_Atom] = []
    for m in (_ISO_DATE_RE.finditer(t) if "-" in t else ()):
        if blocked[m.start()]:
            continue
        y, _, d = m.group(1), m.group(2), m.group(3)
        atoms.append(_Atom(start=m.start(1), num_end=m.end(1), end=m.end(1), number=Decimal(y), plain_int=True))
        atoms.append(_Atom(start=m.start(3), num_end=m.end(3), end=m.end(3), number=Decimal(int(d)), plain_int=True))
        blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    _digit_atoms(t, blocked, atoms)
    _word_atoms(t, blocked, atoms, source)
    atoms.sort(key=lambda a: a.start)

    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None:
            gap = t[a.end:b.start]
            # a connector must sit between the first number and the second
            kind = None
            if _RANGE_DASH_RE.fullmatch(gap):
                kind = "dash"
            elif _RANGE_TO_RE.fullmatch(gap):
                before = t[max(0, a.start - 12):a.start]
                kind = "pair" if _FROM_BEFORE_RE.search(before) else "to"
            elif _PAIR_AND_RE.fullmatch(gap) and _BETWEEN_BEFORE_RE.search(t[max(0, a.start - 12):a.start]):
                kind = "between"                      # "between 2016 and 2022": a range
            if kind in ("dash", "to", "between") and _range_compatible(a, b, "dash" if kind == "dash" else "to"):
                merged = _Atom(start=a.start, num_end=b.num_end, end=b.end, number=a.number,
                               is_word=a.is_word and b.is_word, plain_int=a.plain_int and b.plain_int,
                               currency=a.currency or b.currency, unit=b.unit, scale=b.scale or a.scale,
                               qualifier=b.qualifier or a.qualifier)
                unit, (lo, hi) = _unit_and_values(merged, [a.number, b.number])
                figures.append(Figure(a.start, b.end, _collapse(orig[a.start:b.end]), unit, lo.normalize(),
                                      hi.normalize(), (a.number, b.number), merged.qualifier))
                i += 2
                continue
            if kind in ("pair", "between") and not (a.unit or a.scale or a.currency or a.ordinal or a.decade):
                # "between 1.5 and 2 percent", "from 5 to 7 percent": the unit of the second applies to the first
                a.unit, a.scale, a.currency = b.unit, b.scale, b.currency
        unit, (v,) = _unit_and_values(a, [a.number])
        figures.append(Figure(a.start, a.end, _collapse(orig[a.start:a.end]), unit, v.normalize(), None,
                              (a.number,), a.qualifier, a.word_ordinal))
        i += 1
    return figures


# ---------------------------------------------------------------------------
# Derived figures: a tiny arithmetic evaluator (no eval)
# ---------------------------------------------------------------------------
class FormulaError(ValueError):
    pass


def evaluate_formula(formula: str) -> tuple[Decimal, list[Decimal]]:
    """Evaluate ``formula`` (numbers, + - * / and parentheses) exactly; return (result, operands)."""
    src = formula.translate(str.maketrans({"−": "-", "×": "*", "÷": "/", "–": "-"})).strip()
    if not src:
        raise FormulaError("the formula is empty")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError:
        raise FormulaError("it cannot be parsed") from None
    operands: list[Decimal] = []

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise FormulaError("it divides by zero")
            return left / right
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            d = Decimal(ast.get_source_segment(src, node))
            operands.append(d)
            return d
        raise FormulaError(f"{type(node).__name__} is not allowed")

    with localcontext() as ctx:
        ctx.prec = 40
        try:
            result = ev(tree)
        except (InvalidOperation, DivisionByZero):
            raise FormulaError("it cannot be evaluated") from None
    return result, operands


_PERCENT_FACTOR = Decimal(100)


def _rounds_to(result: Decimal, written: Decimal) -> bool:
    exp = written.as_tuple().exponent
    q = Decimal(1).scaleb(exp if isinstance(exp, int) and exp < 0 else 0)
    return any(result.quantize(q, rounding=r) == written for r in (ROUND_HALF_UP, ROUND_HALF_EVEN))


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------
_ABBREVIATIONS = {
    "e.g.", "i.e.", "u.s.", "u.k.", "u.n.", "al.", "sec.", "secs.", "para.", "paras.", "fig.",
    "figs.", "no.", "nos.", "c.", "ca.", "approx.", "vs.", "cf.", "p.", "pp.", "vol.", "art.",
    "ch.", "eq.", "mr.", "ms.", "mrs.", "dr.", "prof.", "st.", "inc.", "ltd.", "co.", "jr.",
    "ref.", "refs.", "tab.", "ed.", "eds.", "est.", "incl.", "esp.", "viz.", "etc.", "ibid.",
}
_SENT_END_RE = re.compile(r"[.!?]+[\"'”’)\]*_]*(?=\s|\Z)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")


def _is_sentence_end(t: str, m: re.Match) -> bool:
    p = m.start()
    if t[p] == ".":
        j = p
        while j > 0 and (t[j - 1].isdigit() or t[j - 1] == "."):
            j -= 1
        if j < p and (j == 0 or t[j - 1] == "\n" or t[max(0, t.rfind("\n", 0, j) + 1):j].isspace()):
            return False                               # "7. " enumerating a list at the start of a line
        w = _WORD_BEFORE_RE.search(t, max(0, p - 24), p)
        if w:
            word = w.group(1)
            if (word + ".").lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word) \
                    or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
                return False
        k = m.end()
        while k < len(t) and t[k] in " \t\n":
            k += 1
        if k < len(t) and t[k].islower():
            return False                               # "approx. five", unknown abbreviations
    return True


def _sentence_bounds(t: str, start: int, end: int) -> list[int]:
    """Offsets (within [start, end)) where a sentence ends."""
    out = []
    for m in _SENT_END_RE.finditer(t, start, end):
        if _is_sentence_end(t, m):
            out.append(m.end())
    return out


# ---------------------------------------------------------------------------
# Sources: manifest, bibliography, index
# ---------------------------------------------------------------------------
@dataclass
class Problem:
    path: str
    line: int | None
    col: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            if not self.path or self.message.startswith(self.path + " "):
                return self.message                    # "sources/x.txt has changed: ..." names its place already
            return f"{self.path}: {self.message}"
        if self.col is None:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


@dataclass
class _Occ:
    fig: Figure
    line: int
    where: str
    sentence: str
    sent: int = 0      # sentence number in the source


@dataclass
class _Section:
    id: str
    start: int
    end: int
    overlay: bool


class Scope:
    """The part of a source a locator names: its figures by key, its numbers, its lines."""

    def __init__(self, label: str, ranges: list[tuple[int, int]], keys: dict, numbers: dict, years: dict):
        self.label = label
        self.ranges = ranges
        self.keys = keys           # figure key -> [occurrence index]
        self.numbers = numbers     # Decimal as written -> [occurrence index]
        self.years = years         # year (also a year range's ends) -> [occurrence index]

    def contains_line(self, line: int) -> bool:
        return any(a <= line <= b for a, b in self.ranges)


def _norm_id(s: str) -> str:
    return _collapse(str(s).replace("’", "'").replace("‘", "'")).lower()


class SourceIndex:
    """One pass over a source: its figures by section / paragraph."""

    def __init__(self, key: str, file: str, text: str, locators: dict):
        self.key = key
        self.file = file
        self.text = text
        t = _normtext(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", t)]
        nlines = len(self.line_starts)
        raw_lines = t.split("\n")
        locators = locators or {}
        self.problems: list[str] = []
        # sections
        self.sections: dict[str, _Section] = {}
        self.section_ids: list[str] = []
        secs = locators.get("sections") or []
        plain = sorted([s for s in secs if "end" not in s], key=lambda s: int(s["start"]))
        for i, s in enumerate(plain):
            sid = str(s["id"])
            start = int(s["start"])
            end = nlines
            for later in plain[i + 1:]:
                lid = str(later["id"])
                if not _nested(lid, sid):
                    end = int(later["start"]) - 1
                    break
            self.sections[_norm_id(sid)] = _Section(sid, start, end, False)
        for s in secs:
            if "end" in s:
                sid = str(s["id"])
                self.sections[_norm_id(sid)] = _Section(sid, int(s["start"]), int(s["end"]), True)
        self.section_ids = [str(s["id"]) for s in secs]
        for sec in self.sections.values():
            if sec.start < 1 or sec.start > nlines:
                self.problems.append(f'section "{sec.id}" starts at line {sec.start}, outside the file\'s {nlines} lines')
        # paragraphs
        self.para_after = locators.get("paragraphs_after")
        self.paragraphs: list[int] = []              # paragraph n (1-based) -> line
        if self.para_after is not None:
            for ln in range(int(self.para_after) + 1, nlines + 1):
                if raw_lines[ln - 1].strip():
                    self.paragraphs.append(ln)
        self._para_of_line = {ln: i + 1 for i, ln in enumerate(self.paragraphs)}
        # figures
        figs = extract_figures(t, source=True, original=text)
        bounds = self._sentence_boundaries(t, raw_lines)
        self.occ: list[_Occ] = []
        self.by_key: dict = {}
        self.by_number: dict = {}
        self.by_unit: dict = {}
        for f in figs:
            line = bisect.bisect_right(self.line_starts, f.start)
            k = bisect.bisect_right(bounds, f.start)
            a = bounds[k - 1] if k else 0
            b = bounds[k] if k < len(bounds) else len(t)
            idx = len(self.occ)
            self.occ.append(_Occ(f, line, self._where(line), _trim_sentence(text[a:b], f.start - a, f.end - a), k))
            self.by_key.setdefault(f.key, []).append(idx)
            for num in f.numbers:
                self.by_number.setdefault(num, []).append(idx)
            self.by_unit.setdefault((f.unit, f.hi is not None), []).append((f.lo, idx))
        for v in self.by_unit.values():
            v.sort(key=lambda p: p[0])
        self._scope_cache: dict = {}
        self.whole = self._scope("whole source", [(1, nlines)])

    # -- building ---------------------------------------------------------
    def _sentence_boundaries(self, t: str, raw_lines: list[str]) -> list[int]:
        bounds = set(_sentence_bounds(t, 0, len(t)))
        starts = {s.start for s in self.sections.values()} | {s.end + 1 for s in self.sections.values()}
        para_mode = self.para_after is not None
        prev_text = ""
        for i, line in enumerate(raw_lines):
            ln = i + 1
            off = self.line_starts[i]
            st = line.strip()
            if ln in starts or para_mode or "\t" in line:
                bounds.add(off)
                if "\t" in line:
                    bounds.add(off + len(line))
            if not st:
                continue
            if prev_text and (len(prev_text) < 60 and prev_text[-1] not in ",-–—"):
                bounds.add(off)                       # short line without punctuation: a heading or a label
            prev_text = st
        bounds.discard(0)
        return sorted(bounds)

    def _where(self, line: int) -> str:
        if line in self._para_of_line:
            return f"para. {self._para_of_line[line]}"
        best = None
        for sec in self.sections.values():
            if sec.start <= line <= sec.end:
                rank = (0 if sec.overlay else 1, sec.end - sec.start)
                if best is None or rank < best[0]:
                    best = (rank, sec)
        if best is None:
            return "whole source"
        sid = best[1].id
        low = sid.lower()
        if low.startswith("table "):
            return sid.lower()
        if low.startswith("figure "):
            return "fig. " + sid.split(None, 1)[1]
        return f"sec. {sid}"

    def _scope(self, label: str, ranges: list[tuple[int, int]]) -> Scope:
        keys: dict = {}
        numbers: dict = {}
        years: dict = {}
        for idx, o in enumerate(self.occ):
            if any(a <= o.line <= b for a, b in ranges):
                keys.setdefault(o.fig.key, []).append(idx)
                for num in o.fig.numbers:
                    numbers.setdefault(num, []).append(idx)
                if o.fig.unit == "year":
                    for y in (o.fig.lo, o.fig.hi):
                        if y is not None:
                            years.setdefault(y, []).append(idx)
        return Scope(label, ranges, keys, numbers, years)

    def lookup(self, scope: Scope, unit: str, lo: Decimal, hi: Decimal | None) -> list[int]:
        """Occurrences in ``scope`` that carry this quantity ([] if none).

        Same unit and value; a range matches a range with the same ends. Years follow the
        rule "the same integer anywhere in the cited passage": a year also matches a year
        range's end ("2022" in "(2018-2022)"), and a year range matches when both of its
        years occur in the passage ("2016–2022" for "Between 2016 and 2022").
        """
        hits = scope.keys.get((unit, lo, hi))
        if hits:
            return hits
        if unit == "year":
            if hi is None:
                return scope.years.get(lo, [])
            if scope.years.get(hi):
                return scope.years.get(lo, [])
        return []

    # -- locators ---------------------------------------------------------
    def resolve(self, locator: str) -> tuple[Scope | None, str]:
        """Scope for a locator as written; (None, message) when it names nothing."""
        loc = _collapse(locator)
        cache_key = loc.lower()
        if cache_key in self._scope_cache:
            return self._scope_cache[cache_key]
        out = self._resolve(loc)
        self._scope_cache[cache_key] = out
        return out

    def _section_list(self) -> str:
        ids = self.section_ids
        return ", ".join(ids) if ids else "none"

    def _resolve(self, loc: str) -> tuple[Scope | None, str]:
        if not loc:
            return self.whole, ""
        m = re.match(r"^(§§?|[A-Za-z]+\.?|¶)\s*(\S.*)$", loc)
        label = m.group(1).lower() if m else ""
        arg = m.group(2).strip() if m else ""
        if label in ("sec.", "sec", "secs.", "section", "sections", "§", "§§"):
            return self._resolve_sections(loc, [arg] if _norm_id(arg) in self.sections
                                          else [a.strip() for a in arg.split(",")])
        if label in ("table", "tables", "tab."):
            return self._resolve_sections(loc, ["table " + a.strip() for a in arg.split(",")])
        if label in ("fig.", "fig", "figs.", "figure", "figures"):
            ids = []
            for a in arg.split(","):
                a = a.strip()
                ids.append("figure " + a if _norm_id("figure " + a) in self.sections else "fig. " + a)
            return self._resolve_sections(loc, ids)
        if label in ("para.", "para", "paras.", "paragraph", "paragraphs", "¶"):
            if self.para_after is None:
                return None, (f'locator "{loc}": {self.file} has no paragraph map (paragraphs_after) in '
                              f"{MANIFEST}; use sec. (sections: {self._section_list()})")
            wanted: list[int] = []
            for part in arg.split(","):
                pm = re.fullmatch(r"\s*([0-9]+)\s*(?:[–-]\s*([0-9]+))?\s*", part)
                if not pm:
                    return None, f'locator "{loc}" is not a paragraph number or range (e.g. para. 9, para. 3–5)'
                lo = int(pm.group(1))
                hi = int(pm.group(2) or lo)
                if lo < 1 or hi > len(self.paragraphs) or lo > hi:
                    return None, (f'locator "{loc}" names no paragraph of {self.file} '
                                  f"(paragraphs: 1–{len(self.paragraphs)})")
                wanted.extend(range(lo, hi + 1))
            lines = [self.paragraphs[p - 1] for p in wanted]
            return self._scope(loc, [(ln, ln) for ln in lines]), ""
        return None, (f'locator "{loc}" is not a recognised locator '
                      f"(use sec. ID, table N, fig. N or para. N)")

    def _resolve_sections(self, loc: str, ids: list[str]) -> tuple[Scope | None, str]:
        ranges = []
        for sid in ids:
            sec = self.sections.get(_norm_id(sid))
            if sec is None:
                return None, f'locator "{loc}" names no section of {self.file} (sections: {self._section_list()})'
            ranges.append((sec.start, sec.end))
        return self._scope(loc, ranges), ""

    # -- lookups ----------------------------------------------------------
    def describe(self, idx: int) -> str:
        o = self.occ[idx]
        return f"{o.fig.text} at line {o.line} ({o.where})"

    def nearest(self, fig: Figure, scope: Scope, limit: int = 3) -> list[int]:
        """Same value elsewhere in this source first, then the closest values of the same unit."""
        out: list[int] = []
        for idx in self.by_key.get(fig.key, []):
            if not scope.contains_line(self.occ[idx].line) and idx not in out:
                out.append(idx)
        pool = self.by_unit.get((fig.unit, fig.hi is not None), [])
        if pool:
            pos = bisect.bisect_left(pool, fig.lo, key=lambda p: p[0])
            window = pool[max(0, pos - 6):pos + 6]
            window = [p for p in window if self.occ[p[1]].fig.key != fig.key]
            window.sort(key=lambda p: (not scope.contains_line(self.occ[p[1]].line), abs(p[0] - fig.lo)))
            seen = {self.occ[i].fig.text + str(self.occ[i].line) for i in out}
            for _, idx in window:
                tag = self.occ[idx].fig.text + str(self.occ[idx].line)
                if tag not in seen:
                    seen.add(tag)
                    out.append(idx)
        return out[:limit]


def _nested(child: str, parent: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+(?:\.[0-9]+)*", parent)) and child.startswith(parent + ".")


def _trim_sentence(s: str, a: int, b: int, width: int = 320) -> str:
    if len(s) > width:
        lo = max(0, a - width // 2)
        hi = min(len(s), max(b, lo + width))
        s = ("… " if lo > 0 else "") + s[lo:hi] + (" …" if hi < len(s) else "")
    return _collapse(s)


@dataclass
class Project:
    """Manifest, bibliography and source indexes for one repository root."""

    root: Path
    bib: dict                      # key -> file (as in references.bib) or None
    sources: dict                  # file -> SourceIndex or None when unusable
    listed: set                    # files the manifest lists
    problems: list = field(default_factory=list)

    def source_for_key(self, key: str):
        file = self.bib.get(key)
        return self.sources.get(file) if file else None


_INDEX_CACHE: dict = {}


def _read_manifest(root: Path) -> list[dict]:
    path = root / MANIFEST
    if not path.is_file():
        raise BadInput(f"{MANIFEST} is missing under {root} (it lists the vendored sources); "
                       f"run from the repository root or pass --root")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise BadInput(f"{MANIFEST} is not valid UTF-8 at byte offset {e.start}") from None
    except yaml.YAMLError as e:
        raise BadInput(f"{MANIFEST} is not valid YAML: {_collapse(str(e))}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise BadInput(f"{MANIFEST} has no 'sources:' list")
    for i, s in enumerate(data["sources"], 1):
        if not isinstance(s, dict) or not s.get("file") or not s.get("key"):
            raise BadInput(f"{MANIFEST}: source entry {i} needs 'key' and 'file'")
        loc = s.get("locators") or {}
        if not isinstance(loc, dict):
            raise BadInput(f"{MANIFEST}: locators of {s['file']} must be a mapping")
        for sec in loc.get("sections") or []:
            if not isinstance(sec, dict) or "id" not in sec or "start" not in sec:
                raise BadInput(f"{MANIFEST}: every section of {s['file']} needs 'id' and 'start'")
            try:
                int(sec["start"]), int(sec.get("end", 0))
            except (TypeError, ValueError):
                raise BadInput(f"{MANIFEST}: section {sec['id']!r} of {s['file']} has a start/end that is not a line number") from None
    return data["sources"]


def _read_bib(root: Path) -> dict:
    path = root / BIBFILE
    if not path.is_file():
        raise BadInput(f"{BIBFILE} is missing under {root}")
    try:
        from pybtex.database import parse_string
        from pybtex.exceptions import PybtexError
    except ImportError:  # pragma: no cover - pybtex is pinned in requirements.txt
        raise BadInput("pybtex is not installed; use the project venv (.venv/bin/python)") from None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"{BIBFILE} is not valid UTF-8 at byte offset {e.start}") from None
    try:
        bib = parse_string(text, "bibtex")
    except PybtexError as e:
        raise BadInput(f"{BIBFILE} cannot be read: {_collapse(str(e))}") from None
    out = {}
    for key, entry in bib.entries.items():
        f = entry.fields.get("file")
        out[key] = str(f).strip() if f else None
    return out


def load_project(root=".") -> Project:
    """Read manifest and bibliography and index every listed source (BadInput if impossible)."""
    root = Path(root).resolve()
    entries = _read_manifest(root)
    bib = _read_bib(root)
    project = Project(root=root, bib=bib, sources={}, listed=set())
    for s in entries:
        file = str(s["file"])
        project.listed.add(file)
        project.sources[file] = None
        path = root / file
        if not path.is_file():
            project.problems.append(Problem(file, None, None, f"{file} listed in {MANIFEST} is missing"))
            continue
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        expected = str(s.get("sha256") or "").strip().lower()
        if not expected:
            project.problems.append(Problem(file, None, None, f"{file} has no sha256 in {MANIFEST}; "
                                                              f"add it (sha256sum {file})"))
        elif actual != expected:
            project.problems.append(Problem(
                file, None, None,
                f"{file} has changed: sha256 {actual} != manifest {expected}; sources are vendored "
                f"unchanged — restore it or update the manifest with a note"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            project.problems.append(Problem(
                file, None, None,
                f"{file} is not valid UTF-8 at byte offset {e.start} (byte 0x{data[e.start]:02x}); "
                f"its figures cannot be checked"))
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = " " + text[1:]
        locators = s.get("locators") or {}
        cache_key = (str(path), actual, json.dumps(locators, sort_keys=True, default=str), str(s["key"]))
        idx = _INDEX_CACHE.get(cache_key)
        if idx is None:
            idx = SourceIndex(str(s["key"]), file, text, locators)
            _INDEX_CACHE[cache_key] = idx
        for msg in idx.problems:
            project.problems.append(Problem(MANIFEST, None, None, f"{file}: {msg}"))
        project.sources[file] = idx
    return project


# ---------------------------------------------------------------------------
# Chapters
# ---------------------------------------------------------------------------
@dataclass
class Row:
    page: str
    line: int
    col: int
    figure: str
    value: str
    unit: str
    kind: str
    status: str
    key: str = ""
    locator: str = ""
    source_file: str = ""
    source_line: int | None = None
    source_sentence: str = ""
    formula: str = ""


ROW_FIELDS = [f.name for f in fields(Row)]


@dataclass
class Result:
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)

    @property
    def figures(self) -> int:
        """Figures checked: sourced and derived (editorial and external numbers are not checked
        against a vendored source)."""
        return sum(1 for r in self.rows if r.kind in ("sourced", "derived"))

    def summary(self) -> str:
        n, k = self.figures, len(self.problems)
        return (f"{n} figure{'s' * (n != 1)} checked on {self.pages} page{'s' * (self.pages != 1)}: "
                f"{k} problem{'s' * (k != 1)} ({self.count('derived')} derived, "
                f"{self.count('editorial')} editorial and {self.count('external')} external not checked)")

    def extend(self, other: "Result") -> None:
        self.problems.extend(other.problems)
        self.rows.extend(other.rows)
        self.pages += other.pages

    def to_dict(self) -> dict:
        return {
            "summary": {"figures": self.figures, "pages": self.pages, "problems": len(self.problems),
                        "sourced": self.count("sourced"), "derived": self.count("derived"),
                        "editorial": self.count("editorial"), "external": self.count("external")},
            "problems": [str(p) for p in self.problems],
            "rows": [{k: getattr(r, k) for k in ROW_FIELDS} for r in self.rows],
        }


@dataclass
class _Citation:
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
_SPAN_RE = re.compile(r"<span\b(?P<attrs>[^<>]*)>(?P<inner>.*?)</span\s*>", re.S | re.I)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_CITE_BLOCK_RE = re.compile(r"\[(?P<body>(?:(?!\n[ \t]*\n)[^\[\]])*?@(?:(?!\n[ \t]*\n)[^\[\]])*)\](?![(\[:])")
_CITE_PART_RE = re.compile(r"^(?P<prefix>[^@]*?)(?:(?<=[\s\[;-])|^)-?@(?P<key>[A-Za-z0-9_][\w:.#$%&+?<>~/-]*)(?P<rest>.*)$", re.S)
_LINK_TARGET_RE = re.compile(r"(?<=\])\((?:[^()\n]|\([^()\n]*\))*\)")
_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[^\n]*", re.M)
_REF_LINK_RE = re.compile(r"(?<=\])\[[^\]\n]*\]")
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|(?<![\w.])www\.)[^\s<>\"')\]]+")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
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
_LIST_RE = re.compile(r"^[ \t]*(?:(?P<bullet>[-*+])|(?P<num>[0-9]{1,9})[.)])(?:[ \t]+|$)")
_TABLE_DELIM_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_SETEXT_RE = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_RUN_IN_RE = re.compile(r"\s*(\*\*|__)[^*_\n]+\1\s*\Z")    # "**The 2020 turn.**" leads into the next sentence
_HR_RE = re.compile(r"^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")


def _sub_blank(rx: re.Pattern, s: str) -> str:
    return rx.sub(lambda m: _blank(m.group()), s)


def _mask_fences(s: str) -> str:
    out = []
    fence = None
    for line in s.split("\n"):
        if fence is None:
            m = _FENCE_RE.match(line)
            if m:
                fence = m.group(1)
                out.append(_blank(line))
            else:
                out.append(line)
        else:
            out.append(_blank(line))
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
            out.append((key, _collapse(locator), at))
        pos += len(part) + 1
    return out


@dataclass
class _Span:
    kind: str          # editorial / derived / external
    start: int         # offset of the inner text
    inner: str
    formula: str = ""


def _unit_kind_name(kind: str) -> str:
    return {"para": "sentence", "list": "list item", "table": "table row",
            "heading": "heading", "title": "admonition title"}[kind]


def _mask_markdown(text: str):
    """Mask everything that is not prose. Returns (masked, citations, spans)."""
    m = text
    fm = _FRONT_MATTER_RE.match(m)
    if fm:
        m = _blank(fm.group()) + m[fm.end():]
    m = _mask_fences(m)
    m = _sub_blank(_COMMENT_RE, m)
    m = _INLINE_CODE_RE.sub(lambda x: x.group() if re.search(r"\n[ \t]*\n", x.group()) else _blank(x.group()), m)
    spans: list[_Span] = []

    def span(x: re.Match) -> str:
        attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None)
                 for a in _ATTR_RE.finditer(x.group("attrs"))}
        classes = attrs.get("class", "").split()
        if "editorial" in classes or "derived" in classes or "external" in classes:
            kind = next(k for k in ("derived", "external", "editorial") if k in classes)
            spans.append(_Span(kind, x.start("inner"), x.group("inner"), attrs.get("data-formula", "")))
            return _blank(x.group())
        return x.group()

    m = _SPAN_RE.sub(span, m)
    citations: list[_Citation] = []

    def cite(x: re.Match) -> str:
        parts = _parse_citation_body(x.group("body"), x.start("body"))
        if not parts:
            return x.group()
        citations.extend(_Citation(k, loc, at) for k, loc, at in parts)
        return _blank(x.group())

    m = _CITE_BLOCK_RE.sub(cite, m)
    for rx, needle in ((_LINK_TARGET_RE, "]("), (_REF_DEF_RE, "]:"), (_REF_LINK_RE, "]["), (_URL_RE, ""),
                       (_EMAIL_RE, "@"), (_TAG_RE, "<")):
        if needle in m:                                # cheap test first: most pages have no e-mail address
            m = _sub_blank(rx, m)
    if "&" in m:
        m = _ENTITY_RE.sub(lambda x: _ENTITY_CHARS.get(x.group(), "").ljust(len(x.group())), m)
    for rx in (_ATTR_LIST_RE, _FOOTNOTE_RE, _BRACKET_REF_RE):
        m = _sub_blank(rx, m)
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
            parts.append(_blank(x.group()))
            last = x.end()
    if not parts:
        return m
    parts.append(m[last:])
    return "".join(parts)


def _units(masked: str):
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
        for b in _sentence_bounds(masked, s, e):
            if masked[a:b].strip() and not (a == s and _RUN_IN_RE.match(masked, a, b)):
                out.append((kind, a, b))
                a = b
        if a < e:
            out.append((kind, a, e))
    return out, masked


class _Checker:
    def __init__(self, text: str, page: str, display: str, project: Project):
        self.text = text
        self.page = page
        self.display = display
        self.project = project
        self.result = Result(pages=1)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def problem(self, offset: int, message: str) -> None:
        line, col = self.pos(offset)
        self.result.problems.append(Problem(self.display, line, col, message))

    # -- citations --------------------------------------------------------
    def resolve(self, c: _Citation) -> None:
        p = self.project
        if c.key not in p.bib:
            close = difflib.get_close_matches(c.key, list(p.bib), n=1, cutoff=0.75)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.problem(c.start, f'unknown citation key "{c.key}" (not in {BIBFILE}){hint}')
            c.status = "unknown"
            return
        file = p.bib[c.key]
        if not file:
            c.status = "unvendored"
            return
        if file not in p.listed:
            self.problem(c.start, f"[@{c.key}] names {file}, which {MANIFEST} does not list")
            c.status = "broken"
            return
        src = p.sources.get(file)
        if src is None:
            c.status = "broken"                        # missing or undecodable: reported once for the run
            return
        scope, msg = src.resolve(c.locator)
        if scope is None:
            self.problem(c.start, msg)
            c.status = "broken"
            return
        c.status, c.source, c.scope = "ok", src, scope

    # -- figures ----------------------------------------------------------
    def no_usable(self, cits: list[_Citation], unit_kind: str, offset: int, what: str) -> str:
        if not cits:
            self.problem(offset, f"{what} has no citation in its {_unit_kind_name(unit_kind)}; cite its source "
                                 f"with a locator, or mark the primer's own number "
                                 f'<span class="editorial">…</span>')
            return "problem"
        if all(c.status == "unvendored" for c in cits):
            keys = ", ".join(f"[@{c.key}]" for c in cits)
            self.problem(offset, f"{what} cannot be verified: cited work has no vendored source file — "
                                 f"{keys} has no vendored source file (no file field in {BIBFILE}); "
                                 f"also cite the vendored source it is quoted from")
            return "problem"
        return "unchecked"

    def check_figure(self, f: Figure, offset: int, cits: list[_Citation], unit_kind: str) -> None:
        line, col = self.pos(offset)
        row = Row(self.page, line, col, f.text, f.value, f.unit, "sourced", "ok")
        usable = [c for c in cits if c.status == "ok"]
        if cits:
            first = usable[0] if usable else cits[0]
            row.key, row.locator = first.key, first.locator
        if not usable:
            row.status = self.no_usable(cits, unit_kind, offset, f'figure "{f.text}"')
            self.result.rows.append(row)
            return
        for c in usable:
            hits = c.source.lookup(c.scope, f.unit, f.lo, f.hi)
            if hits:
                o = c.source.occ[hits[0]]
                row.key, row.locator = c.key, c.locator
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
                self.result.rows.append(row)
                return
        row.status = "problem"
        self.result.rows.append(row)
        unique = list({(c.key, c.locator.lower()): c for c in usable}.values())
        self.problem(offset, f'figure "{f.text}" is not in ' + self.not_found_detail(f, unique, cits))

    def not_found_detail(self, f: Figure, usable: list[_Citation], cits: list[_Citation]) -> str:
        where = " or ".join(f"{c.label} ({c.source.file})" for c in usable)
        several = len({c.source.file for c in usable}) > 1
        near: list[str] = []
        for c in usable:
            for idx in c.source.nearest(f, c.scope):
                d = c.source.describe(idx)
                near.append(f"{d} of [@{c.key}]" if several else d)
        msg = where
        if near:
            msg += "; nearest: " + ", ".join(near[:3])
        # same number, other unit, inside the cited passage
        for c in usable:
            for num in f.numbers[:1]:
                for idx in c.scope.numbers.get(num, []):
                    o = c.source.occ[idx]
                    if o.fig.unit != f.unit:
                        msg += (f'; "{o.fig.text}" at line {o.line} has the same number in another unit '
                                f"({o.fig.unit}, not {f.unit})")
                        break
                else:
                    continue
                break
        # other vendored sources
        cited_files = {c.source.file for c in usable}
        for file, src in self.project.sources.items():
            if src is None or file in cited_files:
                continue
            hits = src.lookup(src.whole, f.unit, f.lo, f.hi)
            if hits:
                msg += f"; found in [@{src.key}] at line {src.occ[hits[0]].line} ({src.occ[hits[0]].where}) — cite that source?"
                break
        unv = [c for c in cits if c.status == "unvendored"]
        if unv:
            msg += "; also cited: " + ", ".join(f"[@{c.key}]" for c in unv) + " (no vendored source file)"
        return msg

    def check_derived(self, sp: _Span, cits: list[_Citation], unit_kind: str) -> None:
        inner_t = _normtext(sp.inner)
        masked_inner = _sub_blank(_TAG_RE, inner_t)
        figs = [f for f in extract_figures(masked_inner, original=sp.inner) if not f.word_ordinal]
        offset = sp.start + (figs[0].start if figs else 0)
        line, col = self.pos(offset)
        written = _collapse(sp.inner)
        row = Row(self.page, line, col, figs[0].text if figs else written, figs[0].value if figs else "",
                  figs[0].unit if figs else "", "derived", "ok", formula=sp.formula)
        self.result.rows.append(row)
        what = f'derived figure "{row.figure}"'
        if not figs:
            row.status = "problem"
            self.problem(offset, f'derived span has no number in its text "{written}"')
            return
        try:
            value, operands = evaluate_formula(sp.formula)
        except FormulaError as e:
            row.status = "problem"
            self.problem(offset, f'{what}: formula "{sp.formula}" — {e} (allowed: numbers, + - * / and '
                                 f"parentheses)")
            return
        usable = [c for c in cits if c.status == "ok"]
        if cits:
            first = usable[0] if usable else cits[0]
            row.key, row.locator = first.key, first.locator
        if not usable:
            row.status = self.no_usable(cits, unit_kind, offset, what)
        else:
            found_all: list[tuple[_Citation, list[int]]] = []
            for num in operands:
                if num == _PERCENT_FACTOR:
                    continue                          # "a / b * 100": the percent factor, not a sourced figure
                found = None
                for c in usable:
                    hits = c.scope.numbers.get(num) or c.scope.numbers.get(-num)
                    if hits:
                        found = (c, hits)
                        break
                if found is None:
                    row.status = "problem"
                    where = " or ".join(f"{c.label} ({c.source.file})" for c in usable)
                    hint = ""
                    src = usable[0].source
                    if src.by_number.get(num):
                        hint = f"; it is at {src.describe(src.by_number[num][0])}"
                    self.problem(offset, f'{what}: operand {num} of "{sp.formula}" is not in {where}{hint}')
                else:
                    found_all.append(found)
            if found_all and row.status == "ok":
                # the ledger points at the passage that holds most operands, written in digits if possible
                c, hits = found_all[0]
                sents = [{(cc.source.file, cc.source.occ[i].sent) for i in hh} for cc, hh in found_all[1:]]

                def score(i: int):
                    o = c.source.occ[i]
                    together = sum((c.source.file, o.sent) in ss for ss in sents)
                    return (together, any(ch.isdigit() for ch in o.fig.text))

                o = c.source.occ[max(hits, key=score)]
                row.key, row.locator = c.key, c.locator
                row.source_file, row.source_line, row.source_sentence = c.source.file, o.line, o.sentence
        written_num = figs[0].numbers[0]
        if not _rounds_to(value, written_num):
            row.status = "problem"
            shown = value.quantize(Decimal(1).scaleb(min(0, written_num.as_tuple().exponent)), rounding=ROUND_HALF_UP)
            self.problem(offset, f'{what}: formula "{sp.formula}" gives {_fmt(value) if abs(value - shown) == 0 else shown} '
                                 f"(at the written precision), not {written_num}")

    def record_external(self, sp: _Span, cits: list, kind: str) -> None:
        """A figure from public evidence that is not vendored: it must cite that evidence
        (a references.bib entry without a `file`); it is recorded, not verified. The ledger names
        the first such citation after the figure in its unit (where a citation follows what it
        supports), else the last one before it."""
        evidence = [c for c in cits if c.status == "unvendored"]
        after = [c for c in evidence if c.start >= sp.start]
        evidence = after[:1] + [c for c in evidence if c not in after][-1:] if evidence else []
        figs = [f for f in extract_figures(_sub_blank(_TAG_RE, sp.inner), original=sp.inner) if not f.word_ordinal]
        for f in figs or [None]:
            line, col = self.pos(sp.start + (f.start if f else 0))
            row = Row(self.page, line, col, f.text if f else _collapse(sp.inner), f.value if f else "",
                      f.unit if f else "", "external", "cited" if evidence else "problem")
            if evidence:
                row.key, row.locator = evidence[0].key, evidence[0].locator
            else:
                self.problem(sp.start, f'external figure "{_collapse(sp.inner)}" has no citation to the public '
                                       f"evidence it comes from in its {_unit_kind_name(kind)}; cite a "
                                       f"{BIBFILE} entry (one without a vendored file) in the same {_unit_kind_name(kind)}")
            self.result.rows.append(row)

    # -- page -------------------------------------------------------------
    def run(self) -> Result:
        masked, citations, spans = _mask_markdown(self.text)
        units, masked = _units(masked)
        for c in citations:
            self.resolve(c)
        unit_starts = [u[1] for u in units]

        def unit_of(offset: int):
            k = bisect.bisect_right(unit_starts, offset) - 1
            if k >= 0 and units[k][1] <= offset < units[k][2] + 1:
                return k
            return None

        by_unit: dict[int, list[_Citation]] = {}
        for c in citations:
            k = unit_of(c.start)
            if k is not None:
                by_unit.setdefault(k, []).append(c)
        # a sentence holding only citations (written after the full stop) belongs to the one before
        for k, (kind, s, e) in enumerate(units):
            if kind == "para" and k in by_unit and k > 0 and units[k - 1][0] == "para" \
                    and not _normtext(masked[s:e]).strip(" \t\n.;,") and not any(unit_of(sp.start) == k for sp in spans):
                by_unit.setdefault(k - 1, []).extend(by_unit[k])
        for k, (kind, s, e) in enumerate(units):
            cits = by_unit.get(k, [])
            chunk = masked[s:e]
            if not any(ch.isdigit() or ch.isalpha() for ch in chunk):
                continue
            for f in extract_figures(chunk, original=self.text[s:e]):
                if f.word_ordinal:
                    continue
                self.check_figure(f, s + f.start, cits, kind)
        for sp in spans:
            k = unit_of(sp.start)
            cits = by_unit.get(k, []) if k is not None else []
            kind = units[k][0] if k is not None else "para"
            if sp.kind == "editorial":
                figs = [f for f in extract_figures(_sub_blank(_TAG_RE, sp.inner), original=sp.inner)
                        if not f.word_ordinal]
                if not figs:
                    line, col = self.pos(sp.start)
                    self.result.rows.append(Row(self.page, line, col, _collapse(sp.inner), "", "", "editorial", "skipped"))
                for f in figs:
                    line, col = self.pos(sp.start + f.start)
                    self.result.rows.append(Row(self.page, line, col, f.text, f.value, f.unit, "editorial", "skipped"))
            elif sp.kind == "external":
                self.record_external(sp, cits, kind)
            else:
                self.check_derived(sp, cits, kind)
        self.result.rows.sort(key=lambda r: (r.line, r.col))
        self.result.problems.sort(key=lambda p: (p.line or 0, p.col or 0))
        return self.result


def check_markdown(text: str, page: str, project: Project, display_path: str | None = None) -> Result:
    """Check one page given as text. ``page`` is its docs-relative path (for the ledger)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    return _Checker(text, page, display_path or page, project).run()


def _collect(paths, root: Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths) if paths is not None else []
    if not paths:
        docs = root / DOCS_DIR
        if not docs.is_dir():
            raise BadInput(f"{DOCS_DIR}/ is missing under {root}; pass the pages to check")
        return sorted(docs.rglob("*.md"))
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        cand = p if p.is_absolute() else (Path.cwd() / p if (Path.cwd() / p).exists() else root / p)
        if cand.is_dir():
            out.extend(sorted(cand.rglob("*.md")))
        elif cand.is_file():
            out.append(cand)
        else:
            raise BadInput(f"{p}: no such file or folder")
    return out


def _rel(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return None


def check(paths=None, root=".", project: Project | None = None, cache: "ResultCache | None" = None) -> Result:
    """Check pages (files or folders; default ROOT/docs/**/*.md). Raises BadInput. With a `cache` (and no
    `project`), a page whose result it holds is not checked again (see ResultCache)."""
    root = Path(root).resolve()
    if cache is not None and project is None:
        if cache.root != root:
            raise ValueError(f"the cache is for {cache.root}, not {root}")
        problems, run = cache.project_problems(), cache.check_markdown
    else:
        if project is None:
            project = load_project(root)
        problems = list(project.problems)

        def run(text, page, display):
            return check_markdown(text, page, project, display)
    files = _collect(paths, root)
    result = Result(problems=problems)
    for f in files:
        display = _rel(f, root) or str(f)
        page = _rel(f, root / DOCS_DIR) or display
        data = f.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            result.pages += 1
            result.problems.append(Problem(display, None, None,
                                           f"not valid UTF-8 at byte offset {e.start} (byte 0x{data[e.start]:02x}); "
                                           f"the page cannot be checked"))
            continue
        result.extend(run(text, page, display))
    return result


# ---------------------------------------------------------------------------
# Results kept between runs (opt-in: the MkDocs hooks pass a ResultCache)
# ---------------------------------------------------------------------------
def _file_state(path: Path) -> bytes:
    """A file's bytes as a key part; a missing (or unreadable) file is a distinct value."""
    try:
        return b"\1" + path.read_bytes() if path.is_file() else b"\0"
    except OSError:
        return b"\2"


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


_SOURCE = Path(__file__).read_bytes()  # the code that runs (read when imported: `mkdocs serve` keeps the module)


def _code_state() -> list:
    """This file's code and what else shapes a result: Python, PyYAML (the manifest), pybtex (the .bib)."""
    from importlib import metadata
    try:
        pybtex = metadata.version("pybtex")
    except metadata.PackageNotFoundError:
        pybtex = None
    return ["check_figures results 1", _SOURCE, sys.version, yaml.__version__, pybtex]


class ResultCache:
    """The check's results on disk, one JSON file per key in FOLDER, so that an unchanged page is not checked
    again (the hooks keep them in .cache/figures/). A page's key is the sha256 of this file's code, Python's,
    PyYAML's and pybtex's versions, the project's inputs (MANIFEST, BIBFILE and every file the manifest lists,
    as bytes) and the page's path, display path and text: a change to any of them is another key, so a result
    is never stale. The project is loaded (load_project) only when a result is missing. Make one per run: the
    project's inputs are read once, when first needed."""

    KEEP = 256  # files kept, the most recently used

    def __init__(self, folder, root="."):
        self.folder = Path(folder)
        self.root = Path(root).resolve()
        self._project: Project | None = None
        self._key: str | None = None

    def _get(self, name: str):
        text = cache_files.read(self.folder / f"{name}.json")
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            return None

    def _put(self, name: str, data) -> None:
        # not kept when it cannot be written: the next run checks again
        cache_files.write(self.folder / f"{name}.json", json.dumps(data, ensure_ascii=False), self.KEEP)

    def project(self) -> Project:
        if self._project is None:
            self._project = load_project(self.root)
        return self._project

    def project_key(self) -> str:
        if self._key is None:
            code = _code_state()
            manifest = _file_state(self.root / MANIFEST)
            parts = [*code, manifest, _file_state(self.root / BIBFILE)]
            for file in (str(s["file"]) for s in _read_manifest(self.root)):
                parts += [file, _file_state(self.root / file)]
            self._key = _digest(*parts)
        return self._key

    def project_problems(self) -> list:
        """load_project(root).problems, kept by the project's key."""
        name = "project-" + self.project_key()
        data = self._get(name)
        try:
            return [Problem(*p) for p in data]
        except TypeError:
            problems = list(self.project().problems)
            if all(type(p) is Problem for p in problems):
                self._put(name, [[p.path, p.line, p.col, p.message] for p in problems])
            return problems

    def check_markdown(self, text: str, page: str, display_path: str | None = None) -> Result:
        """check_markdown(text, page, project, display_path), from the cache when it holds the result."""
        display = display_path or page
        name = "page-" + _digest(self.project_key(), page, display, text)
        data = self._get(name)
        try:
            return Result(problems=[Problem(*p) for p in data["problems"]],
                          rows=[Row(*r) for r in data["rows"]], pages=data["pages"])
        except (TypeError, KeyError):
            pass
        result = check_markdown(text, page, self.project(), display)
        if all(type(p) is Problem for p in result.problems) and all(type(r) is Row for r in result.rows):
            self._put(name, {"problems": [[p.path, p.line, p.col, p.message] for p in result.problems],
                             "rows": [[getattr(r, k) for k in ROW_FIELDS] for r in result.rows],
                             "pages": result.pages})
        return result


# ---------------------------------------------------------------------------
# Ledger and command line
# ---------------------------------------------------------------------------
def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"


def to_csv(result: Result) -> str:
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer)
    w.writerow(ROW_FIELDS)
    for r in result.rows:
        w.writerow(["" if getattr(r, k) is None else getattr(r, k) for k in ROW_FIELDS])
    return buffer.getvalue()


def write_json(result: Result, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(to_json(result), encoding="utf-8")


def write_csv(result: Result, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(to_csv(result), encoding="utf-8", newline="")


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="check_figures.py",
        description="Check every figure in the chapters against the vendored source passage it cites.")
    ap.add_argument("paths", nargs="*", help="Markdown files or folders (default: every docs/**/*.md)")
    ap.add_argument("--root", default=".", help="repository root (default: the current folder)")
    ap.add_argument("--json", metavar="PATH", help="write the figure ledger as JSON")
    ap.add_argument("--csv", metavar="PATH", help="write the figure ledger as CSV")
    ap.add_argument("--traceback", action="store_true", help="show the Python traceback of an internal error")
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass
    try:
        result = check(args.paths or None, args.root)
        if args.json:
            write_json(result, args.json)
        if args.csv:
            write_csv(result, args.csv)
    except BadInput as e:
        print(f"check_figures: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"check_figures: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:  # never a bare traceback for editors
        if args.traceback:
            raise
        print(f"check_figures: internal error: {type(e).__name__}: {e} (rerun with --traceback and report it)",
              file=sys.stderr)
        return 2
    for p in result.problems:
        print(p)
    print(result.summary())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
