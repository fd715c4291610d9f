"""What one MkDocs build's hooks hand each other. MkDocs loads each hook as a module of its own, so
they meet here, in the package, never by looking each other up in the config.

``set_figure_check(config, result)``   hooks/ledger.py: this build's figure check (None: it could not run)
``figure_check(config)``              hooks/charts.py: that result, for the same build only
``result_cache(config)``             the figure check's ResultCache (.cache/figures), one per build: the
                                      project (sources, passages index) is loaded at most once a build
``set_notes(page, notes)``            hooks/marks.py: a page's citation notes (HTML), in its content as slots
``with_notes(page)``                  hooks/print_edition.py: a page's content with its notes filled in,
                                      before hooks/marks.py fills them itself (after the search plugin has
                                      indexed the page: ~1,200 notes it would parse only to skip)
"""
from __future__ import annotations

from pathlib import Path

FIGURES_CACHE = ".cache/figures"  # the check's page results, in the project; key: figures.ResultCache (all inputs)


class NotRun(LookupError):
    """The figure check has not run in this build (its hook is missing, or later than the caller)."""


_figure_check: tuple = (None, None)  # (the build's config, its check's Result or None)
_result_cache: tuple = (None, None)  # (the build's config, its ResultCache)
_notes: dict = {}                    # {page's src_uri: [note HTML, …]}, this build's pages


def set_figure_check(config, result) -> None:
    global _figure_check
    _figure_check = (config, result)


def figure_check(config):
    """This build's figure check (a primer.checks.figures Result; None when it could not run). Raises NotRun
    when it has not run for CONFIG (a result of an earlier build of `mkdocs serve` is never handed on)."""
    owner, result = _figure_check
    if owner is not config:
        raise NotRun("mkdocs.yml: the figure check has not run in this build: hooks/ledger.py must be listed "
                     "under `hooks:` (its on_files runs at priority -40, before the hooks that use its result)")
    return result


def set_notes(page, notes: list[str]) -> None:
    _notes[page.file.src_uri] = notes


def notes(page) -> list[str]:
    """PAGE's notes, handed over once: hooks/marks.py fills them into the page's content."""
    return _notes.pop(page.file.src_uri, [])


def with_notes(page) -> str:
    """PAGE's content with its notes in their slots, whether or not hooks/marks.py has filled them yet."""
    from primer.site.marks import fill_notes  # (scripts/primer/site/marks.py: the slots' one form)
    return fill_notes(page.content or "", _notes.get(page.file.src_uri, []))


def result_cache(config):
    """This build's figures.ResultCache on FIGURES_CACHE (hooks/glossary.py, hooks/ledger.py, hooks/marks.py)."""
    global _result_cache
    owner, cache = _result_cache
    if owner is not config:
        from primer.checks.figures import ResultCache  # (scripts/primer/checks/figures/cache.py)
        root = Path(config.config_file_path).resolve().parent
        cache = ResultCache(root / FIGURES_CACHE, root)
        _result_cache = (config, cache)
    return cache
