"""Material's search entries of a page reused while everything they are made from is unchanged (issue #16: a live
reload after one edit; issue #23: a primer ten times this size).

Material's search plugin parses every page's HTML on every build and every rebuild of `mkdocs serve`, and
segments its Chinese with jieba, whose dictionary takes ~0.6 s to load. A page's entries are a function of
what `SearchIndex.add_entry_from_context` reads: the page's HTML (as it stands when the plugin indexes it),
its table of contents, URL and title, the `search`, `title` and `tags` of its front matter, and the search
plugin's settings. The key is the sha256 of those, of this file, and of the versions of Python, Material,
jieba and backrefs (which segment the Chinese). On a hit the kept entries are appended to the index as the
plugin would have appended them; on a miss the plugin indexes the page and what it added is kept. When no
page misses, jieba is never loaded.

Kept in memory for `mkdocs serve` (the latest entries of each page) and on disk in .cache/search/ (one JSON
file per key, the most recently used kept). A file that is not a list of entries is ignored.
"""
from __future__ import annotations

import copy
import json
import sys
from importlib import metadata
from pathlib import Path

from primer.build import cache_files
from primer.build.render_cache import _toc_data

KEEP = 4096
FORMAT = "primer search 1"
_SOURCE = Path(__file__).read_bytes()


def search_index(config):
    """Material's search index of this build (made in the search plugin's on_config), or None without it."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and hasattr(index, "add_entry_from_context"):
            return index
    return None


def _settings(index) -> str:
    versions = [metadata.version(name) for name in ("mkdocs-material", "jieba", "backrefs")]
    return cache_files.key(FORMAT, _SOURCE, sys.version, *versions,
                           json.dumps(index.config, sort_keys=True, default=str))


def _entries(text: str | None) -> list | None:
    if text is None:
        return None
    try:
        entries = json.loads(text)
    except ValueError:
        return None
    ok = isinstance(entries, list) and all(
        isinstance(e, dict) and isinstance(e.get("location"), str) and isinstance(e.get("title"), str)
        and isinstance(e.get("text"), str) for e in entries)
    return entries if ok else None


def use(config, memory: dict, folder: Path | None) -> dict:
    """Material's search index made to reuse each page's entries: from MEMORY (by page, kept across `mkdocs
    serve`'s rebuilds: {src_uri: (key, entries)}) or from FOLDER (None: memory only). Returns the counts
    (memory, disk, misses) of this build; nothing is done when the search plugin is not in the build."""
    stats = {"memory": 0, "disk": 0, "misses": 0}
    index = search_index(config)
    if index is None:
        return stats
    settings, original = _settings(index), index.add_entry_from_context

    def add_entry_from_context(page):
        meta = {name: page.meta.get(name) for name in ("search", "title", "tags")}
        key = cache_files.key(settings, page.content, page.url, page.title, page.file.src_uri,
                              json.dumps(meta, sort_keys=True, default=str), json.dumps(_toc_data(page.toc)))
        kept = memory.get(page.file.src_uri)
        entries = kept[1] if kept is not None and kept[0] == key else None
        where = "memory"
        if entries is None and folder is not None:
            entries, where = _entries(cache_files.read(folder / f"{key}.json")), "disk"
        if entries is not None:
            stats[where] += 1
            memory[page.file.src_uri] = (key, entries)
            index.entries.extend(copy.deepcopy(entries))
            return None
        stats["misses"] += 1
        before = len(index.entries)
        result = original(page)
        made = copy.deepcopy(index.entries[before:])
        memory[page.file.src_uri] = (key, made)
        if folder is not None:
            cache_files.write(folder / f"{key}.json", json.dumps(made, ensure_ascii=False), KEEP)
        return result

    index.add_entry_from_context = add_entry_from_context
    return stats
