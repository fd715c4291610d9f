"""APA and Chicago strings rendered by a CSL processor: pandoc's citeproc, with the official styles.

    render(records) -> {id: {"apa": text, "chicago": text}}
    render_cited(bib, cites) -> ({cite id: {style: text}}, {key: {style: reference}})
    render_with_html(bib, cites) -> the same, and {key: {style: the reference as HTML}}, from the same rendering

`records` are CSL-JSON items (dicts with an "id"). Every record of a build goes through ONE pandoc
process, which renders each style in turn (scripts/primer/site/csl/render.lua, a pandoc custom writer calling
pandoc.utils.citeproc), as plain text. The result is kept in .cache/csl/, keyed by pandoc's version,
the styles, the writer and the records, and in memory for the rest of the process: a build, a test
or a script asking again for a record already rendered runs no pandoc.

The styles are vendored (styles/, CC BY-SA 3.0, from the Citation Style Language project's
repository citation-style-language/styles): apa.csl (APA 7th edition) and chicago-author-date.csl
(Chicago 18th edition, author-date).
"""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

from primer.build import cache_files

from primer import ROOT
STYLES = {"apa": ROOT / "styles" / "apa.csl", "chicago": ROOT / "styles" / "chicago-author-date.csl"}
WRITER = Path(__file__).resolve().parent / "csl" / "render.lua"
CACHE = ROOT / ".cache" / "csl"
_KEEP = 16
# Each record is a reference on its own, but one run renders them as one reference list, where the
# styles would tell apart two works of one author and year ("2026a", "2026b") and replace a
# repeated author by a dash: both are switched off, so each text is the record's rendering alone
# (tests/test_cite.py renders records one at a time and compares).
_LIST_ONLY = re.compile(r'\s(?:disambiguate-add-year-suffix|subsequent-author-substitute(?:-rule)?)="[^"]*"')


# Words the CSL specification's title case keeps lowercase ("stop words") and citeproc-js (the processor of Zotero,
# Mendeley and citation.js) too, but pandoc's citeproc capitalises: "Two-Way Internationalisation Under Dual
# Circulation" on the page, "…under…" in a reader's reference manager. Each is marked `nocase` in the records pandoc
# renders (not in the records the site publishes), so the page prints what the reader's software will.
_PANDOC_CAPITALISES = frozenset(
    "across afore after against along alongside amid amidst among amongst anenst apropos apud around aside astride "
    "athwart atop barring before behind below beneath beside besides between beyond circa despite during except "
    "forenenst given inside lest like modulo near next notwithstanding off out per plus pro qua sans since than "
    "through throughout thruout toward towards under underneath until unto upon versus within without".split())
_WORD = re.compile(r"(?<=[ (])([a-z]+)(?=[ ,;.)])")


def as_citeproc_js_cases(title: str) -> str:
    """TITLE with each word of _PANDOC_CAPITALISES (lowercase, not the first or last word nor one after a colon)
    kept lowercase by pandoc's title case, as citeproc-js keeps it (CSL's `<span class="nocase">`)."""
    def keep(match):
        before, after = title[:match.start()].rstrip(" ("), title[match.end():].strip(" ,;.)")
        if match.group(1) not in _PANDOC_CAPITALISES or not after or before.endswith((":", "?", "!")):
            return match.group(0)
        return f'<span class="nocase">{match.group(1)}</span>'
    return _WORD.sub(keep, title)


def _for_pandoc(record: dict) -> dict:
    titles = {name: as_citeproc_js_cases(record[name]) for name in ("title", "collection-title")
              if isinstance(record.get(name), str)}
    return record | titles


def style_text(name: str) -> str:
    """The official style, less what only a reference list of several works needs (_LIST_ONLY)."""
    return _LIST_ONLY.sub("", STYLES[name].read_text(encoding="utf-8"))


class RenderError(RuntimeError):
    pass


def _pandoc() -> tuple[str, str]:
    import pypandoc

    return pypandoc.get_pandoc_path(), pypandoc.get_pandoc_version()


def _key(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _pandoc_run(bibliography: str, suffix: str, markdown: str, tag: str, cache_dir: Path = CACHE,
                texts: dict[str, str] | None = None) -> dict:
    """One pandoc run of the writer over MARKDOWN with BIBLIOGRAPHY (CSL-JSON or BibTeX text, as
    SUFFIX says), cached in CACHE_DIR (.cache/csl/) by every input. TEXTS: the styles' text, as the
    caller read them (style_text, by default)."""
    texts = texts or {name: style_text(name) for name in STYLES}
    path, version = _pandoc()
    digest = cache_files.key("primer-csl 3", tag, version, WRITER.read_bytes(),
                             *(texts[name] for name in sorted(STYLES)), suffix, bibliography, markdown)
    cached = cache_dir / f"{digest}.json"
    kept = cache_files.read_json(cached)
    if kept is not None:
        return kept
    with tempfile.TemporaryDirectory() as folder:
        bib = Path(folder) / f"records.{suffix}"
        bib.write_text(bibliography, encoding="utf-8")
        styles = {}
        for name in STYLES:
            styles[name] = Path(folder) / f"{name}.csl"
            styles[name].write_text(texts[name], encoding="utf-8")
        meta = Path(folder) / "meta.yaml"
        meta.write_text(json.dumps({"styles": {n: str(p) for n, p in styles.items()}}), encoding="utf-8")
        result = subprocess.run([path, "-f", "markdown", "-t", str(WRITER), "--metadata-file", str(meta),
                                 "--bibliography", str(bib)], input=markdown, capture_output=True, text=True,
                                timeout=300)
    if result.returncode != 0:
        raise RenderError(f"pandoc could not render the citations: {result.stderr.strip()}")
    by_style = json.loads(result.stdout)
    cache_files.write(cached, json.dumps(by_style, ensure_ascii=False), _KEEP)
    return by_style


def _run(records: list[dict], cache_dir: Path, texts: dict[str, str]) -> dict[str, dict[str, str]]:
    by_style = _pandoc_run(json.dumps([_for_pandoc(record) for record in records], ensure_ascii=False), "json", "---\nnocite: '@*'\n---\n", "records",
                           cache_dir, texts)
    return {record["id"]: {name: by_style[name]["references"][record["id"]] for name in STYLES} for record in records}


def render_cited(bib_text: str, cites: dict[str, str]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Citations of works in a BibTeX file, in one pandoc run: CITES is {id: "@key, sec. 4.2"} (pandoc's
    citation syntax: a key and an optional locator); returns ({id: {style: in-text citation}},
    {key: {style: reference}}) for the works cited."""
    citations, references, _ = render_with_html(bib_text, cites, every_entry=False)
    return citations, references


# pandoc (3.9) parses a citation's locator label only for the locator types of CSL 1.0.1 (its
# Text.Pandoc.Citeproc.Locator.locatorTerms): "table" (CSL 1.0.2) stays text, "table 1" whatever the style.
# Its citeproc renders a table locator as the style says, though: so a table is given to pandoc as "opus",
# a locator type neither style names, whose terms, in a locale of the style's own, are the CSL locale's terms
# for "table" (en-US: table/tables, tbl./tbls.). APA then writes "Table 1", Chicago "tbl. 1", as citeproc-js does.
TABLE_AS = "opus"
_TABLE_TERMS = (f'<locale><terms><term name="{TABLE_AS}"><single>table</single><multiple>tables</multiple></term>'
                f'<term name="{TABLE_AS}" form="short"><single>tbl.</single><multiple>tbls.</multiple></term>'
                "</terms></locale>")


def with_table_locator(style: str) -> str:
    """STYLE (a CSL style's text) with the table's terms under TABLE_AS, in a locale after its <info>."""
    if "</info>" not in style:
        raise RenderError("a CSL style without <info>: cannot add the table locator's terms")
    return style.replace("</info>", "</info>" + _TABLE_TERMS, 1)


def render_with_html(bib_text: str, cites: dict[str, str], every_entry: bool = True) -> tuple[dict, dict, dict]:
    """render_cited, with a table locator worded by each style (TABLE_AS: cite it as "table 1"), and each
    reference as HTML too, from the same rendering: ({id: {style: in-text}}, {key: {style: text}},
    {key: {style: HTML}}). EVERY_ENTRY: every entry of BIB_TEXT has its reference, cited or not."""
    markdown = "".join(f"[[{cite}]]{{#{cid}}}\n\n" for cid, cite in cites.items())
    if every_entry:
        markdown = "---\nnocite: '@*'\n---\n\n" + markdown
        texts = {name: with_table_locator(style_text(name)) for name in STYLES}
    else:
        texts = None
    by_style = _pandoc_run(bib_text, "bib", markdown, "cited", texts=texts)
    citations = {cid: {name: by_style[name]["citations"][cid] for name in STYLES} for cid in cites}
    keys = {ref for name in STYLES for ref in by_style[name]["references"]}
    references = {key: {name: by_style[name]["references"][key] for name in STYLES} for key in keys}
    html = {key: {name: by_style[name]["html"][key] for name in STYLES} for key in keys}
    return citations, references, html


def render(records: list[dict], memo: dict | None = None, cache_dir: Path = CACHE) -> dict[str, dict[str, str]]:
    """{id: {"apa": …, "chicago": …}} for every record (ids must be distinct), in one pandoc run at most.
    MEMO (the caller's: the build plugin keeps one across `mkdocs serve`'s rebuilds) holds the renderings
    already made, by the styles' text and the JSON of each record: an edited style renders every record
    again, so one site never shows two versions of a style."""
    _memo = {} if memo is None else memo
    ids = [record["id"] for record in records]
    if len(set(ids)) != len(ids):
        raise RenderError("two records have the same id")
    texts = {name: style_text(name) for name in STYLES}   # read once: every record rendered with the same
    styles = cache_files.key(*(texts[name] for name in sorted(STYLES)))

    def key(record):
        return styles, _key(record)

    missing = [record for record in records if key(record) not in _memo]
    if missing:
        rendered = _run(missing, cache_dir, texts)
        for record in missing:
            _memo[key(record)] = rendered[record["id"]]
    return {record["id"]: _memo[key(record)] for record in records}
