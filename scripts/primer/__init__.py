"""primer: the logic of the dual-circulation primer, one package laid out as it imports (scripts/primer/).

- ``primer.checks``: the checks, with no MkDocs import (they run on Markdown in seconds, without a build):
  the figure, quotation and claims check (``primer.checks.figures``), the sources against their manifest,
  the links of a built site, the bibliography's lint.
- ``primer.site``: the site's parts, plain functions from data to Markdown or HTML: citation marks and notes,
  cite records and formats, charts, the print edition, the glossary, the ledgers' pages, corrections, reading.
- ``primer.build``: the MkDocs plugin (``primer.build.plugin``), whose events run the stages in the order the
  data flows, and the build's caches.
- The tools, one ``python -m primer.NAME`` each, the Makefile's verbs calling them: ``primer.bench``,
  ``primer.publish``, ``primer.published``, ``primer.linkcheck_external``, ``primer.add_source``.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project: this package is scripts/primer/
