"""Public evidence with its passage: sources/evidence.yaml read and checked, each work's kept passages indexed
like a source (EvidenceIndex), so that the figure, quotation and claims checks verify a citation of public
evidence against the sentence(s) the claim rests on.

The file (documented in CONTRIBUTING.md, "Public evidence and its passages")::

    evidence:
      - key: xinhua2023establishes       # a references.bib entry without a `file` (public evidence)
        url: https://…                    # where the passage was read
        read: 2026-12-07                  # the date it was read (YYYY-MM-DD)
        archive: none                     # an archived copy's URL, or none
        published: 2023-05-18             # optional: the date the copy read gives for the page (not in its text)
        passages:
          - locator: para. 1              # where the passage stands in the original (as a citation writes it)
            text: >-                      # the sentence(s) the claim rests on, verbatim, no more than it needs
              The National Administration of Financial Regulation (NAFR) was officially set up on Thursday …

``published`` is kept as a passage of its own, ``date`` ("18 May 2023"), so that a chapter may give the date of
the page it cites. A citation ``[@key]`` rests on all of a work's kept passages, ``[@key, para. 1]`` on the one with that locator.
Each passage is indexed at its own line of the file, so a problem's "line N" is the line of evidence.yaml that
holds the passage's text. Every schema error is a Problem naming the file, its line and the fix.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from primer.checks.figures.numbers import collapse_space
from primer.checks.figures.passages import Scope, SourceIndex, _norm_id
from primer.checks.figures.problems import Problem

EVIDENCE = "sources/evidence.yaml"
MAX_WORDS = 120           # a kept passage quotes no more than a claim needs: a sentence or two
FIELDS = {"key", "url", "read", "archive", "published", "passages"}
PASSAGE_FIELDS = {"locator", "text"}
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class Work:
    """One public-evidence work's entry: where and when it was read, its kept passages."""
    key: str
    url: str
    read: str
    archive: str
    line: int
    passages: list = field(default_factory=list)    # (locator, text, line)

    @property
    def file(self) -> str:
        """The name its index goes by in the ledgers (one per work)."""
        return f"{EVIDENCE}#{self.key}"


class EvidenceIndex(SourceIndex):
    """A work's kept passages as a source: each passage one line, at the line of evidence.yaml holding its text;
    a locator names a passage by the locator it is kept under."""

    def __init__(self, work: Work):
        lines = max(line for _, _, line in work.passages)
        rows = [""] * lines
        sections = []
        for locator, text, line in work.passages:
            rows[line - 1] = collapse_space(text)
            sections.append({"id": locator, "start": line, "end": line})
        self.work = work
        super().__init__(work.key, work.file, "\n".join(rows) + "\n", {"sections": sections})

    def _where(self, line: int) -> str:
        for sec in self.sections.values():
            if sec.start == line:
                return f"kept passage {sec.id}"
        return "kept passage"

    def _resolve(self, loc: str) -> tuple[Scope | None, str]:
        if not loc:
            return self.whole, ""
        sec = self.sections.get(_norm_id(loc))
        if sec is not None:
            return self._scope(loc, [(sec.start, sec.end)]), ""
        kept = ", ".join(s.id for s in self.sections.values())
        return None, (f'locator "{loc}" names no passage kept for [@{self.key}] in {EVIDENCE} (kept: {kept}); '
                      f"cite one of them, or [@{self.key}] for all")


def is_kept_evidence(citation) -> bool:
    """Whether a citation (markdown_units.CitationRef) rests on a public-evidence work's kept passage."""
    return citation.status == "ok" and isinstance(citation.source, EvidenceIndex)


def _bad(problems: list, node, message: str) -> None:
    problems.append(Problem(EVIDENCE, node.start_mark.line + 1, node.start_mark.column + 1, message))


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _text_line(node) -> int:
    """The line (1-based) where a scalar's text begins: a block scalar's (`>-`, `|`) is the line after its mark."""
    return node.start_mark.line + (2 if node.style in (">", "|") else 1)


def _date(problems: list, node, name: str, what: str) -> datetime.date | None:
    value = _scalar(node) or ""
    try:
        if not _DATE_RE.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        _bad(problems, node, f'{name} "{value}" is not a date; write {what} as YYYY-MM-DD')
        return None


def _work(node, bib: dict, seen: dict, problems: list) -> Work | None:
    if not isinstance(node, yaml.MappingNode):
        _bad(problems, node, "an evidence entry must be a mapping with key, url, read, archive and passages")
        return None
    values = {}
    for k, v in node.value:
        name = _scalar(k)
        if name not in FIELDS:
            _bad(problems, k, f'unknown field "{name}"; an entry has {", ".join(sorted(FIELDS))}')
            continue
        values[name] = v
    missing = [f for f in ("key", "url", "read", "archive", "passages") if f not in values]
    if missing:
        _bad(problems, node, f"the entry needs {', '.join(missing)} (archive: an archived copy's URL, or none)")
        return None
    key = _scalar(values["key"]) or ""
    ok = True
    if key not in bib:
        _bad(problems, values["key"], f'key "{key}" is not in references.bib; add its entry there first')
        ok = False
    elif bib[key]:
        _bad(problems, values["key"], f'[@{key}] is a source document ({bib[key]}): cite its text, keep no '
                                      "passage of it here")
        ok = False
    elif key in seen:
        _bad(problems, values["key"], f"[@{key}] has an entry already at line {seen[key]}; put its passages there")
        ok = False
    url = _scalar(values["url"]) or ""
    if not re.match(r"https?://\S+$", url):
        _bad(problems, values["url"], f'url "{url}" is not a web address; give where the passage was read (https://…)')
        ok = False
    read = _scalar(values["read"]) or ""
    if _date(problems, values["read"], "read", "the day the passage was read") is None:
        ok = False
    published = None
    if "published" in values:
        published = _date(problems, values["published"], "published", "the date the copy gives for the page")
        ok = ok and published is not None
    archive = _scalar(values["archive"]) or ""
    if archive != "none" and not re.match(r"https?://\S+$", archive):
        _bad(problems, values["archive"], f'archive "{archive}" is neither a web address nor none; give the archived '
                                          "copy's URL, or none when there is none (never a guessed one)")
        ok = False
    work = Work(key, url, read, archive, node.start_mark.line + 1)
    listed = values["passages"]
    if not isinstance(listed, yaml.SequenceNode) or not listed.value:
        _bad(problems, listed, "passages must be a list of at least one passage (locator and text)")
        return None
    locators: set[str] = set()
    for p in listed.value:
        if not isinstance(p, yaml.MappingNode):
            _bad(problems, p, "a passage is a mapping with locator and text")
            ok = False
            continue
        got = {}
        for k, v in p.value:
            if _scalar(k) not in PASSAGE_FIELDS:
                _bad(problems, k, f'unknown field "{_scalar(k)}" in a passage; a passage has locator and text')
                ok = False
            else:
                got[_scalar(k)] = v
        if set(got) != PASSAGE_FIELDS:
            _bad(problems, p, "a passage needs locator (where it stands in the original: para. 2, sec. 3) and text "
                              "(the sentence or two the claim rests on, verbatim)")
            ok = False
            continue
        locator, text = collapse_space(_scalar(got["locator"]) or ""), collapse_space(_scalar(got["text"]) or "")
        if not locator or not text:
            _bad(problems, p, "a passage's locator and text must not be empty")
            ok = False
            continue
        if _norm_id(locator) in locators:
            _bad(problems, got["locator"], f'[@{key}] keeps a passage at "{locator}" already; join the two')
            ok = False
            continue
        words = len(text.split())
        if words > MAX_WORDS:
            _bad(problems, got["text"], f"the passage has {words} words, more than {MAX_WORDS}: keep only the "
                                        "sentence(s) the claim rests on")
            ok = False
            continue
        locators.add(_norm_id(locator))
        work.passages.append((locator, text, _text_line(got["text"])))
    if published is not None:
        work.passages.append(("date", f"{published.day} {published:%B %Y}", values["published"].start_mark.line + 1))
    seen.setdefault(key, work.line)
    return work if ok and work.passages else None


def load(root: Path, bib: dict) -> tuple[dict[str, EvidenceIndex], list[Problem]]:
    """({key: EvidenceIndex} of every well-formed entry of ROOT's sources/evidence.yaml, problems). BIB: the
    references.bib keys, each with its `file` or None. No file: no evidence kept, no problem."""
    path = Path(root) / EVIDENCE
    if not path.is_file():
        return {}, []
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
        try:
            doc = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # libyaml: fast
        except yaml.YAMLError:
            doc = yaml.compose(text, Loader=yaml.SafeLoader)   # PyYAML's parser says where and what it found
    except UnicodeDecodeError as e:
        return {}, [Problem(EVIDENCE, None, None, f"not valid UTF-8 at byte offset {e.start}; save it as UTF-8")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return {}, [Problem(EVIDENCE, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                            f"not valid YAML: {collapse_space(getattr(e, 'problem', None) or str(e))}; fix the "
                            "indentation or quote the text")]
    entries = None
    if isinstance(doc, yaml.MappingNode):
        entries = next((v for k, v in doc.value if _scalar(k) == "evidence"), None)
    if not isinstance(entries, yaml.SequenceNode):
        where = doc.start_mark.line + 1 if doc is not None else 1
        return {}, [Problem(EVIDENCE, where, 1, "the file holds no `evidence:` list; start it with `evidence:` and "
                                                "one entry per work (see CONTRIBUTING.md)")]
    kept: dict[str, EvidenceIndex] = {}
    seen: dict[str, int] = {}
    for node in entries.value:
        work = _work(node, bib, seen, problems)
        if work is not None:
            kept[work.key] = EvidenceIndex(work)
    return kept, problems


_SITE_ENTRIES: dict = {}   # site_entries by the project and its two files' state: a build asks four times


def _state(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def site_entries(root) -> dict[str, dict]:
    """What the site's popups and ledgers need of each kept work, by the name its passages go by: where to read
    the passage (its URL, with a text fragment), never a page of its own. Read again when either file changes."""
    from primer.checks.figures.passages import BIBFILE, _read_bib
    root = Path(root).resolve()
    key = (str(root), _state(root / EVIDENCE), _state(root / BIBFILE))
    if key not in _SITE_ENTRIES:
        kept, _ = load(root, _read_bib(root))
        _SITE_ENTRIES.clear()
        _SITE_ENTRIES[key] = {index.file: {"url": index.work.url, "republish": "passages",
                                           "archive": index.work.archive} for index in kept.values()}
    return dict(_SITE_ENTRIES[key])


def unkept_report(unkept: list) -> str:
    """The citations of public evidence with no kept passage, for reports/claims-review.md."""
    if not unkept:
        return ""
    lines = ["", "## Public evidence without a kept passage", "",
             f"{len(unkept)} citations of public evidence rest on no passage kept in `{EVIDENCE}`: none of them can "
             "be checked. Keep the sentence each claim rests on (CONTRIBUTING.md, \"Public evidence and its "
             "passages\"), or leave it listed here when its text could not be read.", ""]
    for page, line, col, key, sentence in unkept:
        lines.append(f"- `docs/{page}:{line}:{col}` [@{key}]: {sentence}")
    return "\n".join(lines) + "\n"
