"""Strict means strict, however `mkdocs build --strict` is run (issue #22).

MkDocs counts warnings for --strict with a handler on its `mkdocs` logger, and two of its own flags defeat
that count: `-q` raises the logger to ERROR, so no warning is ever made, let alone counted (mkdocs#4126:
a broken link, a missing anchor or a bad nav entry pass a strict build); `-v` lowers it to DEBUG, and MkDocs
collects the links to anchors only above DEBUG, so under `-v` no anchor is checked (mkdocs#3991).

`Strict` undoes both for one build: under `-q` the logger goes back to WARNING while its terminal handler
stays at ERROR (the output stays quiet); under `-v` the one logger that gates anchor links
(`mkdocs.structure.pages`, which logs no debug line of its own) stays at INFO. It counts every warning of
MkDocs, its plugins and this project (all log under `mkdocs`), and `check` stops the build with each of them
listed, so a quiet build still says what failed. `stop` puts the loggers back as they were.
"""
from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {' '.join(record.getMessage().split())}")


class Strict:
    def __init__(self, strict: bool) -> None:
        self.on = bool(strict)
        self.count = _Count()
        self.hidden = False   # whether the terminal shows no warning (-q)
        self._levels: list[tuple[object, int]] = []
        if self.on:
            self._start()

    def _start(self) -> None:
        logger = logging.getLogger("mkdocs")
        if logger.getEffectiveLevel() > logging.WARNING:   # -q (mkdocs#4126)
            self.hidden = True
            for handler in logger.handlers:
                self._levels.append((handler, handler.level))
                handler.setLevel(max(handler.level, logger.getEffectiveLevel()))
            self._levels.append((logger, logger.level))
            logger.setLevel(logging.WARNING)
        pages = logging.getLogger("mkdocs.structure.pages")
        if pages.getEffectiveLevel() <= logging.DEBUG:      # -v (mkdocs#3991)
            self._levels.append((pages, pages.level))
            pages.setLevel(logging.INFO)
        logger.addHandler(self.count)

    def check(self) -> None:
        """Stop the build if any warning was logged (before the PDF is made)."""
        if not (self.on and self.count.messages):
            return
        n = len(self.count.messages)
        listed = "".join(f"\n  {m}" for m in self.count.messages) if self.hidden else ""
        raise PluginError(f"strict mode: {n} warning{'s' * (n != 1)}, each a fault to fix"
                          + (" (shown here because -q hides them):" + listed if self.hidden else " (above)"))

    def stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.count)
        for thing, level in reversed(self._levels):
            thing.setLevel(level)
        self._levels.clear()
