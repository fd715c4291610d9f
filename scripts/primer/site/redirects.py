"""Moved pages: the map the mkdocs-redirects plugin writes a redirect page for, read in one place.

mkdocs.yml holds it as the plugin's option (paths under docs/, old: new)::

    plugins:
      - redirects:
          redirect_maps:
            primer/old-name.md: primer/new-name.md

`in_config(config)` reads it from MkDocs' config (the build), `in_data(data)` from mkdocs.yml read as data
(primer.build.mkdocs_yml: the scripts, without MkDocs). Both give {} when the plugin is not listed.
"""
from __future__ import annotations

PLUGIN = "redirects"
WHERE = "plugins.redirects.redirect_maps in mkdocs.yml"  # named in the scripts' messages


def in_data(data: dict) -> dict[str, str]:
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            return dict((entry[PLUGIN] or {}).get("redirect_maps") or {})
    return {}


def in_config(config) -> dict[str, str]:
    plugin = config.plugins.get(PLUGIN)
    return dict(plugin.config.get("redirect_maps") or {}) if plugin is not None else {}  # a LegacyConfig
