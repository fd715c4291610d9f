"""MkDocs hook: render_cache. One job: a page whose Markdown, links and settings are unchanged since an
earlier build is not converted by Python-Markdown again (primer.build.render_cache: what the key holds, what a
render leaves on the page and is given back). Every hook still runs on every page of every build; only the
conversion is reused, from memory under `mkdocs serve` and from .cache/render/ otherwise."""
from __future__ import annotations

import functools
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from primer.build import render_cache

CACHE = ".cache/render"
_state: dict = {}


def on_startup(command, dirty):
    render_cache.clear()


@event_priority(-100)  # last: every hook has added its files and set the Markdown extensions
def on_nav(nav, config, files):
    _state.update(files=render_cache.files_key(files), settings=render_cache.settings_key(config),
                  folder=Path(config.config_file_path).resolve().parent / CACHE)
    return nav


def on_pre_page(page, config, files):
    page.render = functools.partial(render_cache.render, page, original=Page.render, files_key=_state["files"],
                                    settings_key=_state["settings"], folder=_state["folder"])
    return page
