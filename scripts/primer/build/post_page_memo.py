"""Under `mkdocs serve`, the last steps of a page's output reused while the page's HTML is unchanged (issue #23: a live
reload after one edit of a primer ten times this size, where these steps, run again on all 392 pages, were a
quarter of a rebuild's CPU: the search for script URLs alone 1.6 s).

The steps (the plugin's `_finish_page`: the search dialog named, empty `tabindex` dropped, the content's `title`
attributes escaped for Material's tooltips, the URLs checked for a script scheme, the Content-Security-Policy's
<meta>) are functions of what they are given, read nothing else, and change nothing but the page they return. A
page's key is the sha256 of
- the page's HTML as they are given it (the theme's, the claims' cards and the rendered citations in place);
- the page's source path and source file (what a warning names);
- the policy's settings: the theme's inline scripts it allows (their patterns) and whether it allows the live
  reload's script (it does under `mkdocs serve`);
- the project's folder (where a warning looks for the URL's place).
The steps' code is not in the key: a `mkdocs serve` process keeps the modules it imported. A page whose steps
logged anything (a script URL, an inline script the policy refuses) is not kept: its steps run again on every
rebuild, and a strict rebuild fails again on the same warning, whose text names the data file that holds the URL.

In memory only, the latest output of each page; outside `mkdocs serve` (`kept` None) every page's steps run.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from primer.build import cache_files
from primer.build.render_cache import _Records

FORMAT = "primer post-page 1"


class PostPageMemo:
    def __init__(self, kept: dict | None, policy, root):
        """KEPT: {src_uri: (key, output)}, kept by the plugin across `mkdocs serve`'s rebuilds (None: not under
        serve); POLICY: the build's ContentPolicy (primer.build.stages.safety); ROOT: the project's folder."""
        self.kept = kept
        self.settings = cache_files.key(FORMAT, root, policy.live_reload,
                                        *[f"{p.flags}\0{p.pattern}" for p in policy.templates])
        self.stats = {"memory": 0, "misses": 0}

    def __call__(self, output: str, page, steps: Callable[[str], str]) -> str:
        """STEPS(OUTPUT), or what they gave for the same OUTPUT and page in the last rebuild."""
        if self.kept is None:
            return steps(output)
        key = cache_files.key(self.settings, page.file.src_uri, page.file.abs_src_path, output)
        kept = self.kept.get(page.file.src_uri)
        if kept is not None and kept[0] == key:
            self.stats["memory"] += 1
            return kept[1]
        self.stats["misses"] += 1
        records = _Records()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(records)
        try:
            finished = steps(output)
        finally:
            logger.removeHandler(records)
        if records.records:
            self.kept.pop(page.file.src_uri, None)
        else:
            self.kept[page.file.src_uri] = (key, finished)
        return finished
