"""Stable URLs and anchors: every page URL and h2/h3 anchor once published stays reachable.

    python -m primer.published             # build the site, check it against published.json
    python -m primer.published --update    # build the site, record its pages and anchors in published.json
    python -m primer.published --site DIR  # use an existing build in DIR instead of building

published.json (at the repository's root) lists every page's URL path and the ids of its
h2/h3 headings. Readers cite those URLs and anchors, so the check fails when one is gone:
- a page moved or renamed: add `old.md: new.md` under `plugins.redirects.redirect_maps` in
  mkdocs.yml; the mkdocs-redirects plugin then writes a redirect page at the old URL;
- a heading reworded (its anchor is its slug): keep the old anchor with an explicit id,
  `## New wording {#old-anchor}`, since a fragment cannot be redirected.
Refresh the list deliberately, when a page or section is published or removed on purpose;
tests never write it. New pages and anchors are never a failure.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from primer import ROOT
from primer.site import redirects as moved_pages
from primer.site.citation_formats import url_path

PUBLISHED = ROOT / "published.json"
REFRESH = "python -m primer.published --update"


class _Headings(HTMLParser):
    """Ids of the h2/h3 headings inside <article>, in order; and whether it is a redirect page."""

    def __init__(self):
        super().__init__()
        self.ids, self.redirect, self._article = [], False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self._article += 1
        elif tag in ("h2", "h3") and self._article and attrs.get("id"):
            self.ids.append(attrs["id"])
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1


def _parse(page: Path) -> _Headings:
    parser = _Headings()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def collect(site: Path) -> dict[str, list[str]]:
    """{URL path: [h2/h3 anchors]} for every page of a built site (not 404, not redirect pages)."""
    pages = {}
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        path = "" if rel == "." else rel + "/"
        if path.startswith("404/"):
            continue
        parsed = _parse(index)
        if not parsed.redirect:
            pages[path] = parsed.ids
    return pages


def check(published: dict[str, list[str]], site: Path, redirects: dict[str, str] | None = None) -> list[str]:
    """One line per published URL or anchor the built `site` no longer has."""
    current = collect(site)
    moved = {url_path(old): url_path(new) for old, new in (redirects or {}).items()}
    problems = []
    for path, anchors in published.items():
        target = path
        if path not in current:
            target = moved.get(path)
            if target is None:
                problems.append(f"/{path}: published page is gone; if it moved, add `old.md: new.md` under "
                                f"{moved_pages.WHERE}, or restore it")
                continue
            if target not in current:
                problems.append(f"/{path}: redirected to /{target}, which is not a page of the site; "
                                f"fix {moved_pages.WHERE}")
                continue
        for anchor in anchors:
            if anchor not in current[target]:
                where = f"/{path}#{anchor}" + (f" (redirected to /{target})" if target != path else "")
                problems.append(f"{where}: published section anchor is gone; keep it on the reworded heading "
                                f"with {{#{anchor}}}, or if it was removed on purpose run `{REFRESH}`")
    return problems


def load(path: Path = PUBLISHED) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8"))["pages"]


def save(pages: dict[str, list[str]], path: Path = PUBLISHED) -> None:
    data = {"about": "Every published page URL (from the site's root) and its h2/h3 anchors. "
                     f"scripts/primer/published.py checks the build against it; refresh deliberately with `{REFRESH}`.",
            "pages": pages}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def redirects_in(config_file: Path) -> dict[str, str]:
    from primer.build import mkdocs_yml  # scripts/primer/build/mkdocs_yml.py: mkdocs.yml as MkDocs reads it

    return moved_pages.in_data(mkdocs_yml.read(config_file))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="record the build's pages and anchors in published.json")
    parser.add_argument("--site", type=Path, help="a built site to use instead of building one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                                   cwd=ROOT, env=env)
            if build.returncode != 0:
                print("published.py: the strict build failed; fix it first", file=sys.stderr)
                return 2
        if args.update:
            pages = collect(site)
            save(pages)
            print(f"published.json: {len(pages)} pages, {sum(map(len, pages.values()))} anchors")
            return 0
        problems = check(load(), site, redirects_in(ROOT / "mkdocs.yml"))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
