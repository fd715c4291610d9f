"""Claims: each cited unit (sentence, table row, list item) matched to the source sentence(s) it rests on.

For every citation of a unit to a source with a text, inside the passage its locator names:

1. ``quotation`` — the sentence(s) holding the unit's quotations (quotations.py);
2. ``figure`` — else the sentence(s) holding its figures: the one holding most of them (years count half,
   ties broken by wording), then any other sentence that holds a figure not yet found and is next to one
   already chosen or close in wording;
3. ``wording`` — else the sentence closest in wording (rapidfuzz's token-set ratio, on words of three
   letters or more, common function words and numbers left out).

Every claim carries a ``score``: how close the passage is in wording (0–100, rapidfuzz), or 100 for a
quotation found verbatim. A claim whose passage is weak (found by wording, or by years alone, with a
score under WEAK) is ``weak``: it is listed for review (reports/claims-review.md, ``make bench``),
never silently passed.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, fields

from rapidfuzz import fuzz, process

from primer.checks.figures.numbers import collapse_space

WEAK = 45                  # under this wording score a passage found by wording (or by years alone) is weak
NEAR = 55                  # wording score at which a further sentence holding a figure joins the passage
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}|[\u4e00-\u9fff]+")     # numbers are the figure method's
_STOP = frozenset("""the and for that with this from are was were has have had its his her their they them not but
which who whom what when where how than then also into onto over under more most such these those been being
will would can could may might must shall should does did done any all each other both only own same very""".split())


@dataclass
class Claim:
    page: str
    line: int              # the unit's first line
    col: int
    sentence: str          # the unit as the reader reads it (Markdown removed, whitespace collapsed)
    key: str
    locator: str
    passage: str           # the source sentence(s), whitespace collapsed
    source_file: str
    source_lines: str      # "57" or "57-58"
    method: str            # quotation | figure | wording
    score: int
    status: str            # ok | weak
    highlight: str = ""    # the passage's words to mark: the quotation(s) or figure(s) as the source writes them
    cites: str = ""        # where the citation's "@" stands on the page, each time the unit cites it: "12:40 12:88"
    sentences: str = ""    # the source sentences' numbers, "12 13" (the passage's identity)


CLAIM_FIELDS = [f.name for f in fields(Claim)]


@functools.lru_cache(maxsize=1 << 16)
def words(text: str) -> str:
    """The words that carry meaning: lower case, three letters or more, no common function words. Kept for each
    text (a source's sentences are compared with every claim that cites them)."""
    return " ".join(w for w in (m.group().lower().strip("'’-") for m in _WORD_RE.finditer(text)) if w not in _STOP)


def wording_score(claim: str, sentence: str) -> float:
    return fuzz.token_set_ratio(words(claim), words(sentence), processor=None)


def best_by_wording(claim: str, texts: list[str]) -> tuple[int, float]:
    """(index, score) of the text closest to CLAIM in wording ((-1, 0) for none)."""
    if not texts:
        return -1, 0.0
    found = process.extractOne(words(claim), [words(t) for t in texts], scorer=fuzz.token_set_ratio, processor=None)
    return (found[2], found[1]) if found else (-1, 0.0)


def choose_by_figures(source, candidates: dict[int, float], claim: str, chosen: list[int] | None = None) -> list[int]:
    """The sentences of a passage found by figures. CANDIDATES: sentence -> weight of the unit's figures it
    holds (a year counts half). The heaviest first (CHOSEN, when given, instead: a quotation's sentences),
    then each other sentence that is next to one chosen, close in wording, or holds more than one figure of
    the unit (a table's row, its own record, joins only when it holds two)."""
    scores = {k: wording_score(claim, source.text[slice(*source.sentence_span(k))]) for k in candidates}
    ranked = sorted(candidates, key=lambda k: (-candidates[k], -scores[k], k))
    chosen = list(chosen) if chosen else [ranked[0]]
    for k in ranked:
        if k in chosen:
            continue
        if "\t" in source.text[slice(*source.sentence_span(k))]:      # a table's row: its own record
            join = candidates[k] >= 2
        else:
            join = any(abs(k - c) <= 1 for c in chosen) or scores[k] >= NEAR or candidates[k] >= 1.5
        if join:
            chosen.append(k)
    return sorted(chosen)


def passage_text(source, sentences: list[int]) -> tuple[str, str]:
    """(the sentences' text, whitespace collapsed; their lines, "57" or "57-58")."""
    if not sentences:
        return "", ""
    spans = [source.sentence_span(k) for k in sentences]
    text = " ".join(collapse_space(source.text[a:b]) for a, b in spans)
    first, last = source.line_of(spans[0][0]), source.line_of(max(spans[-1][0], spans[-1][1] - 1))
    return text, str(first) if first == last else f"{first}-{last}"


def is_weak(method: str, score: float, years_only: bool) -> bool:
    return score < WEAK and (method == "wording" or (method == "figure" and years_only))


# ---------------------------------------------------------------------------
# The claims ledger
# ---------------------------------------------------------------------------
def summary(claims: list[Claim]) -> dict:
    n = len(claims)
    by = {m: sum(c.method == m for c in claims) for m in ("quotation", "figure", "wording")}
    return {"claims": n, **by, "weak": sum(c.status == "weak" for c in claims),
            "share": {m: round(100 * v / n, 1) if n else 0.0 for m, v in by.items()}}


def to_json(claims: list[Claim], extra: dict | None = None) -> str:
    data = {"summary": {**summary(claims), **(extra or {})},
            "rows": [{k: getattr(c, k) for k in CLAIM_FIELDS} for c in claims]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_csv(claims: list[Claim]) -> str:
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer)
    w.writerow(CLAIM_FIELDS)
    for c in claims:
        w.writerow([getattr(c, k) for k in CLAIM_FIELDS])
    return buffer.getvalue()


def review_report(claims: list[Claim]) -> str:
    """reports/claims-review.md: every claim whose passage is weak, for a reader to check by hand."""
    s = summary(claims)
    weak = [c for c in claims if c.status == "weak"]
    lines = ["# Claims to review", "",
             f"{s['claims']} claims: {s['quotation']} found by quotation ({s['share']['quotation']}%), "
             f"{s['figure']} by figure ({s['share']['figure']}%), {s['wording']} by wording "
             f"({s['share']['wording']}%). {len(weak)} have a weak passage (wording score under {WEAK}) "
             "and are listed here: check each against its source, then reword the claim, correct its locator "
             "or leave it (a paraphrase can be faithful and still score low).", ""]
    for c in weak:
        lines += [f"- `docs/{c.page}:{c.line}` [@{c.key}, {c.locator}] (score {c.score}, {c.method}): "
                  f"{c.sentence}", f"  - passage ({c.source_file}:{c.source_lines}): {c.passage}"]
    return "\n".join(lines) + "\n"
