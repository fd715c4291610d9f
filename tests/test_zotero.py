"""What Zotero saves from each built page: its translators read the page's metadata, COinS first
(COinS.js, priority 310), then Embedded Metadata (priority 320), and this test reads it the same way.

Followed: zotero/translators at 2814370161d05d799086825fac8d499db3a33aa3, files COinS.js and
"Embedded Metadata.js" (HIGHWIRE_MAPPINGS, init's hwType, addHighwireMetadata, addLowQualityMetadata);
zotero/utilities at 4051881d59c6c12d34417d4c226f37218051be90, openurl.js (parseContextObject) and
utilities.js (cleanAuthor). Only the branches a page of the primer reaches are ported; no Zotero
code is copied. A Zotero Report has no version field, so no format carries one: the edition is in a published
page's URL (README, "What reference managers read"). tests/test_routes.py renders what each route saves.
"""
from __future__ import annotations

import json
import re
from urllib.parse import unquote

from conftest import ROOT, built_pages
from test_cite import SITE, read_page


def coins_item(kev: str) -> dict | None:
    """openurl.js parseContextObject, for the keys our COinS uses."""
    parts = kev.split("&")
    if "rft_val_fmt=" + "info%3Aofi%2Ffmt%3Akev%3Amtx%3Abook" not in parts:
        return None
    item = {"itemType": "report" if "rft.genre=report" in parts else "book", "creators": []}
    for part in parts:
        key, _, raw = part.partition("=")
        value = unquote(raw.replace("+", " "))
        if not value:
            continue
        if key == "rft_id" and value.startswith(("http://", "https://")):
            item["url"], item["accessDate"] = value, "CURRENT_TIMESTAMP"  # "" there: the framework stamps it
        elif key == "rft.btitle":
            item["title"] = value
        elif key == "rft.date":
            item["date"] = value
        elif key == "rft.aucorp":
            item["creators"].append({"lastName": value, "isInstitution": True})
        elif key in ("rft.pub", "rft.publisher"):
            item["institution"] = value  # publisher, base field of a report's institution
        elif key == "rft.series":
            item["seriesTitle"] = value
        elif key == "rft.language":
            item["language"] = value
        elif key == "rft.description":
            item["abstractNote"] = value
    return item


def clean_author(author: str, use_comma: bool) -> dict:
    """utilities.js cleanAuthor: the name trimmed of spaces and . , / [ ] : at both ends; with USE_COMMA, the
    last name before the first comma and the first name after it (none without a second part); without, the
    first name before the last space whose next character is a letter. (Initials' full stops are not ported:
    no primer name has initials.)"""
    author = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", re.sub(r"^[\s\u00a0.,/\[\]:]+", "", author))
    author = re.sub(r"[\s\u00a0]+", " ", author, count=1)
    if use_comma:
        parts = re.split(r"[,\u060c] ?", author)
        last, first = (parts[0], parts[1]) if len(parts) > 1 else (author, "")
    else:
        space = len(author)
        while True:
            space = author.rfind(" ", 0, space)
            last, first = author[space + 1:], author[:space] if space >= 0 else ""
            if space <= 0 or (last[:1].isalpha()):
                break
    return {"firstName": first, "lastName": last}


def highwire_creators(content: str) -> list[dict]:
    """Embedded Metadata.js processHighwireCreators for one citation_author tag (the primer writes one per
    author): split at semicolons, each name trimmed, empty ones skipped, cleanAuthor with useComma when the name
    has a comma. A creator left with no first name is saved as one field (itemToAPIJSON), as zotero_csl reads it."""
    names = [name.strip() for name in re.split(r"\s*;\s*", content)]
    return [clean_author(name, "," in name) for name in names if re.search(r"[^\s,\-.;]", name)]


def embedded_item(meta: dict[str, list[str]], canonical: str | None) -> dict:
    """Embedded Metadata.js: the Highwire tags (a report from citation_technical_report_institution)."""
    item = {"itemType": "report" if "citation_technical_report_institution" in meta else "webpage"}
    for tag, field in (("citation_title", "title"), ("citation_publication_date", "date"),
                       ("citation_technical_report_institution", "institution"), ("citation_public_url", "url"),
                       ("citation_language", "language"), ("citation_abstract", "abstractNote")):
        if tag in meta:
            item[field] = meta[tag][0]
    item["creators"] = [creator for tag in meta.get("citation_author", []) for creator in highwire_creators(tag)]
    item.setdefault("url", canonical)  # <link rel=canonical>, else the address
    item["accessDate"] = "CURRENT_TIMESTAMP"
    return item


def test_zotero_saves_every_page_as_a_complete_report(built_site):
    problems = []
    for path, index in built_pages(built_site).items():
        page = read_page(index)
        item = coins_item(page.block["coins"][0]) if page.block and page.block["coins"] else None
        if item is None:
            problems.append(f"/{path}: no COinS Zotero reads")
            continue
        record = json.loads(page.block["code"][4])[0]
        templates = json.loads(page.block["attrs"]["data-cite-templates"])
        want = {"itemType": "report", "title": record["title"], "institution": SITE.institution,
                "seriesTitle": SITE.title, "language": "en",
                "creators": [{"lastName": SITE.author, "isInstitution": True}]}
        if "issued" in record:
            want["date"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(record["issued"]["date-parts"][0]))
        for field, value in want.items():
            if item.get(field) != value:
                problems.append(f"/{path}: Zotero's Report {field} = {item.get(field)!r}, expected {value!r}")
        if record.get("URL") and item.get("url") != record["URL"]:
            problems.append(f"/{path}: static COinS gives url {item.get('url')!r}, expected {record['URL']!r}")
        if not dict(templates["coins"]).get("rft_id", "").endswith("/" + path):
            problems.append(f"/{path}: the COinS cite.js writes has no rft_id for the page")
        embedded = embedded_item(page.meta, None)
        if embedded["itemType"] != "report" or embedded.get("title") != record["title"]:
            problems.append(f"/{path}: Embedded Metadata would save {embedded}")
        if embedded["creators"] != [{"firstName": "", "lastName": SITE.author}]:
            problems.append(f"/{path}: Embedded Metadata would save the authors {embedded['creators']}, not "
                            f"{SITE.author!r} as one name")
    assert not problems, "\n".join(problems)


def test_a_published_page_gives_zotero_its_url_and_access_date_without_javascript():
    """With site_url set (the publishing workflow), the static COinS alone makes the complete Report."""
    from primer.site import citation_formats as cite

    site = cite.Site.from_config(SITE.title, "https://example.github.io/primer/", {"primer": {
        "version": SITE.version, "title_sentence_case": SITE.title_sentence_case, "author": SITE.author,
        "institution": SITE.institution}})
    page = cite.Page(title="External risks", path="primer/external-risks/", description="Risks.",
                     dates=cite.Dates("2025-01-02", "2025-03-04"))
    item = coins_item(cite.cite(site, page).coins)
    assert item == {"itemType": "report", "title": "External risks", "institution": SITE.institution,
                    "seriesTitle": SITE.title, "date": "2025-03-04", "language": "en", "abstractNote": "Risks.",
                    "creators": [{"lastName": SITE.author, "isInstitution": True}],
                    "url": "https://example.github.io/primer/primer/external-risks/", "accessDate": "CURRENT_TIMESTAMP"}


def test_no_page_title_gives_zotero_a_one_word_short_title():
    """Zotero makes a short title of what a title has before its first colon ("Li: China's …" gave "Li"): a
    page's title has no colon, or a short title of more than one word before it."""
    import re
    short = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        match = re.search(r'(?m)^title:\s*"?(.*?)"?\s*$', page.read_text(encoding="utf-8"))
        if match and ":" in match.group(1):
            short[page.relative_to(ROOT).as_posix()] = match.group(1).split(":")[0]
    assert short, "no page title has a colon: the test would pass vacuously"
    assert {page: s for page, s in short.items() if len(s.split()) < 2} == {}


def test_embedded_metadata_keeps_an_inverted_name_whole_and_splits_the_others():
    """Why the page writes citation_author as "Name,": cleanAuthor splits an uninverted name at its last space,
    and reads "Family, Given" at the comma."""
    assert highwire_creators("Dual Circulation Primer contributors") == [
        {"firstName": "Dual Circulation Primer", "lastName": "contributors"}]
    assert highwire_creators("Dual Circulation Primer contributors,") == [
        {"firstName": "", "lastName": "Dual Circulation Primer contributors"}]
    assert highwire_creators("Li, Wenqi; Zhao, Jinping") == [{"firstName": "Wenqi", "lastName": "Li"},
                                                            {"firstName": "Jinping", "lastName": "Zhao"}]
    assert highwire_creators(" ; ,") == []
