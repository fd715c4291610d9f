"""No more of a source than its licence allows (issue #21): of a source whose licence is unknown, no page of the
built site, the print edition and the PDF included, reproduces more than a quarter of its sentences, and the site
as a whole no more than half. The measure (primer.site.excerpts.reproduced): a source sentence of 10 words or
more counts as reproduced on a page when its first 120 characters appear in the page's text (every word of its
HTML, what is hidden in a disclosure or a popup included). Shown to fail on a planted paragraph."""
from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

from primer.site import excerpts, passages
from primer.site.print_assembly import PDF_NAME

_TAG = re.compile(r"<[^>]+>")


def _unknown_licence_sources() -> dict[str, str]:
    return {e["file"]: (ROOT / e["file"]).read_text(encoding="utf-8") for e in passages.read_manifest(ROOT)
            if e.get("republish") != "whole"}


def page_text(path) -> str:
    """Every word of a built page's HTML, whether shown, in a closed disclosure, or in an attribute's text."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return html.unescape(_TAG.sub(" ", raw))


def shares(texts: dict[str, str], sources: dict[str, str]) -> tuple[dict, dict]:
    """({(page, source): share of the source's sentences the page reproduces}, {source: share over all pages})."""
    per_page, union = {}, {}
    for file, source in sources.items():
        count = len(excerpts.sentences(excerpts.normal(source)))
        seen = set()
        for page, text in texts.items():
            found = excerpts.reproduced(text, source)
            per_page[(page, file)] = len(found) / count
            seen |= found
        union[file] = len(seen) / count
    return per_page, union


DOWNLOADS = ("search/search_index.json", "claims.json", "claims.csv", "figures.json", "figures.csv")


def _over(per_page, union) -> list[str]:
    """The budget's failures: a page over PAGE_SHARE (the downloads, which gather every page's data, count
    towards the site's share only), the site over SITE_SHARE."""
    return ([f"{page}: {share:.0%} of {file}'s sentences (at most {excerpts.PAGE_SHARE:.0%})"
             for (page, file), share in per_page.items() if share > excerpts.PAGE_SHARE and page not in DOWNLOADS]
            + [f"the site: {share:.0%} of {file}'s sentences (at most {excerpts.SITE_SHARE:.0%})"
               for file, share in union.items() if share > excerpts.SITE_SHARE])


@pytest.fixture(scope="module")
def site_texts(built_site) -> dict[str, str]:
    texts = {str(p.relative_to(built_site)): page_text(p) for p in built_site.rglob("*.html")}
    for name in DOWNLOADS:
        if (built_site / name).is_file():   # the downloads are pages a reader opens too
            texts[name] = (built_site / name).read_text(encoding="utf-8")
    return texts


def test_no_page_and_not_the_site_reproduces_too_much_of_a_source_of_unknown_licence(site_texts):
    sources = _unknown_licence_sources()
    assert sources, "no source of unknown licence: this test would pass vacuously"
    per_page, union = shares(site_texts, sources)
    assert max(per_page.values()) > 0.05, "no sentence found anywhere: the measure would pass vacuously"
    assert not _over(per_page, union), "\n".join(_over(per_page, union))


def test_nor_does_the_pdf(built_site):
    pdf = built_site / PDF_NAME
    if not pdf.is_file() or not shutil.which("pdftotext"):
        pytest.skip("no PDF in this build, or no pdftotext (Debian package poppler-utils) to read it")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"-\n(?=[a-z])", "", text)   # words hyphenated at a line's end, joined
    per_page, union = shares({PDF_NAME: text}, _unknown_licence_sources())
    assert not _over(per_page, {}), "\n".join(_over(per_page, {}))


def test_the_measure_catches_a_planted_paragraph_of_the_op_ed(site_texts):
    sources = _unknown_licence_sources()
    zhao = next(f for f in sources if "zhao" in f)
    paragraphs = [p for p in sources[zhao].split("\n\n") if len(p.split()) > 40]
    planted = dict(site_texts)
    chapter = "sources/zhao-innovative-inclusive-development/index.html"
    planted[chapter] = planted[chapter] + " " + " ".join(paragraphs[:6])
    per_page, union = shares(planted, sources)
    assert any(chapter in line and zhao in line for line in _over(per_page, union)), _over(per_page, union)


def test_a_kept_passage_of_public_evidence_is_shown_as_the_words_the_claim_needs():
    """Another's work, kept in sources/evidence.yaml: shown as at most MAX_WORDS words around what the claim
    quotes or counts, never the whole kept passage."""
    from types import SimpleNamespace
    passage = " ".join(f"word{i}" for i in range(60)) + " the figure 26,769 appears here " + \
        " ".join(f"tail{i}" for i in range(40))
    claim = SimpleNamespace(source_file="sources/evidence.yaml#shine2024china", method="figure", page="primer/x.md",
                            line=1, col=1, key="shine2024china", locator="", sentences=(1,), passage=passage,
                            highlight="26,769", sentence="It counted 26,769.", status="ok")
    shown = excerpts.Excerpts({}, {}, evidence={"sources/evidence.yaml#shine2024china"}).for_claim(claim)
    assert "26,769" in shown and len(shown.replace("…", " ").split()) <= excerpts.MAX_WORDS
    assert excerpts.Excerpts({}, {}).for_claim(claim) == passage   # not kept evidence: as it is


def test_the_downloads_hold_no_more_of_a_kept_passage_than_the_pages(built_site):
    import json
    claims = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))
    rows = claims["rows"]
    kept = [c for c in rows if str(c.get("source_file", "")).startswith("sources/evidence.yaml")]
    assert kept, "no claim rests on a kept passage of public evidence"
    longer = [(c["page"], c["passage"]) for c in kept if c.get("method") != "absence"
              and len(c["passage"].replace("…", " ").split()) > excerpts.MAX_WORDS]
    assert not longer, longer[:3]


def test_the_sites_share_and_the_sentences_covered_are_counted_as_the_plain_measures_count_them():
    # the allowance keeps the site's union of spans and finds sentences by bisection (speed); both must give what
    # the plain definitions give: _union over every span shown, and every sentence whose prefix a span covers
    import random
    rng = random.Random(7)
    text = " ".join(f"Sentence number {i} has quite a few words in it to count as one, and then some more." for i in range(60))
    source = excerpts._Source(text, excerpts.sentences(text))
    shown = []
    for _ in range(400):
        a = rng.randrange(0, len(text) + 50)
        span = (a, a + rng.choice([0, 1, 30, 119, 120, 121, 400, 2000]))
        assert source.site_with(span) == excerpts._union(shown + [span]), span
        assert source.prefixes(span) == {i for i, (s, e) in enumerate(source.sentences)
                                         if span[0] <= s and min(e, s + excerpts.PREFIX) <= span[1]}, span
        if rng.random() < 0.5:
            source.show(span)
            shown.append(span)
    assert source.merged_size == excerpts._union(shown) and len(shown) > 150
