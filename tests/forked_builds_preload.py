"""What the forkserver of tests/forked_builds.py imports once, for every build forked from it: MkDocs and its
command line, Material and its search plugin with jieba's dictionary, mkdocs-bibtex, mkdocs-redirects, the
Markdown extensions of mkdocs.yml and the primer plugin. Imports only: nothing here reads the project."""
import logging

import jieba
import material.plugins.search.plugin  # noqa: F401
import mkdocs.__main__  # noqa: F401
import mkdocs.commands.build  # noqa: F401
import mkdocs_bibtex.plugin  # noqa: F401
import mkdocs_redirects.plugin  # noqa: F401
import pymdownx.details  # noqa: F401
import pymdownx.highlight  # noqa: F401
import pymdownx.superfences  # noqa: F401
import pymdownx.tabbed  # noqa: F401

import primer.build.plugin  # noqa: F401

jieba.setLogLevel(logging.WARNING)
jieba.initialize()   # the dictionary Material's search plugin segments Chinese text with
