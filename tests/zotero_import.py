"""What Zotero makes of the primer's RIS and BibTeX when a reader imports them: its own import translators, RIS.js
and BibTeX.js, give an item, which Zotero keeps as itemToAPIJSON does (the form translation-server returns); the
route tests (tests/test_routes.py) export that item to CSL with `zotero_csl`, as Zotero's citeproc-js is given it.

Followed: zotero/translators at 2814370161d05d799086825fac8d499db3a33aa3, RIS.js (importTypeMap, fieldMap and
degenerateImportFieldMap with TagMapper.getField, RISReader, processTag, applyValue, dateRIStoZotero,
completeItem; a tag of the degenerate map is read after the others) and BibTeX.js (bibtex2zoteroTypeMap, fieldMap,
inputFieldMap, beginRecord, getFieldValue, processField, splitUnprotected, unescapeBibTeX, dateFieldsToDate);
zotero/utilities at 4051881d59c6c12d34417d4c226f37218051be90, utilities_item.js (itemToAPIJSON), utilities.js
(unescapeHTML) and resource/zoteroTypeSchemaData.js (each item type's fields and base fields, the same as
zotero/zotero-schema 5eedf4402ea6e7393eaf16902b63f572f48707a7's schema.json, whose `csl` section gives CSL_TYPES,
CSL_TEXT, CSL_NAMES and the dates). Only the branches the primer's files reach are ported, the logic in this
module's own words; no Zotero code is copied. Input the port does not cover (a TeX command, a RIS continuation
line, an item type or field outside the tables) raises NotPorted, naming what and where, rather than guessing.

What Zotero does with the primer's files, in short: a RIS record's AU is the author for every type the primer
writes (NEWS included), a name without a comma one field; BibTeX's `@article` is a journal article whatever its
`entrysubtype` (a field BibTeX.js does not read), `journal` and `journaltitle` its publication, `@manual` a book,
`@online` a web page, `organization` and `institution` its publisher; a name in double braces one field, and
"others" an author of that name; `date` wins over `year` and `month`, `urldate` is the access date.
"""
from __future__ import annotations

import html
import re


class NotPorted(ValueError):
    """Input that reaches a branch of Zotero's translators this port does not follow."""


# --- the schema (zoteroTypeSchemaData.js): fields per item type, {type-specific field: base field} ------------

_COMMON = ("title", "abstractNote", "date", "DOI", "citationKey", "url", "accessDate", "shortTitle", "language",
           "rights", "extra")
_LIBRARY = ("archive", "archiveLocation", "libraryCatalog", "callNumber")
FIELDS = {
    "book": _COMMON + _LIBRARY + ("series", "seriesNumber", "volume", "numberOfVolumes", "edition", "publisher",
                                  "place", "originalDate", "originalPublisher", "originalPlace", "format", "numPages",
                                  "ISBN", "ISSN"),
    "bookSection": _COMMON + _LIBRARY + ("bookTitle", "series", "seriesNumber", "volume", "numberOfVolumes",
                                         "edition", "publisher", "place", "originalDate", "originalPublisher",
                                         "originalPlace", "format", "pages", "ISBN", "ISSN"),
    "conferencePaper": _COMMON + _LIBRARY + ("proceedingsTitle", "conferenceName", "publisher", "place", "eventPlace",
                                             "volume", "issue", "numberOfVolumes", "pages", "series", "seriesNumber",
                                             "ISBN", "ISSN"),
    "document": _COMMON + _LIBRARY + ("type", "publisher", "place"),
    "journalArticle": _COMMON + _LIBRARY + ("publicationTitle", "publisher", "place", "volume", "issue", "section",
                                            "partNumber", "partTitle", "pages", "series", "seriesTitle", "seriesText",
                                            "journalAbbreviation", "PMID", "PMCID", "ISSN"),
    "newspaperArticle": _COMMON + _LIBRARY + ("publicationTitle", "publisher", "place", "volume", "issue", "edition",
                                              "section", "pages", "ISSN"),
    "report": _COMMON + _LIBRARY + ("reportNumber", "reportType", "institution", "place", "seriesTitle",
                                    "seriesNumber", "pages", "ISBN", "ISSN"),
    "webpage": _COMMON + ("websiteTitle", "websiteType", "publisher", "place"),
}
BASE = {   # the base field each type-specific field stands for
    "book": {"format": "medium"}, "bookSection": {"bookTitle": "publicationTitle", "format": "medium"},
    "conferencePaper": {"proceedingsTitle": "publicationTitle"},
    "report": {"reportNumber": "number", "reportType": "type", "institution": "publisher"},
    "webpage": {"websiteTitle": "publicationTitle", "websiteType": "type"},
}
CREATOR_TYPES = {"author", "contributor", "editor", "seriesEditor", "translator", "bookAuthor", "reviewedAuthor"}

# the schema's `csl` section: item type -> CSL type; CSL text variable -> Zotero fields (first found); names; dates
CSL_TYPES = {"book": "book", "bookSection": "chapter", "conferencePaper": "paper-conference", "document": "document",
             "journalArticle": "article-journal", "newspaperArticle": "article-newspaper", "report": "report",
             "webpage": "webpage"}
CSL_TEXT = {"abstract": ("abstractNote",), "archive": ("archive",), "archive_location": ("archiveLocation",),
            "authority": ("authority",), "call-number": ("callNumber", "applicationNumber"), "chapter-number":
            ("session",), "citation-key": ("citationKey",), "collection-number": ("seriesNumber",),
            "collection-title": ("seriesTitle", "series"), "container-title": ("publicationTitle", "reporter",
            "code"), "dimensions": ("artworkSize", "runningTime"), "DOI": ("DOI",), "edition": ("edition",),
            "event-place": ("eventPlace",), "event-title": ("meetingName", "conferenceName"), "genre": ("type",
            "programmingLanguage"), "ISBN": ("ISBN",), "ISSN": ("ISSN",), "issue": ("issue", "priorityNumbers"),
            "journalAbbreviation": ("journalAbbreviation",), "language": ("language",), "license": ("rights",),
            "medium": ("medium", "system"), "note": ("extra",), "number": ("number",), "number-of-pages":
            ("numPages",), "number-of-volumes": ("numberOfVolumes",), "original-publisher": ("originalPublisher",),
            "original-publisher-place": ("originalPlace",), "part-number": ("partNumber",), "part-title":
            ("partTitle",), "page": ("pages",), "PMID": ("PMID",), "PMCID": ("PMCID",), "publisher": ("publisher",),
            "publisher-place": ("place",), "references": ("history", "references"), "scale": ("scale",), "section":
            ("section", "committee"), "source": ("libraryCatalog",), "status": ("status",), "title": ("title",),
            "title-short": ("shortTitle",), "URL": ("url",), "version": ("versionNumber",), "volume": ("volume",
            "codeNumber")}
CSL_NAMES = {"author": "author", "bookAuthor": "container-author", "contributor": "contributor", "editor": "editor",
             "reviewedAuthor": "reviewed-author", "seriesEditor": "collection-editor", "translator": "translator"}
CSL_DATES = {"issued": "date", "accessed": "accessDate"}


def field_of(item_type: str, base: str) -> str | None:
    """getFieldIDFromTypeAndBase: the field of ITEM_TYPE that stands for the base field BASE, or None."""
    return next((field for field, of in BASE.get(item_type, {}).items() if of == base), None)


def saved(item: dict) -> dict:
    """itemToAPIJSON: what Zotero keeps of a translator's ITEM. A base field becomes the type's own field (unless
    that is set); a field the type lacks, or no Zotero field at all, is discarded; a creator with neither name is
    dropped, one with no first name (or in one-field mode) keeps one field, `name`; notes and attachments become
    child items (left out here: no CSL variable reads them). What it returns reads back unchanged."""
    item_type = item["itemType"]
    if item_type not in FIELDS:
        raise NotPorted(f"item type {item_type!r}: not in this port's schema table (zotero_import.FIELDS)")
    out = {"itemType": item_type}
    for field, value in item.items():
        if field in ("itemType", "notes", "attachments", "tags") or value is None or value is False:
            continue
        if field == "creators":
            out["creators"] = [_saved_creator(creator) for creator in value
                               if creator.get("firstName") or creator.get("lastName") or creator.get("name")]
            continue
        value = str(value)
        own = field_of(item_type, field)
        if own:
            out.setdefault(own, value)
        elif field in FIELDS[item_type]:
            out[field] = value
        # else: discarded, as Zotero does (an unknown field, or one the type lacks)
    return out


def _saved_creator(creator: dict) -> dict:
    kind = creator.get("creatorType") or "author"
    if kind not in CREATOR_TYPES:
        raise NotPorted(f"creator type {kind!r}: not in this port's table (zotero_import.CREATOR_TYPES)")
    if not creator.get("firstName") or creator.get("fieldMode") == 1:   # ("name": already saved; kept)
        return {"name": creator.get("name") or creator["lastName"], "creatorType": kind}
    return {"firstName": creator["firstName"], "lastName": creator["lastName"], "creatorType": kind}


# --- RIS.js -----------------------------------------------------------------------------------------------------

RIS_TYPES = {"BOOK": "book", "CHAP": "bookSection", "CPAPER": "conferencePaper", "CONF": "conferencePaper",
             "ELEC": "webpage", "GEN": "journalArticle", "JOUR": "journalArticle", "NEWS": "newspaperArticle",
             "RPRT": "report", "WEB": "webpage"}
# tag -> (field for these types | ..., default, excluded types); "creators/X" a creator of type X
_BY_TYPE = {
    "TI": ({}, "title"),
    "T2": ({"bookTitle": {"bookSection"}, "conferenceName": {"conferencePaper"}, "websiteTitle": {"webpage"},
            "seriesTitle": {"report"}, "series": {"book"},
            "publicationTitle": {"journalArticle", "newspaperArticle"}}, None),
    "AU": ({}, "creators/author"),
    "PB": ({"institution": {"report"}}, "publisher"),
    "DA": ({}, "date"), "PY": ({}, "date"),
    "IS": ({}, "issue"), "LA": ({}, "language"), "SP": ({}, "pages"),
    "M3": ({"reportType": {"report"}, "websiteType": {"webpage"}}, None),
    "VL": ({}, "volume", {"webpage"}),
    "M1": ({"seriesNumber": {"book"}}, None),
}
_SAME = {"AB": "abstractNote", "DO": "DOI", "N1": "notes", "ST": "shortTitle", "UR": "url", "Y2": "accessDate"}
# the degenerate map, read only where the first gives nothing; a tag in it waits for the others (processTag)
_DEGENERATE = {"EP": ({}, "pages"), "M1": ({"accessDate": {"webpage"}}, "extra"), "M3": ({}, "DOI"),
               "T2": ({}, "backupPublicationTitle"), "IS": ({}, None), "VL": ({"accessDate": {"webpage"}}, None)}
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def _ris_field(tag: str, item_type: str) -> str | None:
    """TagMapper.getField over [fieldMap, degenerateImportFieldMap]."""
    for table in ({**{t: (None, f) for t, f in _SAME.items()}, **_BY_TYPE}, _DEGENERATE):
        if tag not in table:
            continue
        rule = table[tag]
        if rule[0] is None:
            return rule[1]
        explicit = next((field for field, types in rule[0].items() if item_type in types), None)
        excluded = len(rule) > 2 and item_type in rule[2]
        field = explicit or (None if excluded else rule[1])
        if field:
            return field
    return None


def ris_items(text: str, source: str = "RIS") -> list[dict]:
    """RIS.js's import of TEXT: one translator item per record (before itemToAPIJSON: `saved`)."""
    records, entry = [], None
    for number, line in enumerate(text.splitlines(), 1):
        match = _RIS_LINE.match(line)
        if not match:
            if line.strip() and entry is not None:
                raise NotPorted(f"{source}:{number}: a value continued on a second line, which this port does "
                                "not read (RISReader joins it): write it on one line")
            continue
        tag, value = match.group(1), match.group(2) or ""
        if tag == "ER":
            if entry:
                records.append(entry)
            entry = None
        elif tag == "TY" and entry:
            records.append(entry)
            entry = [(tag, value, number)]
        else:
            entry = (entry or []) + [(tag, value, number)]
    if entry:
        records.append(entry)
    return [_ris_item(record, source) for record in records]


def _ris_item(record: list[tuple[str, str, int]], source: str) -> dict:
    ty = next((value.strip().upper() for tag, value, _ in record if tag == "TY"), "")
    if ty and ty not in RIS_TYPES:
        raise NotPorted(f"{source}: TY {ty!r} is not in this port's type map (zotero_import.RIS_TYPES)")
    item = {"itemType": RIS_TYPES.get(ty, "journalArticle"), "creators": [], "notes": []}
    backup = {}
    rest = [entry for entry in record if entry[0] != "TY"]
    first = [entry for entry in rest if entry[0] not in _DEGENERATE]
    for tag, value, number in first + [entry for entry in rest if entry[0] in _DEGENERATE]:
        _ris_tag(item, backup, tag, value.strip(), f"{source}:{number}")
    # completeItem
    if backup.get("publicationTitle") and not item.get("publicationTitle"):
        item["publicationTitle"] = backup["publicationTitle"]
    for field in ("pages", "date", "accessDate"):
        if backup.get(field) and not item.get(field):
            item[field] = backup[field]
    if item.get("shortTitle") and not item.get("title"):
        item["title"] = item["shortTitle"]
    return item


def _ris_tag(item: dict, backup: dict, tag: str, value: str, where: str) -> None:
    """processTag and applyValue for one tag."""
    if not value:
        return
    field = _ris_field(tag, item["itemType"])
    if field is None:
        return   # an unknown tag: a note when the hidden preference asks, else dropped
    if tag not in ("N1", "RN", "AB"):
        value = _unescape_html(value)
    if tag == "N1":
        if item.get("title") != value:
            item["notes"].append(value)
        return
    if tag == "EP":   # read after SP (a degenerate tag)
        if not item.get("pages"):
            backup["pages"] = value
        elif "-" not in item["pages"]:
            item["pages"] += "-" + value
        return
    if tag == "PY" or (tag == "M1" and field == "accessDate"):
        backup[field] = _ris_date(value, field, where)   # kept for completeItem
        return
    if tag == "VL" and field == "accessDate":
        backup.setdefault(field, _ris_date(value, field, where))
        return
    if tag == "UR" and "PM:" in value:
        raise NotPorted(f"{where}: a UR holding 'PM:' (RIS.js makes it a PMID in Extra), not ported")
    if field == "backupPublicationTitle":
        backup["publicationTitle"] = value
        return
    if field.startswith("creators/"):
        last = re.split(r"\s*,\s*", value)[0]
        first = re.sub(r"^\s*,\s*", "", value[len(last):])
        creator = {"lastName": last, "creatorType": field.split("/")[1]}
        if first:
            creator["firstName"] = first
        else:
            creator["fieldMode"] = 1   # a corporate name
        item["creators"].append(creator)
        return
    if field in ("date", "accessDate"):
        value = _ris_date(value, field, where)
    if field == "DOI":
        value = _clean_doi(value)
        if not value:
            return
    if field == "extra":
        item["extra"] = f"{item['extra']}\n{value}" if item.get("extra") else value
        return
    item.setdefault(field, value)   # a value already there is kept


def _ris_date(value: str, field: str, where: str) -> str:
    """dateRIStoZotero, for YYYY[/MM[/DD]]: "2026/12/07" -> "2026-12-07" (leading zeros dropped, a zero part ends
    the date)."""
    match = re.fullmatch(r"(\d+)(?:/(\d{0,2})(?:/(\d{0,2}))?)?", value)
    if not match:
        raise NotPorted(f"{where}: date {value!r} is not YYYY/MM/DD (RIS.js then guesses), not ported")
    parts = []
    for part in match.groups():
        part = (part or "").lstrip("0")
        if not part:
            break
        parts.append(part)
    if field == "accessDate":
        parts += ["1"] * (3 - len(parts))   # a SQL date: month and day filled in
    return "-".join([parts[0].zfill(4)] + [part.zfill(2) for part in parts[1:]])


def _clean_doi(value: str) -> str:
    match = re.search(r"10(?:\.\d{4,})+/\S+", value)
    return match.group(0) if match else ""


def _unescape_html(value: str) -> str:
    """unescapeHTML: the text of VALUE read as HTML (entities decoded, tags dropped, runs of spaces one)."""
    if "<" not in value and "&" not in value:
        return value
    return re.sub(" {2,}", " ", html.unescape(re.sub(r"<[^>]*>", "", value)))


# --- BibTeX.js --------------------------------------------------------------------------------------------------

BIBTEX_TYPES = {"article": "journalArticle", "book": "book", "booklet": "book", "collection": "book",
                "conference": "conferencePaper", "electronic": "webpage", "inbook": "bookSection",
                "incollection": "bookSection", "inproceedings": "conferencePaper", "manual": "book",
                "misc": "document", "mvbook": "book", "online": "webpage", "proceedings": "book", "report": "report",
                "techreport": "report"}
_FIELD = {"address": "place", "chapter": "section", "edition": "edition", "type": "type", "series": "series",
          "title": "title", "volume": "volume", "copyright": "rights", "isbn": "ISBN", "issn": "ISSN",
          "shorttitle": "shortTitle", "doi": "DOI", "abstract": "abstractNote", "nationality": "country",
          "language": "language", "assignee": "assignee",
          # inputFieldMap
          "booktitle": "publicationTitle", "school": "publisher", "publisher": "publisher", "issue": "issue",
          "journaltitle": "publicationTitle", "shortjournal": "journalAbbreviation", "eventtitle": "conferenceName",
          "pagetotal": "numPages", "version": "version"}
# fields BibTeX.js reads that this port does not (a primer file holding one fails, naming it)
_NOT_PORTED = {"subtitle", "fjournal", "howpublished", "keywords", "keyword", "comment", "annote", "review", "notes",
               "pdf", "path", "sentelink", "day", "eprint", "eprinttype", "lccn", "mrnumber", "zmnumber", "pmid", "pmcid"}
_EXTRA_LABELS = ("LCCN", "MR", "Zbl", "PMID", "PMCID")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# unescapeBibTeX's table, the entries with no TeX command, in its order (the second pass, without braces, makes
# "TEL" anywhere the telephone sign)
_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("'''", "\u2034"), ("''", "\u201d"), ("``", "\u201c"),
              ("```", "\u2037"), ("!!", "\u203c"), ("?!", "\u2048"), ("!?", "\u2049"), ("{TEL}", "\u2121"),
              ("TEL", "\u2121"), ("~", "\u00a0"))


def bibtex_items(text: str, source: str = "BibTeX") -> list[dict]:
    """BibTeX.js's import of TEXT: one translator item per entry (before itemToAPIJSON: `saved`)."""
    items, at = [], 0
    entry = re.compile(r"@(\w+)\s*\{")
    while match := entry.search(text, at):   # readString: from one entry's end to the next "@"
        kind = match.group(1).lower()
        line = text.count("\n", 0, match.start()) + 1
        if kind in ("comment", "string", "preamble"):
            raise NotPorted(f"{source}:{line}: @{kind}, not ported")
        if kind not in BIBTEX_TYPES:
            raise NotPorted(f"{source}:{line}: @{kind} is not in this port's type map (zotero_import.BIBTEX_TYPES)")
        item, at = _bibtex_item(kind, text, match.end(), f"{source}:{line}")
        items.append(item)
    return items


def _bibtex_item(kind: str, text: str, at: int, where: str) -> tuple[dict, int]:
    """beginRecord: the key, then `name = value` pairs up to the closing brace; the item, and where it ends."""
    item = {"itemType": BIBTEX_TYPES[kind], "creators": [], "notes": []}
    at = text.index(",", at) + 1
    while True:
        match = re.compile(r"\s*(\}|([A-Za-z][\w-]*)\s*=\s*)").match(text, at)
        if not match:
            raise NotPorted(f"{where}: cannot read the entry at {text[at:at + 30]!r}")
        if match.group(1) == "}":
            at = match.end()
            break
        field, at = match.group(2).lower(), match.end()
        if text[at] == "{":
            raw, at = _braced(text, at, where)
            value = unescape_bibtex(raw, where)
        else:
            bare = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-:_]*").match(text, at)
            if not bare:
                raise NotPorted(f"{where}: field {field}: a quoted or concatenated value, not ported: use braces")
            raw = value = bare.group(0)
            at = bare.end()
        _bibtex_field(item, field, value, raw, where)
        comma = re.compile(r"\s*,?").match(text, at)
        at = comma.end()
    if not item.get("date"):
        item["date"] = _date_from_parts(item.get("year"), item.get("month"), where)
    for temporary in ("year", "month"):
        item.pop(temporary, None)
    if not item.get("publisher") and item.get("backupPublisher"):
        item["publisher"] = item["backupPublisher"]
    item.pop("backupPublisher", None)
    return item, at


def _braced(text: str, at: int, where: str) -> tuple[str, int]:
    """getFieldValue for a braced value: its text without the outer braces (a backslash escapes the next
    character), and where it ends."""
    depth, n = 0, at
    while n < len(text):
        char = text[n]
        if char == "\\":
            n += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return text[at + 1:n], n + 1
        n += 1
    raise NotPorted(f"{where}: a value never closed")


def unescape_bibtex(value: str, where: str = "BibTeX") -> str:
    """unescapeBibTeX, for values with no TeX command: the table's ligatures ("--" an en dash), braces dropped,
    the backslash of an escaped character dropped, runs of whitespace one space."""
    if len(value) < 2:
        return value
    command = re.search(r"\\[A-Za-z`\"'^~=.]|(?<!\\)\$", value)
    if command:
        raise NotPorted(f"{where}: {value!r} holds TeX markup ({command.group(0)}), which this port does not read")
    for tex, char in _LIGATURES:
        value = value.replace(tex, char)
    value = re.sub(r"([^\\])[{}]+", r"\1", value)
    if value.startswith("{"):
        value = value[1:]
    for _ in range(2):
        value = re.sub(r"([^\\])\\([#$%&~_^\\{}])", r"\1\2", value)
    if value[:1] == "\\" and value[1:2] and value[1] in "#$%&~_^\\{}":
        value = value[1:]
    return re.sub(r"\s+", " ", value.replace("\\\\", "\\"))


def _split_unprotected(text: str, delimiter: str) -> list[str]:
    """splitUnprotected: TEXT split at DELIMITER (a regular expression) where it stands outside braces."""
    parts, depth, start, n = [], 0, 0, 0
    pattern = re.compile(delimiter, re.I)
    while n < len(text):
        char = text[n]
        if char == "\\":
            n += 2
            continue
        depth = max(0, depth + {"{": 1, "}": -1}.get(char, 0))
        match = pattern.match(text, n) if depth == 0 and char not in "{}" else None
        if match and match.end() > n:
            parts.append(text[start:n])
            start = n = match.end()
            continue
        n += 1
    parts.append(text[start:])
    return parts


def _bibtex_field(item: dict, field: str, value: str, raw: str, where: str) -> None:
    """processField."""
    if not value.strip():
        return
    if field in _NOT_PORTED:
        raise NotPorted(f"{where}: field {field}, which BibTeX.js reads and this port does not")
    if field == "url":
        item["url"] = raw   # the raw value: "\_" or "%" kept as written
    elif field in _FIELD:
        if field == "doi" and "DOI" not in FIELDS[item["itemType"]]:
            raise NotPorted(f"{where}: a DOI for a {item['itemType']} goes to Extra, not ported")
        item[_FIELD[field]] = value
    elif field == "journal":
        item["journalAbbreviation" if item.get("publicationTitle") else "publicationTitle"] = value
    elif field in ("author", "editor", "translator"):
        for name in _split_unprotected(raw.strip(), r"\s+and\s+"):
            if name:
                item["creators"].append(_bibtex_name(name, field, where))
    elif field in ("institution", "organization"):
        item["backupPublisher"] = value
    elif field == "location":
        item.setdefault("place", value)
    elif field == "number":
        own = {"report": "reportNumber", "book": "seriesNumber", "bookSection": "seriesNumber"}
        item[own.get(item["itemType"], "issue")] = value
    elif field == "month":
        item["month"] = value
    elif field in ("year", "date"):
        item[field] = value
    elif field == "pages":
        if item["itemType"] == "book":
            item["numPages"] = value
        else:
            item["pages"] = value.replace("--", "-")
    elif field == "note":
        if value.strip().startswith(_EXTRA_LABELS):
            raise NotPorted(f"{where}: a note starting with an identifier's label goes to Extra, not ported")
        item["notes"].append(value)
    elif field in ("urldate", "lastchecked"):
        item["accessDate"] = value
    elif field == "file":
        item.setdefault("attachments", []).append(raw)
    # any other field (entrysubtype, …): BibTeX.js has no branch for it, and drops it


def _bibtex_name(name: str, field: str, where: str) -> dict:
    """One name of an author, editor or translator list: "Last, First" (a third part joins the first name), a
    braced or one-word name one field ("{{Dual Circulation Primer contributors}}", "others")."""
    pieces = _split_unprotected(name, r"\s*,\s*")
    if len(pieces) > 1:
        first = ", ".join([pieces[-1]] + pieces[1:-1])
        return {"firstName": unescape_bibtex(first, where), "lastName": unescape_bibtex(pieces[0], where),
                "creatorType": field}
    if len(_split_unprotected(name, " +")) > 1:
        raise NotPorted(f"{where}: name {name!r} without a comma goes through cleanAuthor, not ported: write "
                        "'Last, First'")
    return {"lastName": unescape_bibtex(name, where), "creatorType": field, "fieldMode": 1}


def _date_from_parts(year: str | None, month: str | None, where: str) -> str | bool:
    """dateFieldsToDate, then strToISO: "2025" and jul -> "2025-07"; no year -> no date."""
    if not year:
        return False
    if not re.fullmatch(r"\d{4}", year):
        raise NotPorted(f"{where}: year {year!r} is not four digits, not ported")
    if not month:
        return year
    number = _MONTHS.index(month.lower()) + 1 if month.lower() in _MONTHS else int(month) if month.isdigit() else 0
    if not 1 <= number <= 12:
        raise NotPorted(f"{where}: month {month!r} is neither a month's macro (jan…dec) nor 1–12, not ported")
    return f"{year}-{number:02d}"
