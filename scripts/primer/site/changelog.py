"""The primer's corrections log: CHANGELOG.md, read edition by edition, and each page's share of it.

    python -m primer.site.changelog                                   # check CHANGELOG.md against docs/
    python -m primer.site.changelog docs/primer/domestic-circulation.md   # that page's corrections note

CHANGELOG.md (at the repository's root) records what changed in the *content* of each edition.
Its shape, Keep-a-Changelog-like:

    ## [0.2.0] - 2026-03-01                 an edition: its number, then its release date,
    ## [0.2.0] - not yet released           or words saying it is not released yet
    ### Corrected                           a kind: Added, Changed, Corrected, Fixed, Removed
    - The share of ... is 46.8%, not 46.9% (`docs/sources/guangdong-technological-brief.md`).

Text before the first edition is free (the file's introduction). Every entry is a list item under
an edition and a kind; it names each page it concerns by its path in the repository
(`docs/….md`, optionally with `#anchor`). An entry under Added records where a page first
appeared; every other kind is a correction, listed on the pages it names (primer.build.stages.corrections).
Editions are listed newest first, and the newest is mkdocs.yml's `extra.primer.version`: bumping the
version without saying what changed fails the build.

`parse(text)` returns the editions and the problems, each one line naming CHANGELOG.md:LINE;
`check_pages` adds one for every named page that is not a page of the site; `note(...)` is the
Markdown a page shows. No MkDocs import: primer.build.stages.corrections is the MkDocs side.
"""
from __future__ import annotations

from primer import ROOT

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

FILE = "CHANGELOG.md"
ADDED = "Added"
CORRECTION_KINDS = ("Changed", "Corrected", "Fixed", "Removed")
KINDS = (ADDED, *CORRECTION_KINDS)
NOTE_ID = "page-corrections"  # the id of the note on every page

_EDITION_RE = re.compile(r"^##\s+\[(?P<version>\d+\.\d+\.\d+)\](?:\s+[-–—]\s+(?P<status>\S.*?))?\s*$")
_KIND_RE = re.compile(r"^###\s+(?P<kind>.+?)\s*$")
_ITEM_RE = re.compile(r"^[-*]\s+(?P<text>\S.*)$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A page named in an entry: docs/....md, optionally with its #anchor.
PAGE_RE = re.compile(r"(?<![\w/.-])(?P<path>docs/[A-Za-z0-9_./-]+?\.md)(?:#(?P<anchor>[\w-]+))?(?![\w/-])")


@dataclass(frozen=True)
class Entry:
    kind: str
    text: str  # the entry's Markdown, its lines joined
    line: int  # where it starts in CHANGELOG.md
    pages: tuple[str, ...]  # the docs/….md paths it names, in order, once each

    @property
    def is_correction(self) -> bool:
        return self.kind != ADDED


@dataclass
class Edition:
    version: str
    status: str  # what follows the number: a date, or words such as "not yet released"
    line: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def released(self) -> str | None:
        """The release date (YYYY-MM-DD), or None for an edition not yet released."""
        return self.status if _DATE_RE.match(self.status) else None

    def describe(self) -> str:
        return f"edition {self.version}" + (f" ({self.status})" if self.status else "")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def parse(text: str, source: str = FILE) -> tuple[list[Edition], list[str]]:
    """(editions newest first, problems). Each problem is one line: `CHANGELOG.md:LINE: what, how to fix`."""
    editions: list[Edition] = []
    problems: list[str] = []
    kind: str | None = None
    item: list | None = None  # [kind, first line number, [lines]]
    fence = False

    def close_item():
        nonlocal item
        if item is not None:
            entry_kind, number, lines = item
            body = " ".join(" ".join(lines).split())
            pages = tuple(dict.fromkeys(match.group("path") for match in PAGE_RE.finditer(body)))
            editions[-1].entries.append(Entry(entry_kind, body, number, pages))
            item = None

    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or line.lstrip().startswith(("```", "~~~")):
            continue
        if line.startswith("## ") or line.startswith("##\t"):
            close_item()
            match = _EDITION_RE.match(line)
            kind = None
            if not match:
                problems.append(f"{source}:{number}: heading {line.strip()!r} is not an edition; write "
                                "`## [X.Y.Z] - YYYY-MM-DD`, or `## [X.Y.Z] - not yet released` for the edition "
                                "being prepared (its number is mkdocs.yml's extra.primer.version)")
                editions.append(Edition("?", "", number))
                continue
            version, status = match.group("version"), (match.group("status") or "").strip()
            if any(edition.version == version for edition in editions):
                problems.append(f"{source}:{number}: edition {version} is listed twice; merge its entries")
            elif editions and editions[-1].version != "?" and _version_key(version) > _version_key(editions[-1].version):
                problems.append(f"{source}:{number}: edition {version} comes after {editions[-1].version}; "
                                "list editions newest first")
            if not status:
                problems.append(f"{source}:{number}: edition {version} has no date; write "
                                f"`## [{version}] - YYYY-MM-DD`, or `## [{version}] - not yet released`")
            editions.append(Edition(version, status, number))
            continue
        if not editions:
            continue  # the introduction: free text
        if line.startswith("###"):
            close_item()
            match = _KIND_RE.match(line)
            kind = match.group("kind") if match else ""
            if kind not in KINDS:
                problems.append(f"{source}:{number}: {line.strip()!r} is not a kind of change; use one of "
                                f"{', '.join('### ' + k for k in KINDS)}")
                kind = "?"
            continue
        match = _ITEM_RE.match(line)
        if match:
            close_item()
            if kind is None:
                problems.append(f"{source}:{number}: entry before any kind of change; put it under "
                                f"one of {', '.join('### ' + k for k in KINDS)}")
                kind = "?"
            item = [kind, number, [match.group("text")]]
        elif item is not None and line[:1] in (" ", "\t") and line.strip():
            item[2].append(line.strip())  # the entry goes on, indented
        elif line.strip():
            close_item()  # free text under an edition (a summary): not an entry
    close_item()
    return editions, problems


def edition_of(extra: dict | None) -> str | None:
    """The edition being built: mkdocs.yml's extra.primer.version (the one place it lives)."""
    version = ((extra or {}).get("primer") or {}).get("version")
    return str(version) if version is not None else None


def check_version(editions: list[Edition], version: str | None, source: str = FILE) -> list[str]:
    """The newest edition must be the one being built (mkdocs.yml's extra.primer.version)."""
    version = str(version or "")
    known = [edition for edition in editions if edition.version != "?"]
    if not known:
        return [f"{source}:1: no edition; add `## [{version or 'X.Y.Z'}] - not yet released` and say what the "
                "edition contains"]
    if known[0].version != version:
        hint = (f"add `## [{version}] - not yet released` above it and record what changed"
                if not any(e.version == version for e in known) else "list editions newest first")
        return [f"{source}:{known[0].line}: the newest edition is {known[0].version}, but mkdocs.yml's extra.primer.version "
                f"is {version}; {hint}"]
    return []


def resolve(path: str, redirects: dict[str, str], docs_prefix: str = "docs/") -> str:
    """The page an entry's path names now: an old path in mkdocs-redirects' redirect_maps names the page it moved to."""
    src = path.removeprefix(docs_prefix)
    seen = set()
    while src in redirects and src not in seen:
        seen.add(src)
        src = redirects[src]
    return docs_prefix + src


def check_pages(editions: list[Edition], pages: set[str], redirects: dict[str, str] | None = None,
                source: str = FILE, docs_prefix: str = "docs/") -> list[str]:
    """One line per entry naming a page that is not a page of the site (`pages`: paths under docs/)."""
    problems = []
    for edition in editions:
        for entry in edition.entries:
            for path in entry.pages:
                now = resolve(path, redirects or {}, docs_prefix)
                if now.removeprefix(docs_prefix) not in pages:
                    moved = f" (moved to {now})" if now != path else ""
                    problems.append(f"{source}:{entry.line}: names {path}{moved}, which is not a page of the site; "
                                    "give the page's path under docs/, or add the move to plugins.redirects.redirect_maps in mkdocs.yml")
    return problems


@dataclass(frozen=True)
class PageLog:
    first: Edition | None  # the edition whose Added entries name the page, if any
    corrections: list[tuple[Edition, Entry]]  # newest edition first


def page_log(editions: list[Edition], page: str, redirects: dict[str, str] | None = None,
             docs_prefix: str = "docs/") -> PageLog:
    """What CHANGELOG.md says about one page (`page`: its path under docs/, e.g. primer/x.md)."""
    first, corrections = None, []
    for edition in editions:
        for entry in edition.entries:
            if not any(resolve(path, redirects or {}, docs_prefix) == docs_prefix + page for path in entry.pages):
                continue
            if entry.is_correction:
                corrections.append((edition, entry))
            else:
                first = edition  # editions run newest first: the last one seen is the oldest
    return PageLog(first, corrections)


# "<" before what HTML would read as a tag, a comment or a declaration, but not an autolink (no space before its ">")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>)")


def _inline(text: str) -> str:
    """An entry's text as safe inline Markdown for a page: no citation for mkdocs-bibtex to process,
    no footnote, no HTML (a "<" that would open a tag is shown: an autolink <https://…> stays one), and the docs
    paths as code."""
    text = text.replace("@", "&#64;").replace("[^", "[&#94;")
    text = _TAG_OPEN.sub("&lt;", text)
    return PAGE_RE.sub(lambda m: m.group(0) if text[max(0, m.start() - 1):m.start()] == "`" else f"`{m.group(0)}`",
                       text)


def report_url(template: str, page_path: str, title: str, version: str) -> str:
    """extra.report_error_url with {path}, {title} and {version} filled in (URL-encoded)."""
    for name, value in (("{path}", page_path), ("{title}", title), ("{version}", version)):
        template = template.replace(name, quote(value, safe=""))
    return template


def check_report_url(value, source: str = "mkdocs.yml") -> str | None:
    """Why extra.report_error_url is unusable, or None (unset is fine)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not re.match(r"^(https://[^/\s]+|mailto:[^\s@]+@[^\s@]+)", value):
        return (f"{source}: extra.report_error_url {value!r} is not an https:// or mailto: address; set it to "
                "where readers report errors (it may contain {path}, {title} and {version}), or leave it unset")
    return None


def note(log: PageLog, *, page_path: str, title: str, version: str, report: str | None) -> str:
    """The Markdown appended to a page: its corrections by edition and how to report an error."""
    # A <section>, not an <aside>: a complementary landmark inside <main> is an accessibility fault.
    lines = ["", f'<section class="primer-corrections" id="{NOTE_ID}" data-search-exclude="" markdown>', ""]
    since = f" (edition {log.first.version})" if log.first else ""
    if not log.corrections:
        lines += [f"**Corrections.** No corrections since first publication{since}.", ""]
    else:
        lines += [f"**Corrections** to this page since first publication{since}, newest first, as recorded in the "
                  f"primer's changelog (`{FILE}`):", ""]
        for edition, entry in log.corrections:
            when = edition.released or "not yet released"
            lines.append(f"- **Edition {edition.version}** ({when}), {entry.kind.lower()}: {_inline(entry.text)}")
        lines.append("")
    lines += [report_sentence(report, page_path, title, version), ""]
    lines += ["</section>", ""]
    return "\n".join(lines)


def report_sentence(report: str | None, page_path: str, title: str, version: str) -> str:
    """How to report an error (Markdown): a link to REPORT (extra.report_error_url, else the repository's issue
    tracker) with what a report should quote; without an address, what to quote and where corrections go."""
    if report:
        url = report_url(report, page_path, title, version)
        return (f'**Found an error?** [Report an error]({url}){{ .primer-corrections__report }}: quote the '
                "page's address, the section and the passage, and say what the source says.")
    return ("**Found an error?** The primer has no public address for reports yet. When you report one, "
            "quote the page's address, the section and the passage, and say what the source says; "
            f"corrections are recorded by edition in the primer's changelog (`{FILE}`) and listed here.")


def issues_url(repo_url: str | None) -> str | None:
    """The issue tracker of a repository on GitHub or GitLab (mkdocs.yml's repo_url), where reports go when
    extra.report_error_url is not set; None for any other address."""
    if repo_url and re.match(r"^https://(?:github\.com|gitlab\.com)/[^/]+/[^/]+/?$", repo_url):
        return repo_url.rstrip("/") + "/issues"
    return None


# --------------------------------------------------------------------------- command line

def load(path: Path) -> tuple[list[Edition], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], [f"{path.name}:1: missing; it records what changed in each edition (see scripts/primer/site/changelog.py)"]
    return parse(text, path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", nargs="?", help="a Markdown file under docs/: print its corrections note")
    args = parser.parse_args(argv)
    root = ROOT
    from primer.site import redirects as moved_pages
    from primer.checks.links import _mkdocs_config
    from primer.site.citation_formats import load_site, url_path  # (reads mkdocs.yml without MkDocs)

    config = _mkdocs_config(root)
    extra = config.get("extra") or {}
    redirects = moved_pages.in_data(config)
    editions, problems = load(root / FILE)
    problems += check_version(editions, edition_of(extra))
    # Whether each named page exists is checked by the build (primer.build.stages.corrections), which also
    # knows the pages generated at build time (bibliography, glossary, figure ledger, print edition).
    if args.page:
        rel = Path(args.page).resolve().relative_to(root / "docs").as_posix()
        site = load_site(root)
        print(note(page_log(editions, rel, redirects), page_path=url_path(rel), title=rel, version=site.version,
                   report=extra.get("report_error_url")))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not args.page and not problems:
        count = sum(len(e.entries) for e in editions)
        print(f"{FILE}: {len(editions)} edition(s), {count} entries, well formed (the build checks the pages "
              "they name)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
