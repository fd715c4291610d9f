"""primer.checks.figures.markdown_units: the unit a citation covers, and what in a chapter is not a figure.

Each builds a small project in a temporary folder (tests/figure_check/small_project.py) unless it
says it uses the real sources."""
from __future__ import annotations

from figure_check.small_project import A, B, messages, one_problem, run, sourced


# ---------------------------------------------------------------------------
# Scope of a citation
# ---------------------------------------------------------------------------
def test_no_citation(tree):
    msg = one_problem(run(tree, "It rose to 46.9%.\n"))
    assert msg.startswith('docs/page.md:1:12: figure "46.9%" has no citation in its sentence')


def test_citation_of_the_next_sentence_does_not_count(tree):
    r = run(tree, "It rose to 46.9%. The year was 2022 [@alpha2024report, sec. 1.1].\n")
    assert messages(r) == ['docs/page.md:1:12: figure "46.9%" has no citation in its sentence; cite its source '
                           'with a locator, or mark the primer\'s own number <span class="editorial">…</span>']


def test_citation_after_the_full_stop_belongs_to_the_sentence(tree):
    assert run(tree, "It rose to 46.9%. [@alpha2024report, sec. 1.1]\n").ok


def test_abbreviations_do_not_end_a_sentence(tree):
    text = ("The share, e.g. 46.9% of GDP, was noted by Smith et al. in the U.S. (approx. 2% of output) "
            "in sec. 1 [@alpha2024report, sec. 1.1].\n")
    assert run(tree, text).ok


def test_bold_run_in_lead_belongs_to_the_next_sentence(tree):
    assert run(tree, "**The 2022 turn.** The share rose to 46.9% [@alpha2024report, sec. 1.1].\n").ok


def test_citation_with_several_works(tree):
    r = run(tree, "It was 46.9% and 53,000 firms [@alpha2024report, sec. 1.1; @beta2023brief, para. 2].\n")
    assert r.ok, messages(r)
    assert [row.key for row in sourced(r)] == [A, B]


def test_table_row_is_the_unit(tree):
    text = ("| Figure | Source |\n|---|---|\n| 46.9% | [@alpha2024report, sec. 1.1] |\n| 53,000 | none |\n")
    r = run(tree, text)
    assert one_problem(r).startswith('docs/page.md:4:3: figure "53,000" has no citation in its table row')
    assert sourced(r)[0].status == "ok"


def test_list_item_is_the_unit(tree):
    text = "- The share was 46.9%\n  in 2022 [@alpha2024report, sec. 1.1].\n- It had 53,000 firms.\n"
    msg = one_problem(run(tree, text))
    assert msg.startswith('docs/page.md:3:10: figure "53,000" has no citation in its list item')


def test_heading_is_its_own_unit(tree):
    msg = one_problem(run(tree, "## The 46.9% share\n\nIt was large [@alpha2024report, sec. 1.1].\n"))
    assert msg.startswith('docs/page.md:1:8: figure "46.9%" has no citation in its heading')


def test_admonition_body_and_title(tree):
    body = '!!! note "Key points"\n\n    - The share was 46.9% [@alpha2024report, sec. 1.1].\n'
    assert run(tree, body).ok
    msg = one_problem(run(tree, '!!! note "Since 2022"\n\n    Text.\n'))
    assert "has no citation in its admonition title" in msg


# ---------------------------------------------------------------------------
# What is not a figure in a chapter
# ---------------------------------------------------------------------------
def test_locator_like_references_are_not_figures(tree):
    text = ("See section 4.2, sec. 4, Table 1, Figure 2, fig. 1, reference 7, references 7 and 8, ref. 7, "
            "para. 9, paragraph 9, item 3, line 12, Section\n5.1 and SECTION 3 for details.\n")
    r = run(tree, text)
    assert r.ok and r.rows == []


def test_markdown_that_is_not_prose_has_no_figures(tree):
    text = """---
title: Page 2025
description: Numbers
weight: 99
---

# Dual circulation {#sec-4 .x}

```python
x = 12345
```

~~~
2024
~~~

Run `make 2025` or see <https://example.org/2024/55> and https://example.org/a/77, [the site](https://example.org/88 "t 99"),
![chart](img/2023.png), a reference link [here][ref9], an email a1@example.org, a note[^12] and a marker [7].
<img src="a.png" width="300"> <div data-x="5" markdown>Text.</div> <!-- 42 hidden -->
One of them is the first; two-way trade; the 5G network; COVID-19; 双循环 二十 (shuāng xúnhuán).

[ref9]: https://example.org/999
[^12]: A note.
"""
    r = run(tree, text)
    assert r.ok, messages(r)
    assert r.rows == []


def test_citation_locators_are_not_figures(tree):
    r = run(tree, "It was large [@alpha2024report, sec. 1.1; @beta2023brief, para. 3].\n")
    assert r.ok and r.rows == []
