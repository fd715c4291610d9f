"""Stages 1 and 4, the glossary: glossary.yaml read into the page reference/glossary.md (before the citation
blocks are read: the page cites); each page's abbreviations, so every term shows its definition on hover. The
logic is primer.site.glossary's. Its words are checked by the figure check where they stand in glossary.yaml
(primer.checks.figures.data_files), so a problem names glossary.yaml's own line."""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from primer.site import glossary


class Glossary:
    def __init__(self):
        self.terms: list[dict] = []

    def add_page(self, files, config, root: Path) -> None:
        """reference/glossary.md generated from glossary.yaml."""
        try:
            self.terms = glossary.load(root)
        except glossary.GlossaryError as err:
            raise PluginError(str(err)) from None
        content = glossary.render(self.terms, Path(config.docs_dir))
        files.append(File.generated(config, glossary.PAGE, content=content))

    def with_abbreviations(self, markdown: str) -> str:
        return f"{markdown}\n\n{glossary.abbreviations(self.terms)}\n"
