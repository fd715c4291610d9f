"""zotero_import.py, the port of Zotero's RIS.js and BibTeX.js import and of itemToAPIJSON: what Zotero keeps of
the primer's RIS and BibTeX, each case one the primer's files reach (or a fault they could make), and the export of
that item to CSL (test_routes.zotero_csl) for the item types the imports give. No build, no Node."""
from __future__ import annotations

import datetime as dt

import pytest
from test_routes import zotero_csl
from zotero_import import NotPorted, bibtex_items, ris_items, saved, unescape_bibtex

DAY = dt.date(2026, 12, 7)


def one(items: list[dict]) -> dict:
    assert len(items) == 1, items
    return saved(items[0])


def test_a_news_record_s_au_is_its_author():
    """RIS.js maps AU to the author for a newspaper article (citation-js makes it the reporter), T2 to the
    publication; the item is exported with the publication as the container-title."""
    item = one(ris_items("TY  - NEWS\nAU  - Zhao, Jinping\nTI  - Innovative & inclusive development\n"
                         "T2  - Belt & Road News\nUR  - https://example.org/op-ed/\nY2  - 2026/12/07\n"
                         "N1  - An op-ed\nER  - "))
    assert item == {"itemType": "newspaperArticle", "title": "Innovative & inclusive development",
                    "creators": [{"firstName": "Jinping", "lastName": "Zhao", "creatorType": "author"}],
                    "publicationTitle": "Belt & Road News", "url": "https://example.org/op-ed/",
                    "accessDate": "2026-12-07"}
    csl = zotero_csl(item, DAY)
    assert csl["type"] == "article-newspaper" and csl["container-title"] == "Belt & Road News"
    assert csl["author"] == [{"family": "Zhao", "given": "Jinping"}]
    assert csl["accessed"] == {"date-parts": [[2026, 12, 7]]}


def test_an_article_with_entrysubtype_newspaper_is_a_journal_article():
    """BibTeX.js has no branch for `entrysubtype`: an `@article` is a journal article whatever it says, its
    `journal` (or biblatex's `journaltitle`) the publication title, `urldate` the access date, `note` a child note."""
    entry = ("@article{zhao,\n  author = {Zhao, Jinping},\n  title = {Innovative \\& inclusive development},\n"
             "  journal = {{Belt \\& Road News}},\n  entrysubtype = {newspaper},\n"
             "  url = {https://example.org/china%E2%80%99s-op-ed/},\n  urldate = {2026-12-07},\n"
             "  note = {An op-ed},\n}")
    item = one(bibtex_items(entry))
    assert item == {"itemType": "journalArticle", "title": "Innovative & inclusive development",
                    "creators": [{"firstName": "Jinping", "lastName": "Zhao", "creatorType": "author"}],
                    "publicationTitle": "Belt & Road News", "url": "https://example.org/china%E2%80%99s-op-ed/",
                    "accessDate": "2026-12-07"}
    assert zotero_csl(item, DAY)["type"] == "article-journal"
    biblatex = one(bibtex_items(entry.replace("journal =", "journaltitle =")))
    assert biblatex["publicationTitle"] == "Belt & Road News"


def test_a_corporate_author_stays_one_name():
    """In double braces (BibTeX), or without a comma (RIS AU): one field, exported as a literal name."""
    bib = one(bibtex_items("@manual{p,\n  author = {{Dual Circulation Primer contributors}},\n  title = {{External} "
                           "risks},\n  publisher = {Dual Circulation Primer},\n}"))
    ris = one(ris_items("TY  - RPRT\nAU  - Dual Circulation Primer contributors\nTI  - External risks\nER  - "))
    for item in (bib, ris):
        assert item["creators"] == [{"name": "Dual Circulation Primer contributors", "creatorType": "author"}]
        assert zotero_csl(item, DAY)["author"] == [{"literal": "Dual Circulation Primer contributors"}]
    assert bib["title"] == "External risks"
    # without the inner braces BibTeX.js would split it: a name without a comma goes to cleanAuthor
    with pytest.raises(NotPorted, match="cleanAuthor"):
        bibtex_items("@manual{p,\n  author = {Dual Circulation Primer contributors},\n}")


def test_and_others_is_an_author_named_others():
    """BibTeX.js splits the list at "and" and keeps "others" as a one-field author, which citeproc then prints as a
    name ("…, & others"), not "et al.": why references.bib may hold "and others" only where its note says so."""
    item = one(bibtex_items("@article{x,\n  author = {Javed, Saad Ahmed and Bo, Yu and others},\n  title = {T},\n}"))
    assert item["creators"] == [{"firstName": "Saad Ahmed", "lastName": "Javed", "creatorType": "author"},
                                {"firstName": "Yu", "lastName": "Bo", "creatorType": "author"},
                                {"name": "others", "creatorType": "author"}]
    assert zotero_csl(item, DAY)["author"][-1] == {"literal": "others"}


def test_the_page_s_ris_keeps_its_series_and_institution_and_the_bibtex_its_book_fields():
    """A page's RIS (a Report): T2 the series title, PB the institution (the publisher in CSL), DA the date (PY its
    backup), Y2 the access date. Its BibTeX (@manual, a Book): `series` kept, since a Book has the field; the same
    `series` on a `@techreport` is discarded by itemToAPIJSON (a Report has seriesTitle, not series), and its
    `institution` becomes the Report's institution."""
    ris = one(ris_items("TY  - RPRT\nAU  - Primer contributors\nTI  - External risks\nT2  - The primer\n"
                        "PB  - Primer\nPY  - 2026\nDA  - 2026/12/05\nUR  - https://example.org/x/\nY2  - 2026/12/07\n"
                        "LA  - en\nAB  - Risks.\nER  - "))
    assert {k: v for k, v in ris.items() if k != "creators"} == {
        "itemType": "report", "title": "External risks", "seriesTitle": "The primer", "institution": "Primer",
        "date": "2026-12-05", "url": "https://example.org/x/", "accessDate": "2026-12-07", "language": "en",
        "abstractNote": "Risks."}
    csl = zotero_csl(ris, DAY)
    assert (csl["publisher"], csl["collection-title"], csl["issued"]) == ("Primer", "The primer",
                                                                          {"date-parts": [[2026, 12, 5]]})
    assert one(ris_items("TY  - RPRT\nTI  - T\nPY  - 2026\nER  - "))["date"] == "2026"   # PY when DA is missing
    book = one(bibtex_items("@manual{p,\n  title = {T},\n  series = {The primer},\n  publisher = {Primer},\n"
                            "  year = {2026},\n  date = {2026-12-05},\n}"))
    assert (book["itemType"], book["series"], book["date"]) == ("book", "The primer", "2026-12-05")
    assert zotero_csl(book, DAY)["collection-title"] == "The primer"
    report = one(bibtex_items("@techreport{p,\n  title = {T},\n  series = {The primer},\n  institution = {Primer},\n}"))
    assert report == {"itemType": "report", "title": "T", "institution": "Primer", "creators": []}


def test_dates_sources_and_web_pages():
    """`date` wins over `year` and `month`; `year` and a month's macro make YYYY-MM; a chapter's `booktitle` is its
    book title (the CSL container-title); `@online` is a web page whose `organization` is its publisher; a web
    page's M1 is its access date when there is no Y2; a report's M3 its type (the CSL genre)."""
    li = one(bibtex_items("@incollection{li,\n  author = {Li, Wenqi},\n  title = {Research},\n  booktitle = "
                          "{{2025 2nd International Conference (EMSS 2025)}},\n  publisher = {{CPCIG-Conferences}},\n"
                          "  year = {2025},\n  month = jul,\n  date = {2025-07-14},\n}"))
    assert (li["itemType"], li["date"], li["bookTitle"]) == ("bookSection", "2025-07-14",
                                                             "2025 2nd International Conference (EMSS 2025)")
    assert zotero_csl(li, DAY)["container-title"] == "2025 2nd International Conference (EMSS 2025)"
    assert one(bibtex_items("@article{x,\n  title = {T},\n  year = {2021},\n  month = sep,\n}"))["date"] == "2021-09"
    page = one(bibtex_items("@online{c,\n  title = {Internal circulation},\n  organization = {chinesedream.earth},\n"
                            "  url = {https://example.org/c},\n}"))
    assert (page["itemType"], page["publisher"]) == ("webpage", "chinesedream.earth")
    elec = one(ris_items("TY  - ELEC\nTI  - T\nPB  - chinesedream.earth\nM1  - 2026/12/07\nER  - "))
    assert (elec["publisher"], elec["accessDate"]) == ("chinesedream.earth", "2026-12-07")
    brief = one(ris_items("TY  - RPRT\nTI  - [Policy brief]\nM3  - Policy brief\nER  - "))
    assert brief["reportType"] == "Policy brief" and zotero_csl(brief, DAY)["genre"] == "Policy brief"


def test_unescaping_follows_bibtex_js():
    """Braces dropped, an escaped character unescaped, "--" an en dash, "''" a closing double quote, and the table's
    quirk: "TEL" anywhere is the telephone sign (BibTeX.js strips the braces of "{TEL}" and replaces again)."""
    assert unescape_bibtex("{China}'s 2--3 \\& ``more''") == "China's 2\u20133 & \u201cmore\u201d"
    assert unescape_bibtex("{HOTEL} rates") == "HO\u2121 rates"


def test_what_the_port_does_not_follow_fails_naming_the_place():
    """A TeX command, a RIS value on two lines, an unknown RIS type: NotPorted, with the file and line."""
    with pytest.raises(NotPorted, match=r"refs\.bib:2: .*TeX markup"):
        bibtex_items("% x\n@article{x,\n  title = {Caf\\'e},\n}", "refs.bib")
    with pytest.raises(NotPorted, match=r"x\.ris:3: a value continued"):
        ris_items("TY  - RPRT\nTI  - A long\n  title\nER  - ", "x.ris")
    with pytest.raises(NotPorted, match="TY 'ZZZZ'"):
        ris_items("TY  - ZZZZ\nTI  - T\nER  - ")


def test_a_file_of_entries_is_read_entry_after_entry():
    """Each entry from where the last one ended: an "@" inside a value starts no entry; the whole references.bib
    is read, one item per entry."""
    from conftest import ROOT
    two = bibtex_items("@misc{a,\n  title = {Mail @misc{b} here},\n}\n\n@online{c,\n  title = {C},\n}")
    assert [(item["itemType"], item["title"]) for item in two] == [("document", "Mail @miscb here"),
                                                                   ("webpage", "C")]
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert len(bibtex_items(text, "references.bib")) == text.count("\n@")
