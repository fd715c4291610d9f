"""Under `mkdocs serve`, a page's marks and notes of the last rebuild reused while everything they were made from is the
same (issue #23: a live reload after one edit of a primer ten times this size, where every page's ~6,500 marks,
notes and passages were made again on every rebuild).

`Marks.mark` (primer.build.stages.marks) makes a page's marked Markdown and what its later steps take from it (the
notes' HTML in their slots, the anchors the notes link to, the works cited) from
- the page's Markdown as the stages before it left it and as its file has it, its source path and URL, the docs
  folder, and the figure check's claims on that Markdown, which are a function of these and of the project's key in
  the figure check's own cache (primer.checks.figures.cache.ResultCache.project_key: the check's code, the
  manifest, the .bib, the public evidence and every source's bytes): the key, the sha256 of these, so that a page
  given back reads no claims;
- and what it reads of the build, each read recorded in the order made, with its value: each citation's label (the
  work's label from the .bib and the CSL style, the locator's from the manifest; none for an unknown key), each
  work's full reference, each claim's source entry (the manifest's or the public evidence's: its licence, URL,
  text page), the excerpt each claim may show (primer.site.excerpts: a decision that depends on every page
  marked before, since an excerpt is granted while the source's share on the page and over the site allows),
  and the URL from the page to each source-text page it links.
A page is given back when its key is the same and every recorded read, made again in its order, gives the same
value: the reads are the same calls a new marking would make, so the excerpts granted meanwhile (the only reads
that change anything: each counts against its source's allowance) are the ones a new build grants. A read that
gives another value makes the page marked again, from the start.
The code is not in the key: a `mkdocs serve` process keeps the modules it imported.

In memory only, the latest marks of each page; outside `mkdocs serve` (`kept` None) every page is marked.
"""
from __future__ import annotations

from collections.abc import Callable

FORMAT = "primer marks 1"


class MarksMemo:
    def __init__(self, kept: dict | None):
        self.kept = kept   # {src_uri: (key, [(kind, argument, repr of its value)], made)}; None: not under serve
        self.stats = {"memory": 0, "misses": 0}

    def get(self, page: str, key: str, read: Callable):
        """What was made for PAGE under KEY, when every read recorded gives its value again (READ(kind, argument),
        made in the order recorded, up to the first that differs); else None."""
        if self.kept is None:
            return None
        kept = self.kept.get(page)
        if kept is None or kept[0] != key or any(repr(read(kind, arg)) != value for kind, arg, value in kept[1]):
            self.stats["misses"] += 1
            return None
        self.stats["memory"] += 1
        return kept[2]

    def recording(self, read: Callable) -> tuple[Callable, list]:
        """READ, recording each read and its value into the list returned with it: each excerpt asked for, and the
        first read of anything else (within a build, reading it again gives the same value)."""
        reads: list = []
        seen: set = set()

        def recorded(kind, arg):
            value = read(kind, arg)
            if kind == "excerpt":            # each, in order: an excerpt is granted when it is first asked for
                reads.append((kind, arg, repr(value)))
            elif (kind, arg) not in seen:
                seen.add((kind, arg))
                reads.append((kind, arg, repr(value)))
            return value
        return recorded, reads

    def keep(self, page: str, key: str, reads: list, made) -> None:
        if self.kept is not None:
            self.kept[page] = (key, reads, made)
