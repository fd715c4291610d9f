"""MkDocs hook: valid HTML. One job: the repairs that make the W3C Nu validator report no error of
the project's own (primer.site.html_validity): an ``&`` that starts no character reference in a page's
content becomes ``&amp;``, and Material's empty ``tabindex=""`` on navigation labels goes.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

from primer.site import html_validity


@event_priority(100)  # first: the print edition and the other hooks see the repaired content
def on_page_content(html, page, config, files):
    return html_validity.escape_stray_ampersands(html)


def on_post_page(output, page, config):
    return html_validity.drop_empty_tabindex(output)


def on_post_template(output_content, template_name, config):  # 404.html, rendered apart from the pages
    return html_validity.drop_empty_tabindex(output_content)
