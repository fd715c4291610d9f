"""Footnotes for the primer plugin: Python-Markdown's footnotes, the same HTML in less time.

mkdocs-bibtex turns every citation of a work into a reference to that work's one footnote, so a
chapter refers to its own source's footnote some two hundred times, and the site some 2,600 times.
Python-Markdown 3.11 spends time on each reference twice over:
- It gives each reference after the first the id `fnref2:key`, `fnref3:key`, …, and finds the next
  free number by trying every number from 2 upwards: time as the square of the references to one
  footnote. This extension remembers where the last search stopped.
- It runs every later inline pattern over each reference's number ("12"), where none can match.
  This extension marks a number made of digits as final text (an AtomicString), as Python-Markdown
  marks the text it has already processed.
The HTML is the same (tests/test_footnotes.py compares it with Python-Markdown's own on every page of
the site, glossary abbreviations included). The one difference possible: Python-Markdown's abbr
extension leaves final text alone, so an abbreviation made of digits alone would no longer be marked
inside footnote numbers (the glossary has none, and a test keeps it so).
The `footnotes` entry of mkdocs.yml's markdown_extensions, and its options, are kept; only the class
is this one. One instance serves every page: each Markdown that MkDocs makes for a page resets it,
as it would a new one, and it keeps the parser of the last; a plugin that converted Markdown in the
middle of a page (Material's blog excerpts, macros; none here) would need a Markdown of its own.
"""
from __future__ import annotations

from markdown.extensions.footnotes import RE_REF_ID, FootnoteExtension, FootnoteInlineProcessor
from markdown.util import AtomicString
from mkdocs.exceptions import PluginError

NAMES = ("footnotes", "markdown.extensions.footnotes")


class FinalNumberInlineProcessor(FootnoteInlineProcessor):
    """A footnote reference whose number, when made of digits, is final text: no later inline pattern
    is run over it."""

    def handleMatch(self, m, data):
        sup, start, end = super().handleMatch(m, data)
        if sup is not None and sup[0].text.isdigit():
            sup[0].text = AtomicString(sup[0].text)
        return sup, start, end


class FastFootnoteExtension(FootnoteExtension):
    """FootnoteExtension whose unique_ref() resumes each reference's search where the last one ended,
    and whose references' numbers are final text."""

    def extendMarkdown(self, md) -> None:
        super().extendMarkdown(md)
        pattern = md.inlinePatterns["footnote"].pattern
        # in place of Python-Markdown's own, at the priority it registers it with
        md.inlinePatterns.register(FinalNumberInlineProcessor(pattern, self), "footnote", 175)

    def reset(self) -> None:
        super().reset()
        self.next_number: dict[str, int] = {}  # a reference -> the number its next duplicate tries first

    def unique_ref(self, reference: str, found: bool = False) -> str:
        if not found or reference not in self.used_refs:
            return super().unique_ref(reference, found)  # not a duplicate: the original's own path
        separator = self.get_separator()
        ref, _, rest = reference.partition(separator)
        match = RE_REF_ID.fullmatch(ref)
        if (not separator or separator[0] in "fnre0123456789" or separator not in reference
                or not (ref == "fnref" or match)):
            # an id the original numbers its own way: its separator may recur inside fnref2, fnref12…
            return super().unique_ref(reference, found)
        prefix, number = (match.group(1), int(match.group(2)) + 1) if match else (ref, 2)
        number = self.next_number.get(reference, number)
        candidate = f"{prefix}{number}{separator}{rest}"
        while candidate in self.used_refs:  # the original's loop, from where it last stopped
            number += 1
            candidate = f"{prefix}{number}{separator}{rest}"
        self.next_number[reference] = number + 1
        self.used_refs.add(candidate)
        self.found_refs[reference] = self.found_refs.get(reference, 0) + 1
        return candidate


def use_fast_footnotes(config) -> None:
    """mkdocs.yml's `footnotes` extension, with its options, replaced by FastFootnoteExtension."""
    names = [name for name in config.markdown_extensions if name in NAMES]
    if not names:
        raise PluginError("mkdocs.yml's markdown_extensions has no `footnotes`; add it: the primer plugin makes "
                          "each citation a footnote (primer.build.footnotes)")
    options = {}
    for name in names:
        options.update(config.mdx_configs.pop(name, None) or {})
    if options.get("UNIQUE_IDS"):  # one instance serves every page, so its prefix would count on from page to page
        raise PluginError("mkdocs.yml: the footnotes option UNIQUE_IDS is not supported by the primer plugin "
                          "(primer.build.footnotes); remove the option")
    at = config.markdown_extensions.index(names[0])
    config.markdown_extensions[:] = [name for name in config.markdown_extensions if name not in NAMES]
    config.markdown_extensions.insert(at, FastFootnoteExtension(**options))
