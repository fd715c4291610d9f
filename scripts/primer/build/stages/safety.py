"""Stage 5, no script from content: what the data files say reaches a reader as text, and every page carries a
Content-Security-Policy (the logic is primer.site.safe_html's and primer.site.csp's).

- `front_matter_as_html(page)` (page Markdown, last, after every stage that reads the title as text): the
  front-matter `title` as the HTML Material's templates print unescaped (the `description` is escaped by the
  cite stage, which reads it last).
- `tooltips` (page output): every title="…" of the content escaped for the second parse of Material's tooltips.
- `ContentPolicy.add` (page output and 404.html, last): the policy's <meta>; an inline script it does not allow
  is a warning naming the page (a strict build stops), since browsers will not run it. Under `mkdocs serve` the
  policy allows inline scripts, for the server's live-reload script (the warnings stay).
"""
from __future__ import annotations

import logging

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
