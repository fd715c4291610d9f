"""Screenshots of the landing page, a source chapter and the figure ledger, light and dark, on a
phone and on a desktop, for a person to look at: written to reports/screenshots/ (git-ignored)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browsing import MATERIAL_SCHEME, VIEWPORTS, goto

FOLDER = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
CHAPTER = "sources/li-2025-two-way-internationalization/"
FULL_PAGE_MAX = 30_000  # px: a taller page (the ledger) is shot by its first screen only: too big to look at


def _ledger(built_site, site_pages):
    """The figure ledger page, once the figure-ledger issue has generated it."""
    named = [path for path in site_pages if "ledger" in path]
    if named:
        return min(named, key=len)  # the ledger itself, not one of its per-page sub-pages
    for path in site_pages:
        text = (built_site / path / "index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        if heading and "ledger" in heading.group(1).lower():
            return path
    return None


@pytest.fixture(scope="module")
def folder():
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.png"):  # the folder shows one run, not a mix of runs
        old.unlink()
    print(f"\nscreenshots: {FOLDER}")
    return FOLDER


@pytest.mark.parametrize("subject", ["landing", "chapter", "ledger"])
def test_screenshots(open_page, site_url, built_site, site_pages, folder, subject):
    path = {"landing": "", "chapter": CHAPTER, "ledger": _ledger(built_site, site_pages)}[subject]
    if path is None:
        pytest.skip("no figure ledger page yet (issue: figure ledger)")
    assert path in site_pages, f"/{path} is not a page of the built site"
    written = []
    for viewport, size in VIEWPORTS.items():
        for scheme, md_scheme in MATERIAL_SCHEME.items():
            page, traffic = open_page(viewport=size, color_scheme=scheme)
            goto(page, site_url + path, traffic)
            assert page.get_attribute("body", "data-md-color-scheme") == md_scheme, \
                f"/{path}: a reader who prefers {scheme} does not get Material's {md_scheme!r} scheme"
            stem = f"{subject}-{viewport}-{scheme}"
            shots = [(f"{stem}.png", False)]  # the first screen, as a reader sees it
            if viewport == "desktop" and scheme == "light":  # and the whole page once, if it fits
                if page.evaluate("document.documentElement.scrollHeight") <= FULL_PAGE_MAX:
                    shots.append((f"{stem}-full.png", True))
            for name, full in shots:
                page.screenshot(path=str(folder / name), full_page=full)
                assert (folder / name).stat().st_size > 10_000, f"{name}: suspiciously small screenshot"
                written.append(name)
            traffic.assert_clean()
            page.context.close()
    print(f"\n{subject} (/{path}): {', '.join(written)} in {folder}")
