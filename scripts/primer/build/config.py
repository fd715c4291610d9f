"""The primer plugin's options, as `mkdocs.yml` gives them under `plugins: - primer:` (all optional):

    plugins:
      - primer:
          pdf: auto          # the print edition's PDF: auto (when WeasyPrint can run), true or false
          cache_dir: .cache  # what a build can reuse (relative to mkdocs.yml); delete it at will
          reading:           # the reading time and the budgets a built page is held to (tests/test_reading.py)
            words_per_minute: 230
            thematic_max: 1500

MkDocs validates them with this schema, so a wrong option fails the build with MkDocs' own message
("Plugin 'primer' option 'pdf': …"). `PRIMER_PDF=0` in the environment still turns the PDF off (the tests'
throw-away builds, and anyone in a hurry), and `mkdocs serve` never makes it.
"""
from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from primer.site.reading import Budgets


class ReadingConfig(base.Config):
    """What a reader's time is measured in, and the budgets a built page is held to (primer.site.reading.Budgets
    says what each is; its defaults are these)."""
    words_per_minute = c.Type(int, default=Budgets.words_per_minute)
    thematic_max = c.Type(int, default=Budgets.thematic_max)
    key_points_max = c.Type(int, default=Budgets.key_points_max)
    landing_max = c.Type(int, default=Budgets.landing_max)
    short_source = c.Type(int, default=Budgets.short_source)
    short_source_max = c.Type(int, default=Budgets.short_source_max)
    mark_share_max = c.Type(float, default=Budgets.mark_share_max)


class PrimerConfig(base.Config):
    pdf = c.Choice(("auto", True, False), default="auto")
    cache_dir = c.Type(str, default=".cache")
    reading = c.SubConfig(ReadingConfig)
