"""Every word a reader sees is checked, and a figure keeps its role (issue 22, parts 3 and 4).

One row per planted defect: the check must report it at its own file's line (and column where it has one),
with the message a maintainer sees. Small-project rows run the checker directly on a planted page; the
rows marked "real" plant the defect in a copy of the real chapters, sources and data files.
"""
from __future__ import annotations

import re

import pytest

from figure_check.small_project import A, messages, run

BODY = f'The share rose to 46.9% in 2022, and tariffs "hit seven partners" [@{A}, sec. 1.1; @{A}, sec. 2].\n'


def front(title: str = "Growth", description: str = "How the share grew.") -> str:
    return f"---\ntitle: {title}\ndescription: {description}\n---\n\n# Growth\n\n{BODY}"


# (id, page Markdown, expected "path:line:col: message" start, a fragment of the message)
PAGE_CASES = [
    ("description wrong figure", front(description="The share rose to 47.9% in 2022."),
     'docs/page.md:3:32: figure "47.9%" in the description is not a figure this page states and the check verified',
     "this page states 46.9%"),
    ("description invented quotation", front(description='Tariffs "hit eight partners".'),
     'docs/page.md:3:22: quotation "hit eight partners" in the description is not quoted and cited',
     "quote them there, or drop the quotation marks"),
    ("description raw citation", front(description=f"The share grew [@{A}, sec. 1.1]."),
     f"docs/page.md:3:30: the description holds the citation [@{A}, sec. 1.1], which would be published as typed",
     "cite in the page's text and leave the description uncited"),
    ("title wrong figure", front(title='"Growth to 46.8%"'),
     'docs/page.md:2:19: figure "46.8%" in the title is not a figure this page states', "correct it"),
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
    good = front(title='"Growth to 46.9%"', description='Tariffs "hit seven partners", and "imports were" cited.')
    assert messages(run(tree, good.replace("imports were", "hit seven"))) == []
    assert re.search(r'page.md:1:\d+: quotation "exports were" has no citation in its heading',
                     "\n".join(messages(run(tree, page.replace('"imports', '"exports', 1)))))
