"""Stage 1, read: the edition. Editions published with mike: Material's edition selector and outdated banner only where they work.

- Built by mike (`make publish`: mike sets MIKE_DOCS_VERSION): the edition mike deploys must be
  the primer's edition (mkdocs.yml `extra.primer.version`), or the build fails naming both and the
  fix; Material's selector (`extra.version`, provider mike) and the banner on earlier editions
  (overrides/main.html) stay on. They read `../versions.json`, which only a mike deployment has.
- Any other build (`make serve`, `make build`, the tests): the selector is switched off, so that
  no page asks for a versions.json that does not exist (a failed request on every page).
"""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from primer.site import changelog  # (scripts/primer/site/changelog.py: where the edition is read)

MIKE_VERSION = "MIKE_DOCS_VERSION"  # set by mike for the build of the edition it deploys


def check(config) -> None:
    """Fails unless mike deploys mkdocs.yml's edition; outside mike's build, switches the selector off."""
    deploying = os.environ.get(MIKE_VERSION)
    if not deploying:
        config.extra["version"] = None
        return
    edition = changelog.edition_of(config.extra)
    if deploying != edition:
        raise PluginError(f"mike is deploying edition {deploying!r}, but mkdocs.yml's extra.primer.version is "
                          f"{edition!r}: publish with `make publish`, which deploys the edition that mkdocs.yml "
                          "names (to publish a new edition, raise extra.primer.version and date it in CHANGELOG.md)")
    if (config.extra.get("version") or {}).get("provider") != "mike":
        raise PluginError("mkdocs.yml: extra.version.provider must be `mike` for the edition selector of a "
                          "published edition")
