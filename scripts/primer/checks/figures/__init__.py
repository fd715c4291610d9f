"""Figure check: every figure and quotation in the chapters against the source passage it cites, and
each cited unit's own passage (its claim).

Run from the repository root::

    python -m primer.checks.figures [PATH ...] [--root DIR] [--json FILE] [--csv FILE]

PATH is a Markdown file or a folder (searched for ``*.md``); the default is every
``docs/**/*.md`` and the words of ``glossary.yaml`` and ``charts.yaml`` (``data_files``). Exit status: 0 when every figure maps to its source, 1 when the check
found a problem, 2 when bad input prevents checking (no manifest, unreadable
bibliography, a PATH that does not exist). Problems are printed one per line, place
first (``docs/x.md:LINE:COL: ...``), followed by a summary line.

API (used by the build's figure-ledger stage; no MkDocs import here)
-----------------------------------------------------------
``check(paths=None, root=".", project=None) -> Result``
    Check the pages (files or folders; default ``ROOT/docs``). Pass a ``project`` from
    ``load_project`` to reuse the source indexes across calls.
``load_project(root) -> Project``
    Read ``sources/manifest.yaml``, ``references.bib`` and index every vendored source
    once (one pass per source; cached per file content for the whole process). Raises
    ``BadInput`` when the check cannot run at all.
``check_markdown(text, page, project, display_path=None) -> Result``
    Check one page given as text (used by the mutation test and the build).
``ResultCache(folder, root)``
    Results kept on disk between runs, keyed by everything they depend on (the build uses it:
    ``check(..., cache=...)``, ``cache.check_markdown(text, page, display_path)``).
``extract_figures(text, source=False) -> list[Figure]``
    The figure parser shared by chapters and sources.
``write_json(result, path)`` / ``write_csv(result, path)``
    Write the ledger.

``Result`` has ``.problems`` (``Problem`` objects: ``path``, ``line``, ``col``,
``message``; ``str()`` gives the printed line), ``.rows`` (``Row`` objects), ``.pages``,
``.ok`` and ``.summary()``.

Ledger rows (``Row`` fields, also the JSON keys and CSV columns, in this order):
``page`` (docs-relative path), ``line``, ``col`` (1-based), ``figure`` (as written),
``value`` (normalised: a plain decimal string, a range as ``LO..HI``; money and
``million``/``billion``/``trillion`` are multiplied out), ``unit`` (``percent``, ``pp``
percentage points, ``bp``, ``USD``/``CNY``/``EUR``/``HKD``/``GBP``, ``count``, ``year``,
``years``/``months``/``weeks``/``days``/``decades``, ``decade`` for "1980s", ``ordinal``,
``nm``, ``times``), ``kind`` (``sourced``, ``derived``, ``editorial``), ``status`` (``ok``;
``problem``; ``unchecked`` when its citation is broken and reported as such; ``skipped``
for editorial numbers), ``key``, ``locator`` (as written; empty when the citation has
none), ``source_file``, ``source_line``, ``source_sentence`` (whitespace-collapsed),
``formula`` (derived figures only), ``match`` (``sentence``: found in the source sentence(s) its unit's
claim rests on; ``section``: only elsewhere in the cited section, weaker).

Claims and quotations (``claims``, ``claim_check``, ``quotations``)
--------------------------------------------------------------------
A work of public evidence whose passages sources/evidence.yaml keeps (``evidence``) is a source with a text for
every check below: its external figures too are looked for in its passages; a citation of public evidence with
no kept passage is counted and listed (``Result.evidence``, ``Result.unkept``). An absence claim (``absence``)
rests on a search of the whole source instead of a passage (claim method ``absence``).

Each unit citing a source with a text is matched, per citation, to the source sentence(s) it rests on
inside the cited passage: the sentence holding its quotation, else its figures, else the closest in
wording (rapidfuzz). ``Result.claims`` holds one ``Claim`` per unit and citation (page, line, col,
sentence, key, locator, passage, source_file, source_lines, method quotation|figure|wording, score,
status ok|weak, highlight, cites, sentences); ``Result.quotations`` counts the quotations. Every
quotation (double quotes, straight or typographic) in such a unit must be in a cited passage word for
word, with the differences quotations.py allows; a translation or mention marked with
``<span class="translation">`` / ``<span class="mention">`` is exempt. A figure is looked for in its
claim's passage first; found only elsewhere in the section while that passage holds another figure of
the same unit (in digits) that the unit does not quote, it is a swapped figure: a problem.

What is a figure, and what is not (chapter side)
------------------------------------------------
Digits (thousands separators, decimals), percentages, percentage points, money with a
currency and scale, ranges (``1.5–2 percent``, ``2018-2022``, ``two to three years``),
years, decades, digit ordinals (``14th``) and number words (two…twenty, thirty…ninety,
hundred, thousand, dozen). Not figures: code, URLs and link targets, citation blocks
with their locators, front matter (but its ``title`` and ``description``: see below), HTML tags and attributes, attribute lists and
footnote labels, list markers, bracketed reference numbers such as ``[7]``, locator-like
references in prose (``section 4.2``, ``Table 1``, ``fig. 1``, ``references 7 and 8``,
``para. 9``, ``item 3``, ``line 12``...), identifiers where digits touch letters
(``5G``, ``COVID-19``, ``G20``), DOIs, fractions and ratios written with ``/`` or ``:``,
Chinese characters. The word **one** is not a figure (it is overwhelmingly a pronoun:
"one of the AI hubs"), except in "one hundred/thousand/million/billion". Ordinal words
(first, second, twenty-first) are not figures in a chapter (in a source they are indexed,
so ``5th`` in a chapter can match "fifth"). The fixed term ``two-way`` is not a figure.
Qualifiers stay out of the value: ``240 +``, ``240+``, "more than 240", "exceeding 70
percent" and "50 percent-plus" are 240, 240, 240, 70 percent and 50 percent. A leading
ASCII hyphen is never a minus sign (``2018 - 2022`` is a range); write U+2212 (−) for a
negative number.

Scope: a figure is checked against the citations of its unit: the sentence (a citation
block standing alone after the full stop belongs to the sentence before it; a bold run-in
lead such as "**The 2020 turn.**" belongs to the sentence after it), the table row, the
list item, the heading or the admonition title.

Matching: same unit and same value after normalising (``46.9%`` = "46.9 percent",
``US$56.3 billion`` = "US \\$56.3 billion", ``seven`` = 7); a percentage is never a
percentage point, a count or money; a range matches a range with the same ends ("between
X and Y" is a range; "from X to Y" is two figures). Years follow "the same integer
anywhere in the cited passage": a year also matches the end of a year range there, and a
year range matches when both its years occur there. A citation's locator narrows the
passage (``sec. 4`` includes 4.1 and 4.2); without a locator the whole source is searched.

Roles (``roles``): a figure is matched with what it counts, the content words after it (or, in a table or
after "Label:", its label before it). Among the cited section's occurrences of its value, those whose neighbourhood
shares a word with its role are its own; when none is, and the passage gives another value of the same unit in its
role, it is a swapped figure (a problem). A day of a month (``14 July``, ``May 14``) must stand in the section as a
day of that month.

Attribution: a quotation in a unit that cites nothing is a problem, as a figure is (a heading or an admonition title
may quote words the page quotes and cites; the quotes of an admonition's title are its syntax); so is what is left of
a citation once the blocks are read, an unclosed ``[@key, sec. 1`` or a bare ``@key``.

Front matter (``front_matter``): the ``title`` and ``description`` carry no citation, so each figure in them must
be one of the page's verified (or editorial, or cited external) figures, each quotation words the page quotes and
cites or marks as a mention, and a citation in them is a problem. Data files (``data_files``): glossary.yaml's
English, Chinese and definition of each term are checked against its ``cite``, charts.yaml's title, alt text and
caption of each chart (quotations only: no numbers at all is charts.yaml's own rule) against the rows its points
select, each at the file's own line; their problems join the result, their rows and claims do not.

Derived figures (``<span class="derived" data-formula="82.9 - 66.2">16.7</span>``): the
formula is parsed with ``ast`` (numbers, + - * / and parentheses only; nothing is
executed), evaluated exactly with ``Decimal`` and compared at the written precision; each
operand must occur as a number in a cited passage, except 100 as the percent factor
(``5 / 41.1 * 100``). Editorial numbers (``<span class="editorial">four</span>``) are
recorded in the ledger and not checked.

Modules (each named for what it holds; the command line is ``python -m primer.checks.figures``)
-----------------------------------------------------------------------------------------
``numbers``         numbers and units: the figure parser shared by chapters and sources
``formulas``        derived figures' arithmetic, exact, without eval
``passages``        the manifest, the bibliography and each vendored source's index: locators to passages
``markdown_units``  a chapter masked to its prose, its citation blocks, its units (sentence, row, item...)
``checker``         each figure of a unit against its cited passages; ``check`` and ``check_markdown``
``ledger``          ``Row``, ``Result`` and the JSON/CSV ledger
``quotations``      quotations: found in a unit, matched verbatim with the allowed differences
``claims``          how a claim's passage is found, ``Claim``, the claims ledger and review report
``claim_check``     one unit's quotations verified and its claims found (called by the checker)
``evidence``        public evidence's kept passages (sources/evidence.yaml), indexed like a source; schema problems
``absence``         absence claims: ``<span class="absent" data-searched="…">``, a search of the whole source
``cache``           ``ResultCache``: results kept between runs, keyed by every input and the code
``roles``           what a figure counts: its role in a chapter and in a source, and whether two agree
``front_matter``    a page's title and description against what its text states
``data_files``      glossary.yaml and charts.yaml as pages, their words where they stand
``problems``        ``Problem`` and ``BadInput``
``cli``             the command line
"""
from __future__ import annotations

from primer.checks.figures.cache import ResultCache
from primer.checks.figures.checker import check, check_markdown
from primer.checks.figures.cli import main
from primer.checks.figures.formulas import FormulaError, evaluate_formula
from primer.checks.figures.ledger import ROW_FIELDS, Result, Row, to_csv, to_json, write_csv, write_json
from primer.checks.figures.numbers import Figure, extract_figures
from primer.checks.figures.passages import BIBFILE, DOCS_DIR, MANIFEST, Project, SourceIndex, load_project, load_yaml
from primer.checks.figures.problems import BadInput, Problem

__all__ = [
    "BIBFILE", "DOCS_DIR", "MANIFEST", "ROW_FIELDS", "BadInput", "Figure", "FormulaError", "Problem", "Project",
    "Result", "ResultCache", "Row", "SourceIndex", "check", "check_markdown", "evaluate_formula", "extract_figures",
    "load_project", "load_yaml", "main", "to_csv", "to_json", "write_csv", "write_json",
]
