"""MkDocs hook: citations. One job: make mkdocs-bibtex safe and fast.

- Before mkdocs-bibtex loads anything, lint references.bib (scripts/lint_bib.py)
  and check the CSL file, so a malformed entry, a duplicate key, a missing
  `file` or a missing style fails the build with one line naming the problem,
  not a traceback. The CSL path is made absolute (pandoc would otherwise
  resolve it against the working directory).
- Once the files are known, read every page's citation blocks, fail on an
  unknown key with the page, line and key named, and hand all blocks (and one
  block per .bib entry, for the bibliography page) to mkdocs-bibtex's registry
  at once: a single pandoc run for the whole site instead of one per page.
  What pandoc returns is kept in .cache/pandoc/ (see PANDOC_CACHE): a build whose
  citations, .bib, CSL style and pandoc are unchanged does not run pandoc at all.
"""
from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from primer import cache_files
from primer.lint_bib import lint

from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, Citation, CitationBlock  # noqa: E402


# pandoc's formatted citations, in the project; key: every block pandoc is given, the .bib text, the CSL file,
# pandoc's version and path, mkdocs-bibtex's and pypandoc's versions (mkdocs-bibtex writes and parses the run).
PANDOC_CACHE = ".cache/pandoc"
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

    def process(citation_blocks):
        citation_blocks = list({str(block): block for block in citation_blocks}.values())  # in first-cited order
        digest = hashlib.sha256()
        for part in ("primer-pandoc 1", *_pandoc_environment(), Path(registry.csl_file).read_bytes(),
                     registry.bib_data_bibtex, *(str(block) for block in citation_blocks)):
            data = part if isinstance(part, bytes) else part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big") + data)
        path = folder / f"{digest.hexdigest()}.json"
        text = cache_files.read(path)
        if text is not None:
            try:
                inline, references = json.loads(text)
                if isinstance(inline, dict) and isinstance(references, dict):
                    return inline, references
            except (ValueError, TypeError):
                pass  # damaged: pandoc runs again and the file is written anew
        inline, references = run(citation_blocks)
        # not kept when it cannot be written: the next build runs pandoc again
        cache_files.write(path, json.dumps([inline, references], ensure_ascii=False), _KEEP)
        return inline, references

    process.cache_folder, process.uncached = folder, run
    registry._process_with_pandoc = process


def _bibtex(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError("mkdocs.yml: hooks/citations.py needs the `bibtex` plugin under `plugins:`")
    return plugin


@event_priority(100)  # before mkdocs-bibtex parses the .bib
def on_config(config):
    plugin = _bibtex(config)
    root = Path(config.config_file_path).resolve().parent
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
    return config


def _blocks(text: str):
    """(block, offset) for every citation block mkdocs-bibtex will process in `text`."""
    for match in CITATION_BLOCK_REGEX.finditer(text):
        citations = Citation.from_markdown(match.group(1))
        if citations:
            yield CitationBlock(raw=match.group(1), citations=citations), match.start()


# A citation block broken across lines: mkdocs-bibtex would leave it as raw text.
_SPLIT_BLOCK_RE = re.compile(r"\[[^\[\]\n]*@[^\[\]]*?\n[^\[\]]*\]|\[[^\[\]\n]*\n[^\[\]]*?@[^\[\]]*\]")


@event_priority(50)
def on_files(files, config):
    registry = _bibtex(config).registry
    known = registry.bib_data.entries
    root = Path(config.config_file_path).resolve().parent
    all_blocks, errors = [], []
    for file in files.documentation_pages():
        shown = Path(file.abs_src_path).relative_to(root) if file.abs_src_path else file.src_uri
        text = file.content_string
        for match in _SPLIT_BLOCK_RE.finditer(text):
            if "\n\n" not in match.group() and re.search(r"@[a-z]", match.group()):
                line = text.count("\n", 0, match.start()) + 1
                errors.append(f"{shown}:{line}: citation block [{match.group()[1:40]}…] is broken across lines; "
                              "mkdocs-bibtex only processes a block written on one line: join it")
        for block, offset in _blocks(text):
            all_blocks.append(block)
            for citation in block.citations:
                if citation.key not in known:
                    line = text.count("\n", 0, offset) + 1
                    col = offset - text.rfind("\n", 0, offset)
                    errors.append(f"{shown}:{line}:{col}: unknown citation key "
                                  f'"{citation.key}" in [{block.raw}]; add it to references.bib or correct the key')
    if errors:
        raise PluginError("\n".join(errors))
    # Give pandoc the .bib as written: mkdocs-bibtex would otherwise hand it
    # pybtex's re-serialisation, which escapes "%" in URLs and "&" in titles.
    registry.__dict__["bib_data_bibtex"] = (root / _bibtex(config).config.bib_file).read_text(encoding="utf-8")
    cache_pandoc(registry, root / PANDOC_CACHE)
    entries = [CitationBlock(citations=[Citation(key=key)]) for key in known]
    registry.validate_citation_blocks(all_blocks + entries)
    for cache in (registry._inline_cache, registry._reference_cache):
        for key, text in cache.items():
            cache[key] = unescape_pandoc(text)
    return files


# Pandoc's Markdown writer escapes characters that Python-Markdown does not
# treat as escapable ("Belt\\ & Road"), so the backslash would show on the page,
# and with its `smart` extension it writes dashes as "--" and "---", which
# Python-Markdown leaves as they are. Undo both outside link targets, and drop pandoc's span markup.
_MARKDOWN_ESCAPABLE = set("\\`*_{}[]()>#+-.!")
_ESCAPE_RE = re.compile(r"\\(.)")
_LINK_TARGET_RE = re.compile(r"(<[a-z]+://[^>]+>|\]\([^)]*\))")


_SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{[^}]*\}")  # pandoc spans: [text]{.nocase}


def unescape_pandoc(text: str) -> str:
    text = _SPAN_RE.sub(r"\1", text)
    parts = _LINK_TARGET_RE.split(text)
    for i in range(0, len(parts), 2):  # even parts are outside link targets
        part = parts[i].replace("---", "\u2014").replace("--", "\u2013")
        parts[i] = _ESCAPE_RE.sub(lambda m: m.group(0) if m.group(1) in _MARKDOWN_ESCAPABLE else m.group(1), part)
    return "".join(parts)
