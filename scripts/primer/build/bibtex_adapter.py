"""Every reach into mkdocs-bibtex's internals, in one place, for the pinned version only.

mkdocs-bibtex (unmaintained) formats citations with pandoc; the build adapts it: one pandoc run per
site instead of per page, served from .cache/pandoc/ when nothing changed, the .bib given to pandoc
as written, pandoc's Markdown escapes undone. Those adaptations touch names that are not its public
API (CITATION_BLOCK_REGEX, Citation, CitationBlock, PandocRegistry's _process_with_pandoc,
_inline_cache, _reference_cache and bib_data_bibtex), so this module checks, when imported, that the
installed mkdocs-bibtex is the version they were read against (PINNED) and stops with the fix when
it is not. An upgrade reads mkdocs_bibtex/registry.py and citation.py beside this file alone.

The build uses only the functions below:

``citation_blocks(text)``             (block, offset) of every citation block mkdocs-bibtex will replace
``blocks_in(markdown)``               the citation blocks of a snippet (a chart's caption)
``entry_block(key)``                  a block citing one key alone (the bibliography's entries)
``plugin(config)`` / ``registry(config)``   the bibtex plugin of a MkDocs config, and its registry
``renew_registry_when_changed(plugin, bib, csl)``   a new registry when the .bib or the CSL style changed
``known_keys(registry)``              the .bib's entries, by key
``use_bib_as_written(registry, path)``      pandoc is given the .bib file's own text
``cache_pandoc(registry, folder)``    pandoc's runs served from FOLDER when its input is unchanged
``format_blocks(registry, blocks)``   have the blocks formatted (one pandoc run), pandoc's escapes undone
``format_blocks_soon(registry, blocks)``    the same in a thread: pandoc runs while the build goes on (each
                                      function that reads the formatted texts waits for it: ``formatted``)
``reference_text(registry, key)``     the formatted reference of a key (the bibliography's text)
``inline_text(registry, block)``      the formatted inline citation of a block, as the page shows it
``unescape_pandoc(text)``             pandoc's Markdown escapes and dashes undone
"""
from __future__ import annotations

import json
import re
import threading
from importlib import metadata
from pathlib import Path

from primer.build import cache_files

PINNED = "4.4.0"  # requirements.in pins it; every function here was read against this version


class BibtexVersionError(RuntimeError):
    pass


def check_version(installed: str | None = None) -> None:
    """Raise BibtexVersionError, naming the fix, unless mkdocs-bibtex PINNED is installed."""
    try:
        installed = installed or metadata.version("mkdocs-bibtex")
    except metadata.PackageNotFoundError:
        installed = None
    if installed != PINNED:
        found = f"mkdocs-bibtex {installed} is installed" if installed else "mkdocs-bibtex is not installed"
        raise BibtexVersionError(
            f"scripts/primer/build/bibtex_adapter.py:1: {found}, but the build reaches into mkdocs-bibtex {PINNED}'s internals; "
            "reinstall the pinned requirements (rm .venv/.installed && make .venv/.installed), or, to move to "
            "another version, read its registry.py and citation.py against each function of "
            "scripts/primer/build/bibtex_adapter.py, then change PINNED there and the pin in requirements.in (make lock)")


check_version()

from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, Citation, CitationBlock  # noqa: E402  (after the check)

# -- citation blocks in Markdown ---------------------------------------------------------------------------

def citation_blocks(text: str):
    """(block, offset) for every citation block mkdocs-bibtex will process in `text`, in order."""
    for match in CITATION_BLOCK_REGEX.finditer(text):
        citations = Citation.from_markdown(match.group(1))
        if citations:
            yield CitationBlock(raw=match.group(1), citations=citations), match.start()


def blocks_in(markdown: str) -> list:
    """The citation blocks of a snippet of Markdown (a chart's caption)."""
    return CitationBlock.from_markdown(markdown)


def entry_block(key: str):
    """A citation block citing KEY alone, without locator: formatting it gives the key's reference."""
    return CitationBlock(citations=[Citation(key=key)])


# -- the plugin and its registry --------------------------------------------------------------------------

def plugin(config):
    """The bibtex plugin of a MkDocs config; a PluginError naming the fix when it is not configured."""
    found = config.plugins.get("bibtex")
    if found is None:
        from mkdocs.exceptions import PluginError
        raise PluginError("mkdocs.yml: the primer plugin needs the `bibtex` plugin (mkdocs-bibtex) under `plugins:`")
    return found


def registry(config):
    """The registry mkdocs-bibtex formats citations with (a PandocRegistry, since csl_file is set)."""
    return plugin(config).registry


def renew_registry_when_changed(plugin, *paths: Path) -> None:
    """Before mkdocs-bibtex's on_config: have it build its registry anew when the content of PATHS (the .bib
    and the CSL style) is not what its registry was built from. It keeps its registry while every .bib file
    is older than its own last on_config (`last_configured`), so under `mkdocs serve` a changed CSL style, or
    a .bib given back an older mtime, kept the old registry and its formatted citations, and one site mixed
    two styles. The content's key is kept on the plugin instance, beside the registry it describes."""
    key = cache_files.key("primer-bibtex-inputs 1", *(Path(path).read_bytes() for path in paths))
    if plugin.__dict__.get("_primer_registry_inputs") != key:
        plugin.last_configured = None   # its on_config, next, reads the .bib and makes a new registry
        plugin.__dict__["_primer_registry_inputs"] = key


def known_keys(registry) -> dict:
    """The .bib's entries, by key (pybtex Entry objects)."""
    return registry.bib_data.entries


def use_bib_as_written(registry, bib_path: Path) -> None:
    """Give pandoc the .bib file as written: mkdocs-bibtex would hand it pybtex's re-serialisation,
    which escapes "%" in URLs and "&" in titles (bib_data_bibtex is a cached_property)."""
    registry.__dict__["bib_data_bibtex"] = Path(bib_path).read_text(encoding="utf-8")


def reference_text(registry, key: str) -> str:
    """The formatted reference of KEY (after format_blocks has formatted a block citing it)."""
    formatted(registry)
    try:
        return registry._reference_cache[key]
    except KeyError:
        raise KeyError(f"{key}: not formatted; call bibtex_adapter.format_blocks with a block citing it first") \
            from None


def inline_text(registry, block) -> str:
    """The block as mkdocs-bibtex writes it into the page (inline citation and footnote references)."""
    formatted(registry)
    return registry.inline_text(block)


def style_citation(registry, key: str) -> str:
    """The CSL style's own in-text citation of KEY alone, without footnote references: "(W. Li 2025)" (after
    format_blocks has formatted entry_block(KEY)); empty when it was not formatted."""
    formatted(registry)
    return registry._inline_cache.get(str(entry_block(key)), "")


def format_blocks(registry, blocks) -> None:
    """Have mkdocs-bibtex format BLOCKS (the ones it has not yet formatted, in one pandoc run), and undo
    pandoc's Markdown escapes in each text that the run added or replaced."""
    formatted(registry)
    _format(registry, blocks)


class _Formatting(threading.Thread):
    def __init__(self, registry, blocks):
        super().__init__(name="primer-pandoc", daemon=True)
        self.registry, self.blocks, self.error = registry, blocks, None

    def run(self):
        try:
            _format(self.registry, self.blocks)
        except BaseException as error:  # noqa: BLE001  (raised again, in the build's thread, by formatted())
            self.error = error


def format_blocks_soon(registry, blocks) -> None:
    """format_blocks in a thread of its own: pandoc, a process of its own, formats the blocks while the build
    goes on (a cold build's figure check runs meanwhile). Every function here that reads what pandoc made
    waits for it first (formatted), and raises its error, if it had one, in the build's thread."""
    formatted(registry)
    thread = _Formatting(registry, list(blocks))
    registry.__dict__["_primer_formatting"] = thread
    thread.start()


def formatted(registry) -> None:
    """Wait for format_blocks_soon's run, if one is under way, and raise its error, if it had one."""
    thread = registry.__dict__.pop("_primer_formatting", None)
    if thread is not None:
        thread.join()
        if thread.error is not None:
            raise thread.error


def _format(registry, blocks) -> None:
    caches = (registry._inline_cache, registry._reference_cache)
    before = [dict(cache) for cache in caches]
    registry.validate_citation_blocks(list(blocks))
    for cache, seen in zip(caches, before):
        for key, text in cache.items():
            if seen.get(key) is not text:
                cache[key] = unescape_pandoc(text)


# -- pandoc's runs, cached ---------------------------------------------------------------------------------

_KEEP = 32  # cached runs kept, the most recently used


def _pandoc_environment() -> list[str]:
    import pypandoc
    return [pypandoc.get_pandoc_version(), pypandoc.get_pandoc_path(), metadata.version("mkdocs-bibtex"),
            metadata.version("pypandoc")]


def cache_pandoc(registry, folder: Path) -> None:
    """Serve the registry's pandoc runs from FOLDER/KEY.json when pandoc would be given exactly the same input,
    and give pandoc each distinct citation block once. mkdocs-bibtex keeps one formatted text per block
    (keyed by the block as written), so a block cited on many pages was formatted many times, once kept:
    the primer's ~1,900 blocks are ~400 distinct ones, and pandoc's run takes well under half the time.
    The style renders a block by its position (first, ibid) only for interviews and personal communications,
    reviews, and untitled chapters or journal introductions (a genre beside a container or volume title);
    no entry of references.bib is one (pandoc run both ways gave the same texts). Add one, and check again."""
    run = registry._process_with_pandoc
    if getattr(run, "cache_folder", None) == folder:
        return
    run = getattr(run, "uncached", run)

    def process(blocks):
        blocks = list({str(block): block for block in blocks}.values())  # in first-cited order
        digest = cache_files.key("primer-pandoc 1", *_pandoc_environment(), Path(registry.csl_file).read_bytes(),
                                 registry.bib_data_bibtex, *(str(block) for block in blocks))
        path = folder / f"{digest}.json"
        text = cache_files.read(path)
        if text is not None:
            try:
                inline, references = json.loads(text)
                if isinstance(inline, dict) and isinstance(references, dict):
                    return inline, references
            except (ValueError, TypeError):
                pass  # damaged: pandoc runs again and the file is written anew
        inline, references = run(blocks)
        # not kept when it cannot be written: the next build runs pandoc again
        cache_files.write(path, json.dumps([inline, references], ensure_ascii=False), _KEEP)
        return inline, references

    process.cache_folder, process.uncached = folder, run
    registry._process_with_pandoc = process


# -- pandoc's Markdown -------------------------------------------------------------------------------------
# Pandoc's Markdown writer escapes characters that Python-Markdown does not
# treat as escapable ("Belt\\ & Road"), so the backslash would show on the page,
# and with its `smart` extension it writes dashes as "--" and "---", which
# Python-Markdown leaves as they are. Undo both outside link targets, and drop pandoc's span markup.
_MARKDOWN_ESCAPABLE = set("\\`*_{}[]()>#+-.!")
_ESCAPE_RE = re.compile(r"\\(.)")
_LINK_TARGET_RE = re.compile(r"(<[a-z]+://[^>]+>|\]\([^)]*\))")
_SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{[^}]*\}")  # pandoc spans: [text]{.nocase}


# A character pandoc escaped that would be markup once unescaped (a title's "<img …>") stays text: a
# character reference, which Python-Markdown leaves as it is.
_AS_REFERENCE = {"<": "&lt;", "&": "&amp;"}


def _unescaped(match) -> str:
    char = match.group(1)
    if char in _MARKDOWN_ESCAPABLE:
        return match.group(0)
    return _AS_REFERENCE.get(char, char)


def unescape_pandoc(text: str) -> str:
    text = _SPAN_RE.sub(r"\1", text)
    parts = _LINK_TARGET_RE.split(text)
    for i in range(0, len(parts), 2):  # even parts are outside link targets
        part = parts[i].replace("---", "\u2014").replace("--", "\u2013")
        parts[i] = _ESCAPE_RE.sub(_unescaped, part)
    return "".join(parts)
