"""The checks: the figure, quotation and claims check (``primer.checks.figures``), the sources against their
manifest (``sources``), the links of a built site (``links``), the bibliography's lint (``bib_lint``). No MkDocs
import: they run on Markdown and data in seconds, without a build, and would survive a move off MkDocs."""
