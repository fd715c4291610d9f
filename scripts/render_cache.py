"""Rendered pages kept in memory by `mkdocs serve`: after one edit, only the pages whose Markdown changed are
converted again (hooks/render_cache.py; issue #16, a live reload after one edit under 1.5 s).

MkDocs' own `--dirty` rebuild skips whole pages by their source file's time, so it would keep a stale figure
ledger, claims ledger or print edition, which depend on every page. This cache works one step lower: the
page's Markdown is still made by every hook on every rebuild, and only Python-Markdown's conversion of that
Markdown is reused, when everything it reads is the same. A page's key is the sha256 of
- the Markdown as the hooks left it (page.markdown),
- the page's source path and URL,
- every file of the build with its URL (what the page's links resolve to),
- mkdocs.yml's bytes (the extensions and their options) and the anchor-validation level.
What a render leaves on the page is kept and given back: the HTML, the table of contents (a copy each time:
hooks may change it), the title, the anchors it holds, the links to other pages' anchors (by path, found
again in this build's files), and the warnings it logged (logged again: a strict build still fails on them).

Nothing is written to disk; only the latest render of each page is kept. No MkDocs hook API: the hook hands
each page a `render` of its own (page.render = render_cache.cached(page, ...)).
"""
from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

from primer import cache_files


@dataclass
class Rendered:
    key: str
    content: str
    toc: object
    title: str | None
    anchors: set
    links: dict | None      # {src_uri of the linked file: {anchor: link as written}}
    records: list           # the log records the render emitted


_pages: dict[str, Rendered] = {}   # by the page's src_uri: its latest render
stats = {"hits": 0, "misses": 0}


def clear() -> None:
    _pages.clear()
    stats.update(hits=0, misses=0)


def files_state(files) -> str:
    """The key part for the build's files: each file's path and URL."""
    return cache_files.key(*sorted(f"{f.src_uri}\0{f.url}" for f in files))


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def render(page, config, files, original, files_key: str, config_key: bytes) -> None:
    """Page.render(PAGE, CONFIG, FILES) through the cache; ORIGINAL is MkDocs' Page.render."""
    key = cache_files.key(page.markdown, page.file.src_uri, page.file.url, files_key, config_key,
                          logging.getLogger("mkdocs").getEffectiveLevel())
    kept = _pages.get(page.file.src_uri)
    if kept is not None and kept.key == key:
        stats["hits"] += 1
        page.content = kept.content
        page.toc = copy.deepcopy(kept.toc)
        page._title_from_render = kept.title
        page.present_anchor_ids = set(kept.anchors)
        if kept.links is not None:
            page.links_to_anchors = {}
            for src_uri, anchors in kept.links.items():
                target = files.get_file_from_path(src_uri)
                if target is not None:
                    page.links_to_anchors[target] = dict(anchors)
        for record in kept.records:
            logging.getLogger(record.name).handle(record)
        return
    stats["misses"] += 1
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        original(page, config, files)
    finally:
        logger.removeHandler(handler)
    links = page.links_to_anchors
    _pages[page.file.src_uri] = Rendered(
        key, page.content, copy.deepcopy(page.toc), page._title_from_render, set(page.present_anchor_ids or ()),
        None if links is None else {target.src_uri: dict(anchors) for target, anchors in links.items()},
        handler.records)
