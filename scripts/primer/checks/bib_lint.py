"""Lint references.bib: one line per problem, the place first.

    python -m primer.checks.bib_lint [references.bib]

Checks that the file parses, that keys are unique and follow the house style
(`authorYEARword`, lowercase ASCII, `nd` for an unknown year), that each entry
has the fields its type needs (or a `note` saying which are unknown), that DOIs are well formed, that `file` paths
exist, that page ranges use an en dash (CSL prints `--` literally), and that a
name list ends "and others" (printed "et al.", but made a person by Zotero's BibTeX import and citation.js)
only where `note` says the work's own list was not found.
Used by the build's citations stage (`primer.build.stages.citations`) (so a bad .bib fails the build
with a clear message) and by `tests/test_bibliography.py`.
Exit status: 0 clean, 1 problems found.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_string
from pybtex.scanner import PybtexError, PybtexSyntaxError

KEY_RE = re.compile(r"^[a-z]+(?:\d{4}|nd)[a-z0-9]+$")
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s\"<>{}]+$")
ENTRY_RE = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]*)\s*,", re.MULTILINE)
OTHERS_RE = re.compile(r"\band\s+others\s*[}\"]", re.IGNORECASE)
# what a `note` says where a work's own author list could not be found: "and others" stays, printed "et al."
LIST_NOT_FOUND_RE = re.compile(r"own (?:author|name) list was not found", re.IGNORECASE)
# How a `note` names a field it says is unknown ("Author, publisher, date and URL unknown"): a field the type
# needs may then be missing (unknown metadata is stated in `note`, never guessed).
UNKNOWN_NAMES = {"author": "authors?", "editor": "editors?", "institution": "publisher|institution|issuer",
                 "publisher": "publisher", "year": "dates?|year", "date": "dates?"}

# Fields each entry type must have ("title" everywhere; "author|editor" means either).
REQUIRED = {
    # an article's year, or where it is unknown (an undated op-ed) a note that says so
    "article": ["author", "title", "journal|journaltitle", "year|date|note"],
    "inproceedings": ["author", "title", "booktitle", "year"],
    "incollection": ["author", "title", "booktitle", "publisher", "year"],
    "book": ["author|editor", "title", "publisher", "year"],
    "techreport": ["author", "title", "institution", "year"],
    "report": ["author", "title", "institution", "year"],
    "misc": ["title", "note"],  # a misc entry must say what is unknown about it
    "online": ["title", "url"],
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def said_unknown(note: str, field: str) -> bool:
    """Whether NOTE says that FIELD (a field a type needs) is unknown: its name, then "unknown" or "not
    shown/stated" in the same clause."""
    words = UNKNOWN_NAMES.get(field)
    return bool(words and re.search(rf"\b(?:{words})\b[^.;]*\b(?:unknown|not (?:shown|stated))", note, re.I))


def _others_line(text: str, start: int | None, line: int) -> int:
    """The line of an entry's "and others" (from the entry's start), or the entry's own line."""
    if start is not None:
        end = text.find("\n@", start)
        found = OTHERS_RE.search(text, start, end if end >= 0 else len(text))
        if found:
            return _line_of(text, found.start())
    return line


def lint(bib_path: str | Path, root: str | Path | None = None) -> list[Problem]:
    """Return the problems in a .bib file (an empty list when it is clean)."""
    bib_path = Path(bib_path)
    root = Path(root) if root is not None else bib_path.parent
    shown = str(bib_path)
    try:
        text = bib_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Problem(shown, 0, "bibliography file not found; create it or fix `bib_file` in mkdocs.yml")]
    except UnicodeDecodeError as err:
        return [Problem(shown, _line_of(bib_path.read_bytes().decode("latin-1"), err.start),
                        f"not valid UTF-8 at byte {err.start}; save the file as UTF-8")]

    problems: list[Problem] = []
    lines_of: dict[str, list[int]] = {}
    starts: dict[str, int] = {}    # each entry's offset in the text, for the line of a field inside it
    for match in ENTRY_RE.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        if kind in ("comment", "preamble", "string"):
            continue
        line = _line_of(text, match.start(1))   # the line of the `@`, not of a blank line before it
        lines_of.setdefault(key.lower(), []).append(line)
        starts.setdefault(key.lower(), match.start(1))
        if not KEY_RE.match(key):
            problems.append(Problem(shown, line, f'key "{key}" breaks the house style authorYEARword '
                                    '(lowercase ASCII letters and digits, "nd" for an unknown year, no ":" or ".")'))
    for key, lines in lines_of.items():
        for line in lines[1:]:
            problems.append(Problem(shown, line, f'duplicate key "{key}" (first defined at line {lines[0]}); '
                                    'rename one of them'))

    # Parse with pybtex, the parser mkdocs-bibtex uses. A duplicate key is
    # already reported above with both lines, so parse without it to reach
    # any further problems.
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as err:
        line = getattr(err, "lineno", 0) or 0
        detail = str(err).split(": ", 1)[-1]
        problems.append(Problem(shown, line, f"malformed entry ({detail}); check the braces and the comma "
                                "after each field"))
        return problems
    except PybtexError as err:
        if problems and "repeated" in str(err).lower():
            return problems
        problems.append(Problem(shown, 0, f"cannot parse: {err}"))
        return problems

    seen_lines = {k: v[0] for k, v in lines_of.items()}
    for key, entry in data.entries.items():
        line = seen_lines.get(key.lower(), 0)
        kind = entry.type.lower()
        fields = {name.lower(): value for name, value in entry.fields.items()}
        has_people = {role.lower() for role, people in entry.persons.items() if people}
        required = REQUIRED.get(kind)
        if required is None:
            problems.append(Problem(shown, line, f'"{key}": entry type @{kind} is not one the primer uses '
                                    f"({', '.join('@' + k for k in REQUIRED)})"))
            required = ["title"]
        for need in required:
            options = need.split("|")
            if not any(opt in fields or opt in has_people or said_unknown(fields.get("note", ""), opt)
                       for opt in options):
                problems.append(Problem(shown, line, f'"{key}": @{kind} needs a `{need.replace("|", "` or `")}` field'
                                        + ("; state what is unknown in `note`" if need == "note" else "")
                                        + (", or a `note` saying it is unknown"
                                           if any(opt in UNKNOWN_NAMES for opt in options) else "")))
        doi = fields.get("doi")
        if doi is not None and not DOI_RE.match(doi.strip()):
            problems.append(Problem(shown, line, f'"{key}": DOI "{doi}" is not well formed (expected 10.NNNN/suffix, '
                                    "without https://doi.org/)"))
        pages = fields.get("pages", "")
        if "--" in pages or re.search(r"\d-\d", pages):
            problems.append(Problem(shown, line, f'"{key}": page range "{pages}" should use an en dash (–): '
                                    "CSL prints -- literally"))
        date = fields.get("date", "")
        if date and "year" not in fields:
            problems.append(Problem(shown, line, f'"{key}": has `date` but no `year`; add `year = {{{date[:4]}}}` '
                                    "(plain BibTeX and some importers read no `date`)"))
        for role, people in entry.persons.items():
            if any(str(person).lower() == "others" for person in people) \
                    and not LIST_NOT_FOUND_RE.search(fields.get("note", "")):
                problems.append(Problem(shown, _others_line(text, starts.get(key.lower()), line),
                                        f'"{key}": the {role.lower()} list ends "and others", which Zotero\'s BibTeX '
                                        'import and citation.js read as a person called "others"; give the full '
                                        "list the work shows (keep its byline in sources/evidence.yaml); only where "
                                        "it cannot be found, keep \"and others\" (printed \"et al.\") and say in "
                                        "`note` that the work's own author list was not found"))
        file_field = fields.get("file")
        if file_field is not None and not (root / file_field).is_file():
            problems.append(Problem(shown, line, f'"{key}": file "{file_field}" does not exist '
                                    f"(paths are relative to {root.resolve().name}/)"))
    problems.sort(key=lambda p: p.line)
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path("references.bib")
    problems = lint(path)
    for problem in problems:
        print(problem)
    print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
