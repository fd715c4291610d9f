"""Sources and passages: the manifest and bibliography read (load_project), each vendored source indexed
once (SourceIndex: sentences, sections, locators -> Scope, the figures in each passage), and the
sentence boundaries both sides use. The claims check resolves its locators and passages here too."""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from primer.checks.figures.numbers import Figure, collapse_space, extract_figures, normalise_text
from primer.checks.figures.problems import BadInput, Problem


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


def _is_sentence_end(text: str, m: re.Match) -> bool:
    p = m.start()
    if text[p] == ".":
        j = p
        while j > 0 and (text[j - 1].isdigit() or text[j - 1] == "."):
            j -= 1
        if j < p and (j == 0 or text[j - 1] == "\n" or text[max(0, text.rfind("\n", 0, j) + 1):j].isspace()):
            return False                               # "7. " enumerating a list at the start of a line
        w = _WORD_BEFORE_RE.search(text, max(0, p - 24), p)
        if w:
            word = w.group(1)
            if (word + ".").lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word) \
                    or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
                return False
        k = m.end()
        while k < len(text) and text[k] in " \t\n":
            k += 1
        if k < len(text) and text[k].islower():
            return False                               # "approx. five", unknown abbreviations
    return True


def sentence_bounds(text: str, start: int, end: int) -> list[int]:
    """Offsets (within [start, end)) where a sentence ends."""
    out = []
    for m in _SENT_END_RE.finditer(text, start, end):
        if _is_sentence_end(text, m):
            out.append(m.end())
    return out


# ---------------------------------------------------------------------------
# Sources: manifest, bibliography, index
# ---------------------------------------------------------------------------
@dataclass
class Occurrence:
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
    return collapse_space(str(s).replace("’", "'").replace("‘", "'")).lower()


class SourceIndex:
    """One pass over a source: its figures by section / paragraph."""

    def __init__(self, key: str, file: str, text: str, locators: dict):
        self.key = key
        self.file = file
        self.text = text
        normalised = normalise_text(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", normalised)]
        nlines = len(self.line_starts)
        raw_lines = normalised.split("\n")
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
        figs = extract_figures(normalised, source=True, original=text)
        bounds = self._sentence_boundaries(normalised, raw_lines)
        self.bounds = bounds                         # sentence k runs from bounds[k-1] (0) to bounds[k] (the end)
        self.occ: list[Occurrence] = []
        self.by_key: dict = {}
        self.by_number: dict = {}
        self.by_unit: dict = {}
        for f in figs:
            line = bisect.bisect_right(self.line_starts, f.start)
            k = bisect.bisect_right(bounds, f.start)
            a = bounds[k - 1] if k else 0
            b = bounds[k] if k < len(bounds) else len(normalised)
            idx = len(self.occ)
            self.occ.append(Occurrence(f, line, self._where(line), _trim_sentence(text[a:b], f.start - a, f.end - a), k))
            self.by_key.setdefault(f.key, []).append(idx)
            for num in f.numbers:
                self.by_number.setdefault(num, []).append(idx)
            self.by_unit.setdefault((f.unit, f.hi is not None), []).append((f.lo, idx))
        for v in self.by_unit.values():
            v.sort(key=lambda p: p[0])
        self._scope_cache: dict = {}
        self._sentences_cache: dict = {}
        self._occ_by_sent: dict | None = None
        self.whole = self._scope("whole source", [(1, nlines)])

    # -- building ---------------------------------------------------------
    def _sentence_boundaries(self, text: str, raw_lines: list[str]) -> list[int]:
        bounds = set(sentence_bounds(text, 0, len(text)))
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
        loc = collapse_space(locator)
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

    # -- sentences (the claims check) ---------------------------------------
    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.bounds, offset)

    def sentence_span(self, k: int) -> tuple[int, int]:
        """(start, end) offsets of sentence k, leading and trailing whitespace left out."""
        a = self.bounds[k - 1] if k else 0
        b = self.bounds[k] if k < len(self.bounds) else len(self.text)
        while a < b and self.text[a].isspace():
            a += 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return a, b

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def range_offsets(self, a: int, b: int) -> tuple[int, int]:
        """The offsets of lines a..b (1-based, inclusive)."""
        end = self.line_starts[b] if b < len(self.line_starts) else len(self.text)
        return self.line_starts[a - 1], end

    def scope_sentences(self, scope: Scope) -> list[int]:
        """The sentences in a scope (each once, in order), without the empty ones."""
        cached = self._sentences_cache.get(scope.label.lower())
        if cached is not None:
            return cached
        out: list[int] = []
        for a, b in scope.ranges:
            start, end = self.range_offsets(a, b)
            for k in range(self.sentence_of(start), self.sentence_of(max(start, end - 1)) + 1):
                s, e = self.sentence_span(k)
                if e > s and k not in out and start <= s < end:
                    out.append(k)
        self._sentences_cache[scope.label.lower()] = out
        return out

    def occurrences_in(self, k: int) -> list[int]:
        """The figures (occurrence indexes) of sentence k."""
        if self._occ_by_sent is None:
            self._occ_by_sent = {}
            for idx, o in enumerate(self.occ):
                self._occ_by_sent.setdefault(o.sent, []).append(idx)
        return self._occ_by_sent.get(k, [])

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
    return collapse_space(s)


@dataclass
class Project:
    """Manifest, bibliography and source indexes for one repository root."""

    root: Path
    bib: dict                      # key -> file (as in references.bib) or None
    sources: dict                  # file -> SourceIndex or None when unusable
    listed: set                    # files the manifest lists
    problems: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)   # key -> EvidenceIndex: public evidence's kept passages
    roles: dict = field(default_factory=dict)      # source file -> roles.SourceRoles, made when first needed

    def source_for_key(self, key: str):
        """The text a citation of KEY is checked against: its vendored source, or its kept public-evidence passages."""
        file = self.bib.get(key)
        return self.sources.get(file) if file else self.evidence.get(key)


_INDEX_CACHE: dict = {}


def clear_index_cache() -> None:
    """Forget every source index (the benchmarks time a cold one)."""
    _INDEX_CACHE.clear()


def read_manifest(root: Path) -> list[dict]:
    path = root / MANIFEST
    if not path.is_file():
        raise BadInput(f"{MANIFEST} is missing under {root} (it lists the vendored sources); "
                       f"run from the repository root or pass --root")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise BadInput(f"{MANIFEST} is not valid UTF-8 at byte offset {e.start}") from None
    except yaml.YAMLError as e:
        raise BadInput(f"{MANIFEST} is not valid YAML: {collapse_space(str(e))}") from None
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
        raise BadInput(f"{BIBFILE} cannot be read: {collapse_space(str(e))}") from None
    out = {}
    for key, entry in bib.entries.items():
        f = entry.fields.get("file")
        out[key] = str(f).strip() if f else None
    return out


def load_project(root=".") -> Project:
    """Read manifest and bibliography and index every listed source (BadInput if impossible)."""
    root = Path(root).resolve()
    entries = read_manifest(root)
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
    from primer.checks.figures import evidence  # evidence.py builds on this module's SourceIndex
    project.evidence, problems = evidence.load(root, bib)
    project.problems.extend(problems)
    return project
