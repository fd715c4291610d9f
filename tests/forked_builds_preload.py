"""What the forkserver of tests/forked_builds.py imports once, for every build forked from it: MkDocs and its
command line, the plugins mkdocs.yml lists (by their entry points: search, bibtex, redirects, primer), the
Markdown extensions it uses, and jieba's dictionary (Material's search plugin segments Chinese text with it).
Imports only: nothing here reads the project."""
import logging

import jieba
import mkdocs.__main__  # noqa: F401
import mkdocs.commands.build  # noqa: F401
import pymdownx.details  # noqa: F401
import pymdownx.highlight  # noqa: F401
import pymdownx.superfences  # noqa: F401
import pymdownx.tabbed  # noqa: F401
from mkdocs.plugins import get_plugins

for name in ("search", "bibtex", "redirects", "primer"):
    get_plugins()[name].load()

jieba.setLogLevel(logging.WARNING)
jieba.initialize()
