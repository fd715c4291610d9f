"""Under `mkdocs serve`, what a stage made from the check's results reused while what it was made from is the same
(issue #23: a live reload after one edit of a primer ten times this size, where the ledgers' pages and downloads,
made again from every claim and figure on every rebuild, were a third of the rebuild).

A stage hands `reuse` the parts its output is made from and a function that makes it: the output kept from the
last rebuild under the sha256 of those parts is given back, otherwise the function is called and its output
kept. The parts are what the output reads, as values (the rows and claims by their repr, each decision of
primer.site.excerpts, each label, the chapter's file, the URLs); the code is not among them, since a
`mkdocs serve` process keeps the modules it imported. An output must not be changed by its user (strings,
tuples). Outside `mkdocs serve` (`kept` None) everything is made, every build. In memory only; after a build
that succeeds, only what it used is kept (`finish`).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from primer.build import cache_files

T = TypeVar("T")


class Reuse:
    def __init__(self, kept: dict | None):
        self.kept = kept                 # {key: output}, kept by the plugin across rebuilds; None: not under serve
        self.used: dict = {}
        self.stats = {"memory": 0, "misses": 0}

    def __call__(self, parts: list, make: Callable[[], T]) -> T:
        if self.kept is None:
            return make()
        key = cache_files.key(*parts)
        if key in self.kept:
            self.stats["memory"] += 1
            output = self.kept[key]
        else:
            self.stats["misses"] += 1
            output = make()
        self.used[key] = output
        return output

    def finish(self) -> None:
        """Keep only what this build used (the last build's outputs), so that memory does not grow."""
        if self.kept is not None:
            self.kept.clear()
            self.kept.update(self.used)
