"""MkDocs hook: render_cache. One job: under `mkdocs serve`, a page whose Markdown, links and settings are
unchanged since the last rebuild is not converted by Python-Markdown again (primer.render_cache: what the
key holds, what a render leaves on the page and is given back). Every hook still runs on every page on
every rebuild; `mkdocs build` is untouched (each build is a new process: nothing to reuse)."""
from __future__ import annotations

import functools
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from primer import render_cache

_state: dict = {"serve": False}


def on_startup(command, dirty):
    _state["serve"] = command == "serve"
    render_cache.clear()


@event_priority(-100)  # last: every hook has added its files
def on_nav(nav, config, files):
    if _state["serve"]:
        _state["files"] = render_cache.files_state(files)
        _state["config"] = Path(config.config_file_path).read_bytes()
    return nav


def on_pre_page(page, config, files):
    if _state["serve"]:
        page.render = functools.partial(render_cache.render, page, original=Page.render,
                                        files_key=_state["files"], config_key=_state["config"])
    return page
