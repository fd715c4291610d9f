"""Stage 5, no script from content: what the data files say reaches a reader as text, and every page carries a
Content-Security-Policy (the logic is primer.site.safe_html's and primer.site.csp's).

- `front_matter_as_html(page)` (page Markdown, last, after every stage that reads the title as text): the
  front-matter `title` as the HTML Material's templates print unescaped (the `description` is escaped by the
  cite stage, which reads it last).
- `tooltips` (page output): every title="…" of the content escaped for the second parse of Material's tooltips.
- `unsafe_links` (page output and 404.html): a link or source that is neither relative nor http:, https: or
  mailto: (`javascript:` would run as script) is a warning naming the page and where the URL is written (the
  page's Markdown or a data file, with its line), so a strict build stops.
- `ContentPolicy.add` (page output and 404.html, last): the policy's <meta>; an inline script it does not allow
  is a warning naming the page (a strict build stops), since browsers will not run it. Under `mkdocs serve` the
  policy allows inline scripts, for the server's live-reload script (the warnings stay).
"""
from __future__ import annotations

import logging
from pathlib import Path

from primer.site import csp, safe_html

log = logging.getLogger("mkdocs.plugins.primer.safety")


def front_matter_as_html(page) -> None:
    if page.meta.get("title"):
        page.meta["title"] = safe_html.title_as_html(page.meta["title"])


def tooltips(output: str) -> str:
    start, end = output.find("<article"), output.rfind("</article>")
    if start < 0 or end < start:
        return output
    return output[:start] + safe_html.tooltips_as_text(output[start:end]) + output[end:]


# where a URL of a page may be written, besides the page's own Markdown
DATA_FILES = ("references.bib", "sources/manifest.yaml", "sources/evidence.yaml", "glossary.yaml", "charts.yaml",
              "CHANGELOG.md")


def unsafe_links(output: str, where: str, root: Path, markdown: str | None) -> None:
    """Warn of every URL of OUTPUT that safe_html.unsafe_urls finds (WHERE: the page; MARKDOWN: its source file)."""
    for _line, attribute, url in safe_html.unsafe_urls(output):
        written = _written_in(url, [Path(markdown)] if markdown else [], root) or "the theme's templates or overrides"
        log.warning(f"{where}: the link {attribute}=\"{url[:60]}\" uses the scheme {url.split(':')[0]}:, which a "
                    f"browser would follow as script or as no page (written in {written}); links may be relative, "
                    "or use http:, https: or mailto: only: fix or remove it there")


def _written_in(url: str, pages: list[Path], root: Path) -> str:
    """`file:line` of the first of PAGES and DATA_FILES whose text holds URL, or ""."""
    for path in [*pages, *(root / name for name in DATA_FILES)]:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        at = text.find(url)
        if at >= 0:
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            return f"{shown}:{text.count(chr(10), 0, at) + 1}"
    return ""


class ContentPolicy:
    def __init__(self, config, command: str | None):
        self.templates = csp.theme_scripts(config.theme.dirs)
        self.live_reload = command == "serve"   # MkDocs' server adds an inline script of its own (primer.site.csp)

    def add(self, output: str, where: str) -> str:
        checked = csp.with_policy(output, self.templates, self.live_reload)
        for script in checked.refused:
            log.warning(f"{where}: an inline <script> that is not the theme's ({script}…): the page's "
                        "Content-Security-Policy does not allow it and browsers will not run it; put the script "
                        "in a file under docs/javascripts/ and list it in mkdocs.yml's extra_javascript")
        return checked.output
