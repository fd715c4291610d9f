"""Stage 1, read: the bibliography and every page's citation blocks; mkdocs-bibtex made safe and fast.

- `check_bibliography` (on_config, before mkdocs-bibtex loads anything): lint references.bib
  (primer.checks.bib_lint) and check the CSL file, so a malformed entry, a duplicate key, a missing `file`
  or a missing style fails the build with one line naming the problem, not a traceback. The CSL path is
  made absolute (pandoc would otherwise resolve it against the working directory). When the .bib or the
  style is not what mkdocs-bibtex's registry was made from (an edit under `mkdocs serve`), it makes a new one.
- `read_blocks` (on_files): read every page's citation blocks, fail on an unknown key with the page, line
  and key named, and hand all blocks (and one block per .bib entry, for the bibliography page) to
  mkdocs-bibtex's registry at once: a single pandoc run for the whole site instead of one per page, in a
  thread while the figure check runs (the marks stage, the first to read what it made, waits for it).
  What pandoc returns is kept in the cache folder's pandoc/ (primer.build.bibtex_adapter.cache_pandoc):
  a build whose citations, .bib, CSL style and pandoc are unchanged does not run pandoc at all.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from primer.build import bibtex_adapter as bibtex
from primer.checks.bib_lint import lint

# A citation block broken across lines: mkdocs-bibtex would leave it as raw text.
_SPLIT_BLOCK_RE = re.compile(r"\[[^\[\]\n]*@[^\[\]]*?\n[^\[\]]*\]|\[[^\[\]\n]*\n[^\[\]]*?@[^\[\]]*\]")


def check_bibliography(config, root: Path) -> None:
    """references.bib linted and the CSL style checked, its path made absolute for mkdocs-bibtex."""
    plugin = bibtex.plugin(config)
    bib = root / plugin.config.bib_file
    problems = lint(bib, root=root)
    if problems:
        raise PluginError("references.bib has problems:\n" + "\n".join(str(p) for p in problems))
    csl = plugin.config.csl_file
    if not csl:
        raise PluginError("mkdocs.yml: plugins.bibtex.csl_file is not set; without an author-date CSL style "
                          "mkdocs-bibtex drops citation locators (set it to styles/chicago-author-date.csl)")
    csl_path = Path(csl) if Path(csl).is_absolute() else root / csl
    if not csl_path.is_file():
        raise PluginError(f"mkdocs.yml: plugins.bibtex.csl_file: {csl} not found (looked for {csl_path}); "
                          "restore the vendored style or fix the path")
    if 'citation-format="author-date"' not in csl_path.read_text(encoding="utf-8"):
        raise PluginError(f"{csl}: not an author-date CSL style; mkdocs-bibtex renders locators only with "
                          'citation-format="author-date"')
    plugin.config.csl_file = str(csl_path)
    bibtex.renew_registry_when_changed(plugin, bib, csl_path)   # mkdocs serve: an edited .bib or style reloaded


def read_blocks(files, config, root: Path, pandoc_cache: Path) -> dict[str, int]:
    """Every page's citation blocks checked (no unknown key, none broken across lines) and handed to pandoc
    at once, with one block per entry; pandoc formats them in a thread while the build goes on. Returns the
    count of citations, and of those citing public evidence (a work whose text the primer does not keep)."""
    registry = bibtex.registry(config)
    known = bibtex.known_keys(registry)
    all_blocks, errors = [], []
    for file in files.documentation_pages():
        shown = Path(file.abs_src_path).relative_to(root) if file.abs_src_path else file.src_uri
        text = file.content_string
        for match in _SPLIT_BLOCK_RE.finditer(text):
            if "\n\n" not in match.group() and re.search(r"@[a-z]", match.group()):
                line = text.count("\n", 0, match.start()) + 1
                errors.append(f"{shown}:{line}: citation block [{match.group()[1:40]}…] is broken across lines; "
                              "mkdocs-bibtex only processes a block written on one line: join it")
        for block, offset in bibtex.citation_blocks(text):
            all_blocks.append(block)
            for citation in block.citations:
                if citation.key not in known:
                    line = text.count("\n", 0, offset) + 1
                    col = offset - text.rfind("\n", 0, offset)
                    errors.append(f"{shown}:{line}:{col}: unknown citation key "
                                  f'"{citation.key}" in [{block.raw}]; add it to references.bib or correct the key')
    if errors:
        raise PluginError("\n".join(errors))
    bibtex.use_bib_as_written(registry, root / bibtex.plugin(config).config.bib_file)
    bibtex.cache_pandoc(registry, pandoc_cache)
    bibtex.format_blocks_soon(registry, all_blocks + [bibtex.entry_block(key) for key in known])
    cited = [c.key for block in all_blocks for c in block.citations]
    return {"citations": len(cited), "public": sum("file" not in known[key].fields for key in cited)}
