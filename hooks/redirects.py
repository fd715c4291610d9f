"""MkDocs hook: redirects. One job: a redirect page at each old URL in `extra.redirects`.

Stands in for the mkdocs-redirects plugin (not installed) and reads the same map, so moving
to the plugin later is moving the block to `plugins: - redirects: redirect_maps:`:

    extra:
      redirects:
        primer/old-name.md: primer/new-name.md

The page written at the old URL forwards the reader, fragment included, to the new one.
scripts/published.py (and tests/test_cite.py) accept a published URL that is redirected here.
"""
from __future__ import annotations

import logging
from pathlib import Path

from primer.published import redirect_page, url_path

log = logging.getLogger("mkdocs.hooks.redirects")


def on_files(files, config):
    pages = {file.src_uri for file in files.documentation_pages()}
    for old, new in (config.extra.get("redirects") or {}).items():
        if new not in pages:
            log.warning(f"mkdocs.yml: extra.redirects: {old} → {new}: {new} is not a page of the site; fix the target")
        if old in pages:
            log.warning(f"mkdocs.yml: extra.redirects: {old} is still a page; remove the redirect or the page")
    return files


def on_post_build(config):
    site = Path(config.site_dir)
    for old, new in (config.extra.get("redirects") or {}).items():
        target = site / url_path(old) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(url_path(old), url_path(new)), encoding="utf-8")
