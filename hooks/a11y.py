"""Accessibility fixes to Material's own markup that CSS and configuration cannot reach.

- Material 9.8.1's search dialog, `<div class="md-search" role="dialog">` (partials/search.html),
  has no accessible name (axe-core: aria-dialog-name). It is named after what it is, "Search".
  Should Material change that markup, nothing is replaced and the browser test of accessibility
  (tests/browser/test_accessibility.py) reports the dialog again.
"""
from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def on_post_page(output, page, config):
    return output.replace(SEARCH_DIALOG, NAMED_DIALOG, 1)
