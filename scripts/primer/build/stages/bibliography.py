"""Stage 3: the bibliography page and the .bib download.

The page `reference/bibliography.md` is generated at build time from
references.bib (never written by hand): every entry, formatted by the same CSL
style as the citations, with an anchor named after its key, the `note` that
says what is unknown (Chicago drops a misc entry's note), its DOI or URL, and
the vendored source file. references.bib itself is published beside it.
Runs after the citations stage has had every entry formatted in one pandoc run.

Each source document's entry also offers its own reference to copy, in APA, Chicago and BibTeX,
and its RIS and CSL-JSON files to import (primer.site.source_downloads, written under cite/ like the
sections'), with a locator the reader fills in (section, paragraph, line, table, figure or page): its reference and
in-text citations rendered together by the CSL processor (`source_cites`: primer.site.source_citations,
one pandoc run), the locator put in by docs/javascripts/cite.js. Without JavaScript the formats show the
reference and the in-text citation without a locator. The entry prints the same rendering (and so does
each chapter's "Works cited": primer.build.stages.marks), less the reader's access date.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from primer.build import bibtex_adapter as bibtex
from primer.site import citation_formats as cite
from primer.site import source_citations, source_downloads

PAGE = "reference/bibliography.md"
PAGE_URL = "reference/bibliography/"   # where the page is, for the links to the source documents' files
BIB_DOWNLOAD = "references.bib"


def _sort_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"<[^>]+>", "", text).lower())


def _latex_to_text(value: str) -> str:
    return re.sub(r"\\([&%$#_])", r"\1", value).replace("{", "").replace("}", "")


def _downloads(key: str) -> str:
    """The row of links to a source document's RIS and CSL-JSON files (as a section's panel has them)."""
    e = html.escape
    links = " ".join(
        f'<a class="md-button cite-panel__download" href="{e(get_relative_url(path, PAGE_URL))}"'
        f'{"" if label == "RIS" else " download"} aria-label="{e(label)} file of this source">{e(label)}</a>'
        for label, path in source_downloads.files(key).items())   # RIS opens in the reference manager
    return f'<p class="cite-panel__downloads">Import into a reference manager: {links}</p>'


def _source_cite(key: str, data: dict) -> str:
    """The "Cite this source" box of a source document's entry (one HTML block)."""
    e = html.escape
    options = "".join(f'<option value="{e(label)}">{e(label)}</option>'
                      for label in ("", *source_citations.LOCATOR_LABELS))
    options = options.replace('<option value=""></option>', '<option value="">no locator</option>')
    # without JavaScript: the build's day as the access date (cite.js puts in the reader's, from data-source-cite)
    static = {"APA": f"{data['apa']}\n\n{data['in_text']['']['apa']}",
              "Chicago": f"{data['chicago']}\n\n{data['in_text']['']['chicago']}", "BibTeX": data["bibtex"]}
    static = {name: cite.with_build_day(text) for name, text in static.items()}
    formats = "".join(
        f'<p class="source-cite__name">{name}</p><pre><code data-source-format="{name}">{e(text)}</code></pre>'
        f'<button type="button" class="md-button source-cite__copy" data-source-format="{name}" '
        f'data-clipboard-text="{e(text, quote=True)}">Copy {name}</button>'
        for name, text in static.items())
    data = {name: value for name, value in data.items() if name != "printed"}   # the page prints it
    return (f'<div class="source-cite" data-source-key="{e(key)}" data-source-cite="{e(json.dumps(data, ensure_ascii=False), quote=True)}">'
            f'<details><summary>Cite this source, with the passage you are reading</summary>'
            f'<p><label for="locator-label-{e(key)}">Locator</label> <select id="locator-label-{e(key)}" '
            f'class="source-cite__label">{options}</select> '
            f'<label for="locator-{e(key)}" class="source-cite__value-label">number or name</label> '
            f'<input id="locator-{e(key)}" class="source-cite__value" type="text" placeholder="4.2" autocomplete="off"></p>'
            f'{formats}{_downloads(key)}</details></div>')


def _entry(key: str, entry, formatted: str, source: dict | None = None) -> str:
    fields = {name.lower(): value for name, value in entry.fields.items()}
    details = [f"Key <code>{key}</code>"]
    if "doi" in fields:
        doi = fields["doi"]
        details.append(f'DOI <a href="https://doi.org/{html.escape(doi)}">{html.escape(doi)}</a>')
    if "url" in fields and "doi" not in fields:
        details.append(f'<a href="{html.escape(fields["url"])}">Online copy</a>')
    if "file" in fields:
        details.append("Its text is kept with the primer, which checks every figure quoted from it")
    if "note" in fields:
        details.append(f"Note: {html.escape(_latex_to_text(fields['note']))}")
    box = f"{_source_cite(key, source)}\n\n" if source else ""
    return (f'<div class="bib-entry" id="{key}" markdown>\n\n{formatted}\n\n'
            f'<small class="bib-details">{" · ".join(details)}</small>\n\n{box}</div>\n')


def source_cites(config, root: Path) -> dict[str, dict]:
    """Each source document's reference and in-text citations (primer.site.source_citations.source_templates,
    one pandoc run, cached): its box here, its printed reference here and in every chapter's "Works cited"."""
    registry = bibtex.registry(config)
    documents = [key for key, entry in bibtex.known_keys(registry).items() if "file" in entry.fields]
    return source_citations.source_templates(documents, root / bibtex.plugin(config).config.bib_file)


def render(registry, cited: dict[str, dict] | None = None) -> str:
    """The page; CITED: source_cites's, each source document's box and printed reference."""
    cited = cited or {}
    entries = bibtex.known_keys(registry)
    formatted = {key: bibtex.reference_text(registry, key) for key in entries}
    for key, data in cited.items():
        formatted[key] = data["printed"]
    sources = sorted((k for k, e in entries.items() if "file" in e.fields), key=lambda k: _sort_key(formatted[k]))
    others = sorted((k for k, e in entries.items() if "file" not in e.fields), key=lambda k: _sort_key(formatted[k]))
    parts = [
        "---\ntitle: Bibliography\ndescription: Every work the primer cites, generated from references.bib.\n---\n",
        "# Bibliography\n",
        "Every work the primer cites, generated at build time from "
        f"[`references.bib`](../{BIB_DOWNLOAD}) (download it for your reference manager). "
        "Each entry's anchor is its citation key. Metadata the primer could not establish is stated "
        "in the entry's note, never guessed.\n",
        "## The source documents\n",
        "The documents the primer summarises; their texts are kept with the primer, unchanged.\n",
        *(_entry(k, entries[k], formatted[k], cited.get(k)) for k in sources),
        "## Works the sources cite\n",
        "The works the source documents cite, as they give them (but where a work's own record shows otherwise, "
        "as the entry's note says), and the public evidence the source notes compare them with. Where a source "
        "cites a work only by author and year, the entry says so and records what is unknown.\n",
        *(_entry(k, entries[k], formatted[k]) for k in others),
    ]
    return "\n".join(parts)


def add_page(files, config, root: Path, cited: dict[str, dict]) -> None:
    bib_path = root / bibtex.plugin(config).config.bib_file
    files.append(File.generated(config, PAGE, content=render(bibtex.registry(config), cited)))
    for path, text in source_downloads.downloads(list(cited), bib_path).items():   # each source's RIS, CSL-JSON
        files.append(File.generated(config, path, content=text))
    files.append(File.generated(config, BIB_DOWNLOAD, abs_src_path=str(bib_path)))
