"""Stages 1 and 4, the glossary: glossary.yaml read into the page reference/glossary.md (before the citation
blocks are read: the page cites), its definitions checked like any chapter; each page's abbreviations, so
every term shows its definition on hover. The logic is primer.site.glossary's."""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from primer.site import glossary

log = logging.getLogger("mkdocs.plugins.primer.glossary")


class Glossary:
    def __init__(self):
        self.terms: list[dict] = []

    def add_page(self, files, config, root: Path, check_cache) -> None:
        """reference/glossary.md generated from glossary.yaml; its figures checked (a problem is a warning)."""
        try:
            self.terms = glossary.load(root)
        except glossary.GlossaryError as err:
            raise PluginError(str(err)) from None
        content = glossary.render(self.terms, Path(config.docs_dir))
        result = check_cache.check_markdown(content, glossary.PAGE,
                                            display_path=f"{glossary.DATA} (via {glossary.PAGE})")
        for problem in result.problems:
            log.warning("%s", problem)
        files.append(File.generated(config, glossary.PAGE, content=content))

    def with_abbreviations(self, markdown: str) -> str:
        return f"{markdown}\n\n{glossary.abbreviations(self.terms)}\n"
