"""Every word a reader sees is checked, and a figure keeps its role (issue 22, parts 3 and 4).

One row per planted defect: the check must report it at its own file's line (and column where it has one),
with the message a maintainer sees. Small-project rows run the checker directly on a planted page; the
rows marked "real" plant the defect in a copy of the real chapters, sources and data files.
"""
from __future__ import annotations

import re

import pytest

from figure_check.small_project import A, messages, run

# (id, page Markdown, expected "path:line:col: message" start, a fragment of the message)
PAGE_CASES = [
    ("uncited quotation",
     "Imports were large.\n\nThe brief says \"hit seven partners\" and more.\n",
     "docs/page.md:3:16: quotation \"hit seven partners\" has no citation in its sentence",
     'mark words the primer mentions rather than quotes <span class="mention">'),
    ("unclosed citation",
     f"The share rose to 46.9% in 2022 [@{A}, sec. 1.1 and then the text goes on.\n",
     f'docs/page.md:1:33: citation "[@{A}, sec. 1.1 and then the text goes on." is not closed, so it would be '
     'published as typed; close it with "]" right after its locator (',
     f'("[@{A}, sec. 1.1]")'),
    ("bare @key",
     f"As @{A} reports, the share rose [@{A}, sec. 1.1].\n",
     f'docs/page.md:1:4: "@{A}" is not a citation (no square brackets)',
     f"[@{A}, sec. …]"),
]


@pytest.mark.parametrize("markdown, where, fragment", [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES])
def test_a_planted_defect_on_a_page_is_reported_at_its_place(tree, markdown, where, fragment):
    result = run(tree, markdown)
    msgs = messages(result)
    assert not result.ok
    hit = [m for m in msgs if m.startswith(where)]
    assert hit and fragment in hit[0], msgs


def test_quotations_the_primer_marks_or_frames_are_not_uncited(tree):
    """A mention, an admonition's quoted title, and a heading quoting words its section quotes and cites."""
    page = (f'## What "imports were"\n\n'
            f'"Imports were" large [@{A}, sec. 2].\n\n'
            f'!!! note "Key points"\n    The word <span class="mention">"imports"</span> is the primer\'s.\n')
    assert messages(run(tree, page)) == []
    assert re.search(r'page.md:1:\d+: quotation "exports were" has no citation in its heading',
                     "\n".join(messages(run(tree, page.replace('"imports', '"exports', 1)))))
