"""Under `mkdocs serve`, the theme's HTML of a page reused while everything its template reads is unchanged (issue
#23: a live reload after one edit of a primer ten times this size, where Material's navigation, rendered whole
into every page, made each rebuild's templates grow with the square of the pages).

After one edit, most pages' content, title and place in the navigation are what they were: rendering their
template again gives the same bytes. A page's key is the sha256 of everything the template is given:
- the page: its HTML (as it stands after every `on_page_context`), table of contents, title, front matter,
  URLs (its own, canonical, edit), source and destination paths, whether it is the home page, the previous
  and next pages (title and URL), the sections above it, the template's name;
- the build (computed once per build, at its first page): the navigation (every item's kind, title, URL,
  front matter and children; the home page), every file's path and URL, every setting of mkdocs.yml as
  loaded (plugins and Markdown extensions apart: their settings are the configuration file's bytes, and what
  the extensions make is the page's HTML; and `site_dir`, a folder of its own for each rebuild), the configuration file's
  bytes, every template file of the theme's folders (overrides/ and Material's), the versions of Python,
  Jinja, MkDocs and Material, and this file;
- every other value of the template's context, by its repr (`build_date_utc` apart).
No template of the theme reads `build_date_utc` or `site_dir` (tests/test_template_memo.py checks it).
An item of the navigation or a setting that holds an object without a stable repr makes a key that never
matches again: that page is rendered, never stale.

In memory only, the latest render of each page, for `mkdocs serve`'s next rebuild; a build (`mkdocs build`)
renders every page.
"""
from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

from primer.build import cache_files
from primer.build.render_cache import _toc_data

FORMAT = "primer template 1"
_SOURCE = Path(__file__).read_bytes()
_OWN_KEYS = {"page", "nav", "config", "pages", "build_date_utc"}


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def _item(item) -> list:
    """A navigation item as what the theme's navigation reads of it."""
    meta = getattr(item, "meta", None)
    return [type(item).__name__, getattr(item, "title", None), getattr(item, "url", None),
            getattr(item, "is_index", None), _json(meta) if meta is not None else None,
            [_item(child) for child in getattr(item, "children", None) or ()]]


def _theme_templates(config) -> list:
    parts = []
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            parts += [str(path), path.read_bytes()]
    return parts


def build_key(context) -> str:
    """The key part every page of this build shares (the navigation, the files, the settings, the templates)."""
    config, nav = context["config"], context["nav"]
    settings = {name: (dict(value) if name == "theme" else value) for name, value in config.items()
                if name not in ("plugins", "markdown_extensions", "site_dir")}
    versions = [metadata.version(name) for name in ("jinja2", "mkdocs", "mkdocs-material")]
    homepage = getattr(nav, "homepage", None)
    return cache_files.key(FORMAT, _SOURCE, sys.version, *versions, Path(config.config_file_path).read_bytes(),
                           _json(settings), *_theme_templates(config),
                           _json([_item(item) for item in nav]), getattr(homepage, "url", None),
                           _json([[f.src_uri, f.url] for f in context.get("pages") or ()]))


def page_key(page) -> list:
    """The key parts of the page itself."""
    def near(other):
        return None if other is None else [other.title, other.url]
    sections, parent = [], page.parent
    while parent is not None:
        sections.append([type(parent).__name__, parent.title, getattr(parent, "url", None)])
        parent = parent.parent
    return [page.content, _json(_toc_data(page.toc)), page.title, _json(page.meta), page.url, page.abs_url,
            page.canonical_url, page.edit_url, page.file.src_uri, page.file.dest_uri, page.is_homepage,
            _json(near(page.previous_page)), _json(near(page.next_page)), _json(sections)]


def use(env, memory: dict, stats: dict) -> None:
    """ENV's templates made to give back a page's last HTML from MEMORY ({src_uri: (key, html)}, kept across
    `mkdocs serve`'s rebuilds) while its key is unchanged; STATS counts hits (memory) and renders (misses).
    Only a template rendered with a page is kept (not 404.html, not sitemap.xml)."""
    shared: dict = {}

    class Memoised(env.template_class):
        def render(self, *args, **kwargs):
            context = dict(*args, **kwargs)
            page = context.get("page")
            if page is None or getattr(page, "file", None) is None:
                return super().render(*args, **kwargs)
            if "key" not in shared:
                shared["key"] = build_key(context)
            others = sorted((name, repr(value)) for name, value in context.items() if name not in _OWN_KEYS)
            key = cache_files.key(shared["key"], self.name, *page_key(page), _json(others))
            kept = memory.get(page.file.src_uri)
            if kept is not None and kept[0] == key:
                stats["memory"] = stats.get("memory", 0) + 1
                return kept[1]
            stats["misses"] = stats.get("misses", 0) + 1
            html = super().render(*args, **kwargs)
            memory[page.file.src_uri] = (key, html)
            return html

    env.template_class = Memoised
