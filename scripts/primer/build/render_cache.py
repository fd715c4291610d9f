"""Rendered pages kept between builds (the primer plugin's RenderCache): a page whose Markdown, links and settings are
what they were is not converted by Python-Markdown again (issue #16: the strict build within 1.5x Material
alone on repeated builds, a live reload after one edit under 1.5 s).

MkDocs' own `--dirty` rebuild skips whole pages by their source file's time, so it would keep a stale figure
ledger, claims ledger or print edition, which depend on every page. This cache works one step lower: every
stage still makes every page's Markdown on every build, and only Python-Markdown's conversion of that
Markdown is reused, when everything it reads is the same. A page's key is the sha256 of
- the Markdown as the stages left it (page.markdown), the page's source path and URL;
- every file of the build with its URL (what the page's links resolve to);
- the build's settings (`settings_key`): mkdocs.yml's bytes; each Markdown extension as configured, with
  the source of the module that defines it (primer.build.footnotes among them); this file;
  Python's version and those of Python-Markdown, pymdown-extensions, MkDocs and Material; the log level
  (below INFO, MkDocs records no links to check).
What a render leaves on the page is kept and given back: the HTML, the table of contents (a fresh copy:
a stage may change it), the title, the anchors it holds, the links to other pages' anchors (by path, found
again in this build's files), and the warnings it logged (in its own thread), logged again: a strict build
still fails on them.

Kept in memory for `mkdocs serve` (the latest render of each page) and on disk in .cache/render/ (one JSON
file per key, the most recently used kept) for the next build. A file that cannot be read as a render (not
JSON, or not of a render's shape) is ignored and the page is converted again.
"""
from __future__ import annotations

import inspect
import json
import logging
import sys
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mkdocs.structure.toc import AnchorLink, TableOfContents

from primer.build import cache_files

KEEP = 4096  # files kept in the cache's folder: some ten builds' worth of pages of a primer ten times this size
FORMAT = "primer render 1"
_SOURCE = Path(__file__).read_bytes()   # this file: how a render is kept and given back


@dataclass
class Rendered:
    content: str
    toc: list          # the table of contents as plain lists (_toc_data)
    title: str | None
    anchors: list
    links: dict | None  # {src_uri of the linked file: {anchor: link as written}}; None: not recorded
    records: list      # [logger name, level, message] of each record the render logged


def files_key(files) -> str:
    """The key part for the build's files: each file's path and URL."""
    return cache_files.key(*sorted(f"{f.src_uri}\0{f.url}" for f in files))


def _extension(ext) -> list:
    if isinstance(ext, str):
        return [ext]
    try:
        source = Path(inspect.getsourcefile(type(ext))).read_bytes()
    except (TypeError, OSError):
        source = b""
    configs = sorted((name, repr(value)) for name, value in ext.getConfigs().items())
    return [f"{type(ext).__module__}.{type(ext).__qualname__}", source, repr(configs)]


def settings_key(config) -> str:
    versions = [metadata.version(name) for name in ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material")]
    parts = [FORMAT, _SOURCE, sys.version, *versions, Path(config.config_file_path).read_bytes(), repr(sorted(
        (name, repr(options)) for name, options in (config.mdx_configs or {}).items()))]
    for ext in config.markdown_extensions:
        parts += _extension(ext)
    # what a render records depends on the levels: warnings kept (mkdocs), links to anchors kept (pages)
    return cache_files.key(*parts, logging.getLogger("mkdocs").getEffectiveLevel(),
                           logging.getLogger("mkdocs.structure.pages").getEffectiveLevel())


def _toc_data(items) -> list:
    return [[i.title, i.id, i.level, bool(getattr(i, "active", False)), _toc_data(i.children)] for i in items]


def _toc(data) -> TableOfContents:
    def link(title, anchor, level, active, children):
        item = AnchorLink(title, anchor, level)
        if active:
            item.active = True
        item.children = [link(*child) for child in children]
        return item
    return TableOfContents([link(*entry) for entry in data])


class _Records(logging.Handler):
    """The records the render logs: its own thread's only (under `mkdocs serve` the web server's thread logs
    its requests meanwhile, a 404 at WARNING, which is no part of the page)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[list] = []
        self.thread = threading.get_ident()

    def emit(self, record):
        if record.thread == self.thread:
            self.records.append([record.name, record.levelno, record.getMessage()])


def _load(folder: Path | None, key: str) -> Rendered | None:
    if folder is None:
        return None
    text = cache_files.read(folder / f"{key}.json")
    if text is None:
        return None
    try:
        kept = Rendered(**json.loads(text))
        _toc(kept.toc), set(kept.anchors), dict(kept.links or {})   # the shapes _give_back needs
        for name, level, message in kept.records:
            if not (isinstance(name, str) and isinstance(level, int) and isinstance(message, str)):
                raise TypeError("a record is [logger, level, message]")
        return kept if isinstance(kept.content, str) else None
    except (ValueError, TypeError, AttributeError):
        return None


def _give_back(page, files, kept: Rendered) -> None:
    page.content = kept.content
    page.toc = _toc(kept.toc)
    page._title_from_render = kept.title
    page.present_anchor_ids = set(kept.anchors)
    if kept.links is not None:
        page.links_to_anchors = {}
        for src_uri, anchors in kept.links.items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                page.links_to_anchors[target] = dict(anchors)
    for name, level, message in kept.records:
        logging.getLogger(name).log(level, "%s", message)


class RenderCache:
    """Python-Markdown's conversion of each page, reused while its key is unchanged: from MEMORY (the latest
    render of each page, kept by the plugin across `mkdocs serve`'s rebuilds) or from FOLDER on disk (None: in
    memory only). `stats` counts where each page's render came from."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.memory: dict[str, tuple[str, Rendered]] = {}   # by page src_uri: (key, its latest render)
        self.stats = {"memory": 0, "disk": 0, "misses": 0}

    def render(self, page, config, files, original, files_key: str, settings_key: str) -> None:
        """Page.render(PAGE, CONFIG, FILES) through the cache; ORIGINAL is MkDocs' Page.render."""
        key = cache_files.key(page.markdown, page.file.src_uri, page.file.url, files_key, settings_key)
        kept = self.memory.get(page.file.src_uri)
        if kept is not None and kept[0] == key:
            self.stats["memory"] += 1
            _give_back(page, files, kept[1])
            return
        found = _load(self.folder, key)
        if found is not None:
            self.stats["disk"] += 1
            self.memory[page.file.src_uri] = (key, found)
            _give_back(page, files, found)
            return
        self.stats["misses"] += 1
        handler = _Records()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            original(page, config, files)
        finally:
            logger.removeHandler(handler)
        links = page.links_to_anchors
        made = Rendered(page.content, _toc_data(page.toc), page._title_from_render, sorted(page.present_anchor_ids or ()),
                        None if links is None else {target.src_uri: dict(anchors) for target, anchors in links.items()},
                        handler.records)
        self.memory[page.file.src_uri] = (key, made)
        if self.folder is not None:
            cache_files.write(self.folder / f"{key}.json", json.dumps(made.__dict__, ensure_ascii=False), KEEP)
