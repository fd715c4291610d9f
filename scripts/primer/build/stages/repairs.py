"""Stage 5: repairs to the HTML that CSS and configuration cannot reach.

- No W3C Nu validator error of the project's own (primer.site.html_validity): an ``&`` that starts no
  character reference in a page's content becomes ``&amp;``, and Material's empty ``tabindex=""`` on
  navigation labels goes (also in 404.html, rendered apart from the pages).
- Material 9.8.1's search dialog, `<div class="md-search" role="dialog">` (partials/search.html), has no
  accessible name (axe-core: aria-dialog-name). It is named after what it is, "Search". Should Material
  change that markup, nothing is replaced and the browser test of accessibility
  (tests/browser/test_accessibility.py) reports the dialog again.
"""
from __future__ import annotations

import re

from primer.site import html_validity

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


_DERIVED = re.compile(r'<span class="derived" data-formula="([^"<>]*)">')
_FORMULA = re.compile(r"^[0-9.,\s+\-*/()×÷−–]+$")


def content(html: str) -> str:
    """A page's content, before any other stage reads it: stray ampersands escaped, and each figure the primer
    derives says so on hover (its formula, when it is only numbers and operators: Material's tooltips parse a
    title as HTML, so nothing else from a page goes into one)."""
    html = html_validity.escape_stray_ampersands(html)

    def explain(match):
        formula = match.group(1).replace("&#39;", "'")
        said = f": {formula}" if _FORMULA.match(formula) else ""
        return match.group(0)[:-1] + f' title="Computed by the primer from the sources\' figures{said}">'
    return _DERIVED.sub(explain, html)


def name_search_dialog(output: str) -> str:
    return output.replace(SEARCH_DIALOG, NAMED_DIALOG, 1)


def drop_empty_tabindex(output: str) -> str:
    return html_validity.drop_empty_tabindex(output)
