"""Every page's Content-Security-Policy, as a <meta http-equiv> early in its <head> (no MkDocs import).

The site is static (GitHub Pages sets no header of ours), so the policy travels in the page. It allows:

- scripts from the site itself ('self': Material's bundle and search worker, the primer's own scripts) and
  the theme's own inline scripts, each by the SHA-256 of its text as it stands in that page (Material's
  `__md_scope` script holds the page's base URL, so its hash differs with the page's depth). Only a script that
  matches one of the theme's templates (`theme_scripts`: the <script> elements of the theme's
  partials/javascripts/*.html, the project's overrides first, each `{{ … }}` a URL-like value) and stands
  outside the page's content (<article>) is hashed: a script smuggled into a chapter, a data file or a template
  value is not, and the browser refuses to run it. No 'unsafe-inline' and no 'unsafe-eval' for scripts, so no
  inline event handler (onerror=, onclick=) runs either.
- nothing from another host: default-src 'self'; images also as data: URIs (Material's icons are data: SVGs
  in its stylesheet); styles 'self' and 'unsafe-inline' (Material's and the charts' style="" attributes;
  a style cannot run a script); object-src 'none', base-uri 'self', form-action 'self'.
- `frame-ancestors` (who may frame the site) cannot be given in a <meta> policy: browsers ignore it there
  (CSP Level 3, 6.4.2). Only a host that sends headers can; GitHub Pages sends none of ours.

`policy(scripts)` is the policy for a page whose inline theme scripts are SCRIPTS; `with_policy(output,
templates)` puts it into a page's HTML and returns the scripts it left out (inline scripts it did not hash, which
the build reports).
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' {hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
COMMENT = ("<!-- Content-Security-Policy (primer.site.csp): scripts only from this site and the theme's own inline "
           "scripts by hash; nothing from another host. frame-ancestors cannot be set in a meta policy. -->")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_ARTICLE = re.compile(r"<article\b.*</article>", re.DOTALL)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=\"[^\"]*\">)?", re.IGNORECASE)
# what a template's {{ … }} may stand for inside a theme script: a URL or a name, never a quote or a tag
_VALUE = r"[^\"'<>\\\s;]*"


@dataclass(frozen=True)
class Checked:
    output: str
    refused: list[str]  # inline scripts left out of the policy (their first characters), in page order


def theme_scripts(theme_dirs) -> list[re.Pattern]:
    """The inline scripts of the theme's partials/javascripts/*.html (the first theme folder that has a file
    wins, as Jinja's loader does), each as a pattern of its text with every template expression a value."""
    seen, patterns = set(), []
    for folder in theme_dirs:
        for path in sorted(Path(folder).glob("partials/javascripts/*.html")):
            if path.name in seen:
                continue
            seen.add(path.name)
            for match in _SCRIPT.finditer(path.read_text(encoding="utf-8")):
                if "src=" in match.group(1):
                    continue
                parts = _JINJA.split(match.group(2))
                patterns.append(re.compile(_VALUE.join(re.escape(part) for part in parts), re.DOTALL))
    return patterns


def digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(scripts, live_reload: bool = False) -> str:
    """The policy allowing the inline SCRIPTS by hash; with LIVE_RELOAD, any inline script instead (see
    with_policy)."""
    hashes = "'unsafe-inline'" if live_reload else " ".join(dict.fromkeys(digest(s) for s in scripts))
    return "; ".join(d.format(hashes=hashes).replace("  ", " ").rstrip() for d in DIRECTIVES)


def _executable(attributes: str) -> bool:
    kind = re.search(r"\btype=\"([^\"]*)\"", attributes)
    return kind is None or kind.group(1).lower() in ("", "text/javascript", "module", "application/javascript")


def with_policy(output: str, templates: list[re.Pattern], live_reload: bool = False) -> Checked:
    """OUTPUT (a whole page) with its policy's <meta> right after <meta charset> (or <head>); unchanged when it
    has no <head> (sitemap.xml). The theme's inline scripts outside <article> are hashed; others refused.
    LIVE_RELOAD (`mkdocs serve`): MkDocs' server puts an inline script into every page it serves, its text new
    with each request, which no hash can allow: the policy allows inline scripts there (a hash would make a
    browser ignore 'unsafe-inline'), and the scripts it would refuse are still reported."""
    head = _HEAD.search(output)
    if head is None:
        return Checked(output, [])
    article = _ARTICLE.search(output)
    inside = (article.start(), article.end()) if article else (-1, -1)
    allowed, refused = [], []
    for match in _SCRIPT.finditer(output):
        if "src=" in match.group(1) or not _executable(match.group(1)):
            continue
        text = match.group(2)
        theirs = not (inside[0] <= match.start() < inside[1]) and any(p.fullmatch(text) for p in templates)
        (allowed if theirs else refused).append(text)
    meta = (f'\n    {COMMENT}\n    <meta http-equiv="Content-Security-Policy" content="{policy(allowed, live_reload)}">')
    return Checked(output[:head.end()] + meta + output[head.end():], [" ".join(t.split())[:60] for t in refused])
