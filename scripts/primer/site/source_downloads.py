"""A source document's RIS and CSL-JSON files: what a reference manager imports on click from its "Cite this
source" box, beside the box's APA, Chicago and BibTeX (primer.site.source_citations).

    downloads(keys, bib) -> {"cite/<key>.ris": text, "cite/<key>.json": text}   (DOWNLOADS, as the sections')
    files(key) -> {"RIS": path, "CSL-JSON": path}                                  where they are, from the root

The CSL-JSON file is the record the box's strings are rendered from, as pandoc's reader gives it (one pandoc run
for every document: source_citations.record, read as biblatex; kept in .cache/sources/, keyed by pandoc's version
and the entries), so a reader's citeproc renders from the same item. RIS is written from that item field by field (to_ris). An undated work read online is cited with the day
it was read: the box gives the reader's day (docs/javascripts/cite.js) and, without JavaScript, the build's; a
file cannot know the reader's day, so it carries the build's (citation_formats.build_day), as the box's static
text does. No MkDocs import: primer.build.stages.bibliography adds the files to the site.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from primer import ROOT
from primer.build import cache_files
from primer.site import source_citations

CACHE = ROOT / ".cache" / "sources"   # pandoc's reading of the entries (a build reads it back when they are unchanged)
_KEEP = 4
DOWNLOADS = "cite"   # the folder under the site's root, shared with the sections' files (citation_formats)

# CSL type -> RIS type (as citation-js's RIS reader maps it back: NEWS article-newspaper, CHAP chapter, …)
RIS_TYPES = {"article-newspaper": "NEWS", "article-journal": "JOUR", "article-magazine": "MGZN", "chapter": "CHAP",
             "paper-conference": "CPAPER", "webpage": "ELEC", "report": "RPRT", "book": "BOOK"}


def files(key: str) -> dict[str, str]:
    """{"RIS": path, "CSL-JSON": path}: where KEY's files are, from the site's root."""
    return {"RIS": f"{DOWNLOADS}/{key}.ris", "CSL-JSON": f"{DOWNLOADS}/{key}.json"}


def csl_items(keys: list[str], bib_text: str, day: dt.date | None = None) -> dict[str, dict]:
    """{key: CSL-JSON item}: each document's record as pandoc's biblatex reader gives it (one run), with DAY
    (the build's) as its access date where the box cites it with one."""
    from primer.site import citation_formats, csl_render

    records = {key: source_citations.record(key, bib_text) for key in keys}
    items = {item["id"]: item for item in _read(csl_render, "\n\n".join(records.values()))}
    day = day or citation_formats.build_day()
    for key, entry in records.items():
        if source_citations.needs_access_date(entry):
            items[key]["accessed"] = {"date-parts": [[day.year, day.month, day.day]]}
    return {key: items[key] for key in keys}


def _read(csl_render, entries: str) -> list[dict]:
    """ENTRIES (biblatex) as pandoc's reader gives them in CSL-JSON: from CACHE, or one pandoc run."""
    pandoc, version = csl_render._pandoc()
    cached = CACHE / f"{cache_files.key('primer-source-csl 1', version, entries)}.json"
    kept = cache_files.read_json(cached)
    if kept is not None:
        return kept
    result = subprocess.run([pandoc, "-f", "biblatex", "-t", "csljson"], input=entries, capture_output=True,
                            text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"pandoc could not read the source documents' entries: {result.stderr.strip()}")
    cache_files.write(cached, result.stdout, _KEEP)
    return json.loads(result.stdout)


def _date(item: dict, name: str) -> str | None:
    parts = (item.get(name) or {}).get("date-parts", [[]])[0]
    return "/".join(f"{part:02d}" if n else str(part) for n, part in enumerate(parts)) if parts else None


def _name(person: dict) -> str:
    if "literal" in person:
        return person["literal"]
    return ", ".join(part for part in (person.get("family"), person.get("given")) if part)


def to_ris(item: dict) -> str:
    """RIS of a source's CSL item: its type (RIS_TYPES, GEN otherwise), authors, title, container (T2), publisher,
    year and date, genre (M3), URL, access date (Y2), DOI, volume, issue, pages and note, each date YYYY/MM/DD.
    A web page's (ELEC) access date is in M1 as well: the RIS specification's table, which citation-js follows,
    has no Y2 for ELEC, and Zotero reads Y2."""
    issued = _date(item, "issued")
    accessed = _date(item, "accessed")
    pages = (item.get("page") or "").replace("–", "-").split("-")
    lines = [("TY", RIS_TYPES.get(item.get("type", ""), "GEN")),
             *(("AU", _name(person)) for person in item.get("author", [])),
             ("TI", item.get("title")), ("T2", item.get("container-title")), ("PB", item.get("publisher")),
             ("PY", issued[:4] if issued else None), ("DA", issued), ("M3", item.get("genre")),
             ("VL", item.get("volume")), ("IS", item.get("issue")), ("SP", pages[0] or None),
             ("EP", pages[1] if len(pages) > 1 else None), ("DO", item.get("DOI")), ("UR", item.get("URL")),
             ("Y2", accessed), ("M1", accessed if item.get("type") == "webpage" else None), ("N1", item.get("note"))]
    return "\n".join(f"{tag}  - {value}" for tag, value in lines if value) + "\nER  - "


def downloads(keys: list[str], bib: Path = source_citations.BIB, day: dt.date | None = None) -> dict[str, str]:
    """{path from the site's root: text}: each of KEYS's RIS and CSL-JSON file."""
    out = {}
    for key, item in csl_items(keys, Path(bib).read_text(encoding="utf-8"), day).items():
        paths = files(key)
        out[paths["RIS"]] = to_ris(item)
        out[paths["CSL-JSON"]] = json.dumps([item], ensure_ascii=False, indent=2)
    return out
