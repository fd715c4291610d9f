"""Numbers and units: the figure parser shared by chapters and sources (digits, percentages, money with
currency and scale, ranges, years, ordinals, number words) and the characters it normalises."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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


def normalise_text(text: str) -> str:
    return text.translate(_TRANS)


def blank(s: str) -> str:
    """Same length, newlines kept, everything else a space."""
    if "\n" not in s:
        return " " * len(s)
    return re.sub(r"[^\n]", " ", s)


def collapse_space(s: str) -> str:
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
            return format_decimal(self.lo)
        return f"{format_decimal(self.lo)}..{format_decimal(self.hi)}"


def format_decimal(d: Decimal) -> str:
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
BRACKET_REF_RE = re.compile(r"\[[0-9]+(?:[ \t]*[,–-][ \t]*[0-9]+)*\]")
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


def _parse_suffix(text: str, pos: int, atom: _Atom, *, digits: bool) -> bool:
    """Read the unit after a number into ``atom``; False when the token is an identifier."""
    n = len(text)
    if digits and pos < n and text[pos].isascii() and text[pos].isalpha():
        letters = _LETTERS_RE.match(text, pos).group()
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
    m = _SUF_PLUS.match(text, pos)
    if m:
        atom.qualifier = "+"
        pos = m.end()
    for name, rx in _SUF_UNITS:
        m = rx.match(text, pos)
        if m:
            atom.unit = name
            pos = m.end()
            if name == "percent":
                m = _SUF_PERCENT_PLUS.match(text, pos) or _SUF_PLUS.match(text, pos)
                if m:
                    atom.qualifier = "plus"
                    pos = m.end()
            break
    else:
        m = _SUF_SCALE.match(text, pos)
        if m:
            atom.scale = _SCALES[m.group(1).lower()]
            pos = m.end()
        m = _SUF_CURRENCY.match(text, pos)
        if m:
            atom.currency = atom.currency or _CURRENCY_WORDS[collapse_space(m.group(1)).lower()]
            pos = m.end()
        elif atom.scale is None:
            year_like = atom.plain_int and 1900 <= atom.number <= 2100
            m = _SUF_NM.match(text, pos)
            if m:
                atom.unit = "nm"
                pos = m.end()
            elif not year_like and (m := _SUF_TIME.match(text, pos)):
                u = m.group(1).lower()
                atom.unit = u if u.endswith("s") else u + "s"
                pos = m.end()
            elif m := _SUF_TIMES.match(text, pos):
                atom.unit = "times"
                pos = m.end()
    m = _SUF_PLUS.match(text, pos)
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


def _digit_atoms(text: str, blocked: bytearray, atoms: list[_Atom]) -> None:
    n = len(text)
    for m in _NUM_RE.finditer(text):
        s, e = m.span()
        if blocked[s]:
            continue
        dm = _DOTTED_RE.match(text, e)
        if dm:                                        # 2.1.3, 10.1108.5: identifiers
            blocked[s:dm.end()] = b"\x01" * (dm.end() - s)
            continue
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < n else ""
        nxt2 = text[e + 1] if e + 1 < n else ""
        if prev == "/" or (nxt in "/:" and nxt2.isdigit()) or (prev == ":" and s >= 2 and text[s - 2].isdigit()):
            continue                                  # fractions, paths, times, ratios
        if prev == "." and s >= 2 and text[s - 2].isdigit():
            continue
        raw = m.group()
        atom = _Atom(start=s, num_end=e, end=e, number=Decimal(raw.replace(",", "")),
                     plain_int=raw.isdigit())
        pm = _PREFIX_RE.search(text, max(0, s - 12), s)
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
            while j > 0 and text[j - 1].isascii() and text[j - 1].isalpha():
                j -= 1
            letters = text[j:s - 1]
            if len(letters) >= 2 and letters.isupper():
                continue                              # COVID-19, RAMJ-03
        elif prev == "−":                             # U+2212: a real minus sign
            atom.number = -atom.number
            atom.start = s - 1
        if not _parse_suffix(text, e, atom, digits=True):
            continue
        atoms.append(atom)
        blocked[atom.start:atom.end] = b"\x01" * (atom.end - atom.start)


_WORD_TOKEN_RE = re.compile(r"[A-Za-z]+")
_NUMBER_WORD_STARTS = frozenset(_UNIT_WORDS) | frozenset(_TEEN_WORDS) | frozenset(_TENS_WORDS) \
    | frozenset(_MULT_WORDS) | frozenset(_ORD_WORDS) | {"a"}


def _word_atoms(text: str, blocked: bytearray, atoms: list[_Atom], source: bool) -> None:
    # Tokenise first and try the number-word patterns only where a token could start one:
    # trying them at every character is the slowest part of the check otherwise.
    for tok in _WORD_TOKEN_RE.finditer(text):
        s = tok.start()
        low = tok.group().lower()
        if low not in _NUMBER_WORD_STARTS or blocked[s]:
            continue
        m = _ORD_WORD_RE.match(text, s)
        if m:
            e = m.end()
            blocked[s:e] = b"\x01" * (e - s)
            if source:
                value = _ORD_WORDS[m.group("ord").lower()] + (_TENS_WORDS[m.group("tens").lower()] if m.group("tens") else 0)
                atoms.append(_Atom(start=s, num_end=e, end=e, number=Decimal(value), is_word=True,
                                   word_ordinal=True))
            continue
        m = _WORD_NUM_RE.match(text, s)
        if not m:
            continue
        e = m.end()
        if blocked[e - 1]:
            continue
        if _FIXED_TERM_RE.match(text, e):
            continue                                  # two-way
        g = m.groupdict()
        if g["tens"]:
            value = _TENS_WORDS[g["tens"].lower()] + (_UNIT_WORDS[g["tu"].lower()] if g["tu"] else 0)
        elif g["teen"]:
            value = _TEEN_WORDS[g["teen"].lower()]
        elif g["unit"]:
            value = _UNIT_WORDS[g["unit"].lower()]
            if value == 1 and not g["mult"] and not _ONE_OK_RE.match(text, e):
                continue                              # "one": a pronoun, not a figure
        else:
            value = _MULT_WORDS[g["lone"].lower()]
        if g["mult"]:
            value *= _MULT_WORDS[g["mult"].lower()]
        atom = _Atom(start=s, num_end=e, end=e, number=Decimal(value), is_word=True, plain_int=True)
        if not _parse_suffix(text, e, atom, digits=False):
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
    normalised = normalise_text(text)
    orig = original if original is not None else text
    n = len(normalised)
    blocked = bytearray(n + 1)
    for rx, needle in ((BRACKET_REF_RE, "["), (_DOI_RE, "10."), (_LICENCE_RE, "CC")):
        if needle in normalised:                                # cheap test before the pattern
            for m in rx.finditer(normalised):
                blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    atoms: list[_Atom] = []
    for m in (_ISO_DATE_RE.finditer(normalised) if "-" in normalised else ()):
        if blocked[m.start()]:
            continue
        y, _, d = m.group(1), m.group(2), m.group(3)
        atoms.append(_Atom(start=m.start(1), num_end=m.end(1), end=m.end(1), number=Decimal(y), plain_int=True))
        atoms.append(_Atom(start=m.start(3), num_end=m.end(3), end=m.end(3), number=Decimal(int(d)), plain_int=True))
        blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    _digit_atoms(normalised, blocked, atoms)
    _word_atoms(normalised, blocked, atoms, source)
    atoms.sort(key=lambda a: a.start)

    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None:
            gap = normalised[a.end:b.start]
            # a connector must sit between the first number and the second
            kind = None
            if _RANGE_DASH_RE.fullmatch(gap):
                kind = "dash"
            elif _RANGE_TO_RE.fullmatch(gap):
                before = normalised[max(0, a.start - 12):a.start]
                kind = "pair" if _FROM_BEFORE_RE.search(before) else "to"
            elif _PAIR_AND_RE.fullmatch(gap) and _BETWEEN_BEFORE_RE.search(normalised[max(0, a.start - 12):a.start]):
                kind = "between"                      # "between 2016 and 2022": a range
            if kind in ("dash", "to", "between") and _range_compatible(a, b, "dash" if kind == "dash" else "to"):
                merged = _Atom(start=a.start, num_end=b.num_end, end=b.end, number=a.number,
                               is_word=a.is_word and b.is_word, plain_int=a.plain_int and b.plain_int,
                               currency=a.currency or b.currency, unit=b.unit, scale=b.scale or a.scale,
                               qualifier=b.qualifier or a.qualifier)
                unit, (lo, hi) = _unit_and_values(merged, [a.number, b.number])
                figures.append(Figure(a.start, b.end, collapse_space(orig[a.start:b.end]), unit, lo.normalize(),
                                      hi.normalize(), (a.number, b.number), merged.qualifier))
                i += 2
                continue
            if kind in ("pair", "between") and not (a.unit or a.scale or a.currency or a.ordinal or a.decade):
                # "between 1.5 and 2 percent", "from 5 to 7 percent": the unit of the second applies to the first
                a.unit, a.scale, a.currency = b.unit, b.scale, b.currency
        unit, (v,) = _unit_and_values(a, [a.number])
        figures.append(Figure(a.start, a.end, collapse_space(orig[a.start:a.end]), unit, v.normalize(), None,
                              (a.number,), a.qualifier, a.word_ordinal))
        i += 1
    return figures
