"""Add a source document to the primer in one command (`make add-source`, CONTRIBUTING.md: "Adding a source").

    python -m primer.add_source --file FILE --key KEY --title TITLE --licence LICENCE --received HOW \\
        [--author AUTHOR] [--date YYYY-MM-DD|unknown] [--url URL] [--type TYPE] [--excerpt] [--name NAME]

Given a plain-text file (UTF-8) and what is known of it, it:
- copies the text, unchanged, to sources/NAME.txt and pins its SHA-256;
- appends its entry to sources/manifest.yaml, with `republish` derived from the licence (primer.site.licences:
  SPDX identifiers and the usual spellings are read) and section locators proposed from the text's headings
  ("1. Overview" gives `sec. 1`; an all-capitals line, a named section), printed for the maintainer to confirm;
  a text without headings is cited by paragraph;
- appends its BibTeX entry to references.bib in the house style (what is unknown said in `note`, never guessed);
- creates the source chapter's stub docs/sources/NAME.md (front matter, key points, an assessment linking a new
  section of the source notes), its entry in mkdocs.yml's nav, its row in docs/sources/index.md's table, and its
  section in docs/reference/source-notes.md.
The strict build passes right after; the chapter is then the maintainer's to write. Nothing is written when
anything is wrong: each problem is one line naming the fix.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from primer.checks.bib_lint import KEY_RE  # noqa: E402  (the house style: authorYEARword, `nd` for no year)
from primer.site import licences

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NUMBERED_RE = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+(\S.{0,100})$")
NAMED_RE = re.compile(r"^\s*([A-Z][A-Z0-9 ,:;'’&()/-]{2,80})\s*$")


class AddSourceError(ValueError):
    """What stops the source being added; one line each, naming the fix."""


@dataclass
class Source:
    key: str
    name: str
    title: str
    author: str | None
    date: str | None
    url: str | None
    licence: licences.Licence
    licence_text: str
    received: str
    kind: str
    excerpt: bool
    text: str
    data: bytes


def slug(text: str, words: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words]) or "source"


def yaml_str(value: str) -> str:
    """VALUE as a YAML scalar on one line (quoted, escaped)."""
    import json
    return json.dumps(value, ensure_ascii=False)


def bib_str(value: str) -> str:
    """VALUE for a BibTeX field: special characters escaped, acronyms and mixed-case words (COVID, McKinsey)
    protected by braces. Proper nouns in a title ({China}) are the maintainer's to brace: the command says so."""
    value = re.sub(r"([&%$#_])", r"\\\1", value)
    return re.sub(r"\b([A-Z]{2,}\w*|[A-Z][a-z]+[A-Z]\w*)\b", r"{\1}", value)


def propose_sections(text: str) -> list[dict]:
    """Sections proposed from the headings: numbered ("1. Overview" -> id 1), or a line in capitals (a named
    section). A line counts only when it is short and stands alone (a blank or no line before it)."""
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines, start=1):
        before = lines[number - 2].strip() if number > 1 else ""
        if before or len(line) > 100:
            continue
        numbered = NUMBERED_RE.match(line)
        if numbered and not re.search(r"[.!?]\s*$", numbered.group(2)):
            out.append({"id": numbered.group(1), "heading": line.strip(), "start": number})
            continue
        named = NAMED_RE.match(line)
        if named and len(named.group(1).split()) <= 8:
            name = named.group(1).strip().title()
            out.append({"id": name, "label": name[:1] + name[1:].lower(), "heading": line.strip(), "start": number})
    return out


def read(args, root: Path) -> Source:
    problems = []
    path = Path(args.file)
    data = b""
    if not path.is_file():
        problems.append(f"FILE={args.file}: not found; give the path of the source's plain-text file")
    else:
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(f"{args.file}: not UTF-8 at byte {err.start} (0x{data[err.start]:02x}); convert the file to "
                        "UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8) and add it again")
        text = ""
    if data and not text.strip():
        problems.append(f"{args.file}: empty; a source needs its text")
    if not KEY_RE.match(args.key or ""):
        problems.append(f"KEY={args.key}: a citation key is author, year (or nd when unknown) and a word, in "
                        "lowercase ASCII: smith2024trade, unicefndreport")
    bib = (root / "references.bib").read_text(encoding="utf-8")
    if re.search(rf"@\w+\{{{re.escape(args.key or '')},", bib):
        problems.append(f"KEY={args.key}: references.bib already has this key; choose another")
    if not (args.title or "").strip():
        problems.append("TITLE: give the source's title (or a bracketed description of an untitled one)")
    if args.date and args.date != "unknown" and not DATE_RE.match(args.date):
        problems.append(f"DATE={args.date}: write YYYY, YYYY-MM or YYYY-MM-DD, or unknown")
    if args.url and not args.url.startswith(("http://", "https://")):
        problems.append(f"URL={args.url}: an http(s) address, or leave it out when unknown")
    if not (args.received or "").strip():
        problems.append("RECEIVED: say how the text reached the primer (e.g. \"downloaded from URL on 2026-12-07\")")
    try:
        licence = licences.read(args.licence)
    except licences.LicenceError as err:
        problems.append(f"LICENCE={args.licence}: {err}")
        licence = None
    name = args.name or slug(args.title or args.key or "")
    if (root / "sources" / f"{name}.txt").exists() or (root / "docs" / "sources" / f"{name}.md").exists():
        problems.append(f"NAME={name}: sources/{name}.txt or docs/sources/{name}.md exists; give another NAME")
    if problems:
        raise AddSourceError("\n".join(problems))
    return Source(args.key, name, " ".join(args.title.split()), args.author or None,
                  None if args.date in (None, "", "unknown") else args.date, args.url or None, licence, args.licence,
                  " ".join(args.received.split()), args.type or "document", args.excerpt, text, data)


def manifest_entry(src: Source, sections: list[dict]) -> str:
    republish = "whole" if src.licence.open else "passages"
    today = dt.date.today().isoformat()
    unknown = [what for what, value in (("Author", src.author), ("Date of publication", src.date),
                                        ("Original address", src.url)) if not value]
    lines = [
        f"  - key: {src.key}",
        f"    file: sources/{src.name}.txt",
        f"    chapter: docs/sources/{src.name}.md",
        f"    sha256: {hashlib.sha256(src.data).hexdigest()}",
        f"    received_as: {yaml_str(src.received)}",
        f"    title: {yaml_str(src.title)}",
        f"    author: {yaml_str(src.author or 'unknown')}",
        "    affiliation: unknown",
        "    outlet: unknown",
        f"    type: {yaml_str(src.kind)}",
        "    dates:",
        f"      published: {src.date or 'unknown'}",
        f"      retrieved: {today}",
        f"    url: {src.url or 'unknown'}",
        f"    licence: {yaml_str(src.licence_text.strip())}",
        f"    extent: {'excerpt' if src.excerpt else 'whole'}",
        f"    republish: {republish}",
        f"    unknown: {yaml_str(('; '.join(unknown) + ' not stated.') if unknown else 'Nothing recorded as unknown.')}",
        "    locators:",
    ]
    if sections:
        lines.append("      sections:")
        for s in sections:
            label = f", label: {yaml_str(s['label'])}" if "label" in s else ""
            lines.append(f"        - {{id: {yaml_str(s['id'])}{label}, heading: {yaml_str(s['heading'])}, "
                         f"start: {s['start']}}}")
    else:
        lines += ["      paragraphs_after: 0", "      sections: []"]
    return "\n".join(lines) + "\n"


def bib_entry(src: Source) -> str:
    kind = "online" if src.url else "misc"
    fields = []
    if src.author:
        fields.append(("author", "{" + bib_str(src.author) + "}" if " and " in src.author else bib_str(src.author)))
    fields.append(("title", bib_str(src.title)))
    if not src.author:
        fields.append(("shorttitle", bib_str(src.title if len(src.title) < 40 else " ".join(src.title.split()[:4]))))
    if src.date:
        fields += [("year", src.date[:4]), ("date", src.date)]
    if src.url:
        fields.append(("url", src.url))
    missing = [what for what, value in (("author", src.author), ("date", src.date), ("online address", src.url))
               if not value]
    if missing:
        fields.append(("note", f"{', '.join(missing).capitalize()} not stated"))
    fields.append(("file", f"sources/{src.name}.txt"))
    width = max(len(name) for name, _ in fields)
    body = "\n".join(f"  {name.ljust(width)} = {{{value}}}," for name, value in fields)
    return f"\n@{kind}{{{src.key},\n{body}\n}}\n"


def chapter_stub(src: Source) -> str:
    who = src.author or "an author the text does not name"
    when = src.date or "an unknown date"
    return f"""---
title: {yaml_str(src.title)}
description: {yaml_str(f"What {src.title} says, summarised and checked against its text.")}
---

# {src.title}

{src.title} is a {src.kind} by {who}, dated {when}. The primer's summary of it is still to be written: this
page gives only what is known of the document.

!!! abstract "Key points"

    - What the document argues is still to be summarised here.

## Assessment and source notes

What is known and unknown of this document is recorded in the
[notes on the sources](../reference/source-notes.md#notes-{src.key}).
"""


def add(src: Source, sections: list[dict], root: Path) -> list[str]:
    """Write everything; return the files written or changed."""
    written = []
    target = root / "sources" / f"{src.name}.txt"
    target.write_bytes(src.data)
    written.append(str(target.relative_to(root)))
    manifest = root / "sources" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + manifest_entry(src, sections),
                        encoding="utf-8")
    written.append("sources/manifest.yaml")
    bib = root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    marker = "% ---------------------------------------------------------------------------\n% The ten works"
    at = text.find(marker)
    entry = bib_entry(src)
    text = text[:at].rstrip("\n") + "\n" + entry + "\n" + text[at:] if at >= 0 else text.rstrip("\n") + "\n" + entry
    bib.write_text(text, encoding="utf-8")
    written.append("references.bib")
    chapter = root / "docs" / "sources" / f"{src.name}.md"
    chapter.write_text(chapter_stub(src), encoding="utf-8")
    written.append(str(chapter.relative_to(root)))
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    last = max(i for i, line in enumerate(lines) if re.match(r"\s+- .*: sources/[\w-]+\.md\s*$", line))
    indent = re.match(r"(\s*)", lines[last]).group(1)
    label = src.title if len(src.title) <= 60 else " ".join(src.title.split()[:8]) + "…"
    lines.insert(last + 1, f"{indent}- {yaml_str(label)}: sources/{src.name}.md")
    config.write_text("\n".join(lines), encoding="utf-8")
    written.append("mkdocs.yml")
    index = root / "docs" / "sources" / "index.md"
    text = index.read_text(encoding="utf-8")
    rows = list(re.finditer(r"^\|.*\|\s*$", text, re.M))
    unknown = ", ".join(w for w, v in (("author", src.author), ("date", src.date), ("address", src.url)) if not v)
    row = (f"| [{label}]({src.name}.md) | {src.kind.capitalize()}" + (f" by {src.author}" if src.author else "")
           + f" | [{unknown.capitalize() or 'Nothing recorded'}](../reference/source-notes.md#notes-{src.key}) |")
    end = rows[-1].end()
    index.write_text(text[:end] + "\n" + row + text[end:], encoding="utf-8")
    written.append("docs/sources/index.md")
    notes = root / "docs" / "reference" / "source-notes.md"
    text = notes.read_text(encoding="utf-8")
    section = (f"## {src.title} {{ #notes-{src.key} }}\n\nNo problems recorded yet. What is unknown of the document: "
               f"{unknown or 'nothing recorded'}.\n\n")
    at = text.find("## Checked against other public evidence")
    text = text[:at] + section + text[at:] if at >= 0 else text.rstrip("\n") + "\n\n" + section
    notes.write_text(text, encoding="utf-8")
    written.append("docs/reference/source-notes.md")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True, help="the source's plain text (UTF-8)")
    parser.add_argument("--key", required=True, help="its citation key: authorYEARword, lowercase ASCII")
    parser.add_argument("--title", required=True)
    parser.add_argument("--author", help="author(s) or organisation; leave out when unknown")
    parser.add_argument("--date", help="YYYY[-MM[-DD]] or unknown")
    parser.add_argument("--url", help="the original's address; leave out when unknown")
    parser.add_argument("--licence", required=True, help="an SPDX identifier (CC-BY-4.0, CC0-1.0…) or `unknown`")
    parser.add_argument("--received", required=True, help="how the text reached the primer")
    parser.add_argument("--type", help="what kind of document (report, op-ed, web page…)")
    parser.add_argument("--excerpt", action="store_true", help="the text is an excerpt, not the whole document")
    parser.add_argument("--name", help="the file and page name (default: from the title)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project (default: the current folder)")
    args = parser.parse_args(argv)
    if not (args.root / "sources" / "manifest.yaml").is_file():
        print(f"{args.root}: not the primer's project (no sources/manifest.yaml); run it from the project's root",
              file=sys.stderr)
        return 2
    try:
        src = read(args, args.root)
    except AddSourceError as err:
        print(err, file=sys.stderr)
        return 2
    sections = propose_sections(src.text)
    written = add(src, sections, args.root)
    print(f"Added {src.key} ({src.licence.name}: {'the whole text republished' if src.licence.open else 'excerpts only'}).")
    print("Sections proposed from its headings (check them in sources/manifest.yaml):" if sections else
          "No headings found: it is cited by paragraph (para. N, the N-th non-empty line).")
    for s in sections:
        print(f"  sec. {s['id']}  line {s['start']}: {s['heading']}")
    print("Written: " + ", ".join(written))
    print(f"Next: write docs/sources/{src.name}.md (CONTRIBUTING.md: \"Writing a source chapter\"), then `make test`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
