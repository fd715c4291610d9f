"""The glossary: glossary.yaml → the Glossary page and each page's hover tooltips (no MkDocs import).

- The page reference/glossary.md is generated from glossary.yaml (never typed twice): each term with
  characters, pinyin, English, a one-line cited definition, and the pages that use it (found by scanning
  docs/).
- Every page gets the terms as Markdown abbreviations (`*[GBA]: …`), so each occurrence shows its
  definition on hover (Material styles `abbr` tooltips). Each definition is a block of its own (see
  abbreviations()).
The build's glossary stage (primer.build.stages.glossary) adds the page, has its figures checked like any
chapter's, and appends the abbreviations to every page.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from primer.checks import figures
from primer.site.safe_html import text as as_text

DATA = "glossary.yaml"
PAGE = "reference/glossary.md"
REQUIRED = ("term", "english", "definition", "cite")


class GlossaryError(ValueError):
    """glossary.yaml cannot be used: the message names the file and the fix."""


def load(root: Path) -> list[dict]:
    path = root / DATA
    try:
        terms = figures.load_yaml(path.read_text(encoding="utf-8"))["terms"]
    except FileNotFoundError:
        raise GlossaryError(f"{DATA}: missing; it holds the glossary") from None
    except (yaml.YAMLError, KeyError, TypeError) as err:
        raise GlossaryError(f"{DATA}: cannot be read ({err.__class__.__name__}: {err}); fix the YAML") from None
    for number, term in enumerate(terms, start=1):
        missing = [field for field in REQUIRED if not term.get(field)]
        if missing:
            raise GlossaryError(f"{DATA}: term {number} ({term.get('term', '?')}) lacks {', '.join(missing)}")
        if re.search(r"[\u4e00-\u9fff]", term["term"]) and not term.get("pinyin"):
            raise GlossaryError(f"{DATA}: {term['term']} needs `pinyin` (with tone marks)")
    return terms


def triggers(term: dict) -> list[str]:
    return [term["term"], *term.get("aliases", [])]


def tooltip(term: dict) -> str:
    parts = [term.get("pinyin"), term["english"], term.get("chinese")]
    head = ", ".join(part for part in parts if part)
    definition = " ".join(term["definition"].split())
    return f"{head}: {definition}"


def read_pages(docs_dir: Path) -> dict[str, str]:
    """Every Markdown file under docs/, read once: docs-relative path -> text, in path order."""
    return {md.relative_to(docs_dir).as_posix(): md.read_text(encoding="utf-8")
            for md in sorted(docs_dir.rglob("*.md"))}


def pages_using(term: dict, docs_dir: Path, pages: dict[str, str] | None = None) -> list[str]:
    """The docs pages in which one of the term's triggers stands as a word (`pages`: read_pages(), if read)."""
    texts = read_pages(docs_dir) if pages is None else pages
    return [page for page, text in texts.items() if any(_as_word(t, text) for t in triggers(term))]


_WORD_CHAR = re.compile(r"\w")


def _as_word(word: str, text: str) -> bool:
    """Whether `word` stands in `text` as a word (no word character either side), as the regular expression
    (?<!\\w)WORD(?!\\w) would find it, but found with str.find: many times faster."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _WORD_CHAR.match(text, at - 1)) and not (end < len(text) and _WORD_CHAR.match(text, end)):
            return True
        at = text.find(word, at + 1)
    return False


def _title(docs_dir: Path, page: str, pages: dict[str, str] | None = None) -> str:
    text = pages[page] if pages is not None and page in pages else (docs_dir / page).read_text(encoding="utf-8")
    match = re.search(r"^title:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip().strip("\"'") if match else page


def render(terms: list[dict], docs_dir: Path) -> str:
    pages = read_pages(docs_dir)  # once, not once per term
    lines = [
        "---\ntitle: Glossary\ndescription: The Chinese policy terms and acronyms the sources use, with "
        "characters, pinyin, English and a cited definition.\n---\n",
        "# Glossary\n",
        "The Chinese policy terms and the acronyms the sources use. "
        '<span class="screen-only">Wherever a term appears in the primer, hovering over it shows its definition.</span> '
        "Where a source gives only the English, the characters are "
        "the standard Chinese term and the entry says the sources do not use them.\n",
    ]
    for term in terms:
        anchor = "term-" + re.sub(r"[^a-z0-9]+", "-", term["english"].lower()).strip("-")
        # every field is text: escaped, so that markup in glossary.yaml is shown, never run (primer.site.safe_html)
        lines.append(f"## {as_text(term['term'])} {{#{anchor}}}\n")
        facts = []
        if term.get("pinyin"):
            facts.append(f"**Pinyin:** {as_text(term['pinyin'])}")
        facts.append(f"**English:** {as_text(term['english'])}")
        if term.get("chinese"):
            facts.append(f"**Chinese:** {as_text(term['chinese'])}")
        lines.append("  \n".join(facts) + "\n")
        definition = as_text(" ".join(term["definition"].split()))
        lines.append(f"{definition} {as_text(term['cite'])}.\n")
        if term.get("in_sources") is False:
            lines.append("*The sources use the English term, not these characters.*\n")
        used = [page for page in pages_using(term, docs_dir, pages) if page != PAGE]
        links = ", ".join(f"[{as_text(_title(docs_dir, page, pages))}](../{page})" for page in used) or "none yet"
        lines.append(f"**Used on:** {links}\n")
    return "\n".join(lines)


def abbreviations(terms: list[dict]) -> str:
    """The terms as Markdown abbreviations, a blank line between each. One definition to a block:
    Python-Markdown tests a block against each block processor, then parses its first line and tests
    the rest again, so definitions on consecutive lines cost time as the square of their number."""
    return "\n\n".join(f"*[{t}]: {tooltip(term)}" for term in terms for t in triggers(term))
