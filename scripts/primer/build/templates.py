"""The theme's Jinja templates compiled once, not on every build and every live reload: Jinja's own bytecode
cache keeps them in the cache folder's jinja/. It keys each one by the template's name and file and checks
it against a checksum of the template's source, so an edited template (overrides/ or a new Material) is
compiled again. The folder is named after the versions of Jinja, MkDocs and Material, whose options the
checksum does not cover."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

import jinja2


def use_bytecode_cache(env, folder: Path) -> None:
    versions = "-".join(f"{name}{metadata.version(name)}" for name in ("jinja2", "mkdocs", "mkdocs-material"))
    folder = folder / versions
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
