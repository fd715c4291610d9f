"""The input gate: every file the build reads as text, read once before anything else uses it.

    python -m primer.checks.inputs

A file that is not UTF-8, YAML that does not parse, front matter that is not a mapping, glossary.yaml
of the wrong shape, or a manifest section that does not start at its heading inside its file would
otherwise surface later as a traceback, or worse, as a page that publishes the raw YAML (MkDocs keeps
front matter it cannot parse as page text). Here each is one line naming the file, the line (the byte
too, for encoding) and the fix. The build runs `problems()` first (stage 1, read) and stops on any;
`make figures` and `make test` run it too. No MkDocs import.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

# Inputs read as text, relative to the project root (globs); the CSL styles and the source texts too.
INPUTS = ("docs/**/*.md", "glossary.yaml", "charts.yaml", "CHANGELOG.md", "sources/manifest.yaml",
          "sources/*.txt", "references.bib", "styles/*.csl", "overrides/**/*.html", "CITATION.cff")
YAML_FILES = ("glossary.yaml", "charts.yaml", "sources/manifest.yaml")
FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml, when the pinned PyYAML has it
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


def not_utf8(rel: str, data: bytes, err: UnicodeDecodeError) -> str:
    """'FILE:LINE:COL: …' for the first byte that is not UTF-8 (COL counted in bytes)."""
    line = data.count(b"\n", 0, err.start) + 1
    col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
    return (f"{rel}:{line}:{col}: not UTF-8 (byte 0x{data[err.start]:02x} at byte offset {err.start}); re-save the "
            f"file as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`), or retype the character")


def read_texts(root: Path) -> tuple[dict[str, str], list[str]]:
    """Every input that exists, decoded: project-relative path -> text; and one problem per undecodable file."""
    texts, problems = {}, []
    for pattern in INPUTS:
        for path in sorted(root.glob(pattern)):
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            data = path.read_bytes()
            try:
                texts[rel] = data.decode("utf-8")
            except UnicodeDecodeError as err:
                problems.append(not_utf8(rel, data, err))
    return texts, problems


def yaml_error(rel: str, err: yaml.YAMLError, first_line: int = 1) -> str:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f"{rel}:{mark.line + first_line}:{mark.column + 1}" if mark else rel
    what = " ".join(str(getattr(err, "problem", None) or err).split())
    return f"{where}: not valid YAML ({what}); fix the syntax (an unclosed bracket or quote, or a tab for indent?)"


def parse_yaml(rel: str, text: str, first_line: int = 1):
    """(data, root node) of a YAML text, or raise ValueError with the place and the fix."""
    try:
        node = yaml.compose(text, Loader=FAST)
        data = yaml.load(text, Loader=FAST)
    except yaml.YAMLError:
        try:   # PyYAML's own parser names what it found where libyaml's does not
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as err:
            raise ValueError(yaml_error(rel, err, first_line)) from None
        raise
    return data, node


def line_of(node, *path, first_line: int = 1) -> int:
    """The line of the node reached by PATH (mapping keys, list indexes) from NODE, as far as it goes."""
    line = node.start_mark.line if node is not None else 0
    for step in path:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line, pair[1]   # the key's line: `description:` itself
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    return line + first_line


def front_matter_problems(rel: str, text: str) -> list[str]:
    """A page's front matter: closed, valid YAML, a mapping, its title and description text."""
    if not re.match(r"-{3}[ \t]*\n", text):
        return []
    match = FRONT_MATTER.match(text)
    if not match:
        return [f"{rel}:1: front matter opened with `---` is never closed; end it with a line `---`"]
    block = match.group(1) or ""
    try:
        data, node = parse_yaml(rel, block, first_line=2)
    except ValueError as err:
        return [f"{err} in the front matter (MkDocs would publish it as page text)"]
    if not text[match.end():].strip():
        return [f"{rel}:{text[:match.end()].count(chr(10)) + 1}: the page has front matter and no text; write it, or "
                f"remove the file and its nav entry"]
    if data is None:
        return []
    if not isinstance(data, dict):
        return [f"{rel}:2: front matter must be a mapping (`title: …`, `description: …`), not "
                f"{type(data).__name__}"]
    return [f"{rel}:{line_of(node, key, first_line=2)}: front matter `{key}` must be one line of text, not "
            f"{type(data[key]).__name__}; quote it" for key in ("title", "description")
            if key in data and not isinstance(data[key], str)]


WANTED = {"aliases": ("a list of text", lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v)),
          "in_sources": ("true or false", lambda v: isinstance(v, bool))}


def glossary_problems(rel: str, data, node) -> list[str]:
    """glossary.yaml: `terms:` a list of mappings, each field text (aliases a list of text)."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return [f"{rel}:{line_of(node, 'terms')}: expected `terms:` followed by a list of terms (`- term: …`)"]
    problems = []
    for index, term in enumerate(data["terms"]):
        here = f"{rel}:{line_of(node, 'terms', index)}"
        if not isinstance(term, dict):
            problems.append(f"{here}: term {index + 1} is {type(term).__name__}, not a mapping; write it as "
                            f"`- term: …` with english, definition and cite under it")
            continue
        for key, value in term.items():
            want, ok = WANTED.get(key, ("text", lambda v: isinstance(v, str)))
            if not ok(value):
                problems.append(f"{rel}:{line_of(node, 'terms', index, key)}: `{key}` of term {index + 1} must be "
                                f"{want}, not {type(value).__name__} ({value!r}); quote it")
    return problems


def manifest_problems(root: Path, rel: str, data, node, texts: dict[str, str]) -> list[str]:
    """sources/manifest.yaml: each source a mapping with key and file; each section inside its file and
    starting, on the line given, with its heading."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        return [f"{rel}:{line_of(node, 'sources')}: expected `sources:` followed by a list of sources"]
    problems = []
    for index, source in enumerate(data["sources"]):
        here = f"{rel}:{line_of(node, 'sources', index)}"
        if not isinstance(source, dict) or not isinstance(source.get("key"), str) \
                or not isinstance(source.get("file"), str):
            problems.append(f"{here}: source {index + 1} needs `key:` and `file:` (text)")
            continue
        text = texts.get(source["file"])
        sections = (source.get("locators") or {}).get("sections") if isinstance(source.get("locators"), dict) else None
        if text is None or not isinstance(sections, list):
            continue
        lines = text.replace("\r\n", "\n").split("\n")
        for number, section in enumerate(sections):
            at = f"{rel}:{line_of(node, 'sources', index, 'locators', 'sections', number)}"
            if not isinstance(section, dict) or not isinstance(section.get("start"), int) \
                    or isinstance(section.get("start"), bool):
                problems.append(f"{at}: section {number + 1} of {source['key']} needs `id`, `heading` and `start` "
                                f"(a line number of {source['file']})")
                continue
            start, heading = section["start"], str(section.get("heading") or "")
            if not 1 <= start <= len(lines):
                problems.append(f"{at}: section {section.get('id')!r} of {source['key']} starts at line {start}, "
                                f"but {source['file']} has {len(lines)} lines; set `start` to its heading's line")
            elif heading and not lines[start - 1].strip().startswith(heading):
                found = next((n for n, line in enumerate(lines, 1) if line.strip().startswith(heading)), None)
                hint = f" (it is on line {found})" if found else ""
                problems.append(f"{at}: section {section.get('id')!r} of {source['key']} should start with "
                                f"{heading!r}, but {source['file']}:{start} reads {lines[start - 1].strip()[:60]!r}"
                                f"{hint}; fix `start`")
    return problems


def problems(root: Path | str = ".", docs_dir: str = "docs") -> list[str]:
    """Every problem of the inputs, one line each, the place first; [] when every input can be read."""
    root = Path(root)
    texts, found = read_texts(root)
    prefix = Path(docs_dir).resolve().relative_to(root.resolve()).as_posix() + "/" \
        if Path(docs_dir).is_absolute() else docs_dir.rstrip("/") + "/"
    for rel, text in texts.items():
        if rel.startswith(prefix) and rel.endswith(".md"):
            found += front_matter_problems(rel, text)
    for rel in YAML_FILES:
        if rel not in texts:
            continue
        try:
            data, node = parse_yaml(rel, texts[rel])
        except ValueError as err:
            found.append(str(err))
            continue
        if rel == "glossary.yaml":
            found += glossary_problems(rel, data, node)
        elif rel == "sources/manifest.yaml":
            found += manifest_problems(root, rel, data, node, texts)
    return found


def main() -> int:
    found = problems(Path("."))
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
