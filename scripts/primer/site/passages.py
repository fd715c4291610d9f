"""The passage behind each citation, for the reader: where a source may be republished, and how a passage is
shown and linked.

- ``republish`` (sources/manifest.yaml), derived from the source's licence: ``whole`` for an open licence
  (Creative Commons BY or BY-SA, CC0, public domain), which the site publishes as a source-text page with an
  anchor per line (``line-57``) and per section (``sec-4.2``, ``table-1``, ``fig-1``); ``passages`` for any
  other licence, unknown included: the site shows only the passages that citations rest on, and links to
  the original where its URL is known, with a text fragment (``#:~:text=start,end``) that highlights the
  passage in the browsers that support it.
- ``passage_html``: a passage with the quoted words or figures marked (<mark>), as the popup shows it.

No MkDocs import: primer.build.stages.claims_ledger and primer.build.stages.marks call this.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import quote

import yaml

from primer.site import licences

MANIFEST = "sources/manifest.yaml"
POLICIES = ("whole", "passages")
_SECTION_ID_RE = re.compile(r"[^a-z0-9.]+")


def is_open(licence) -> bool:
    """Whether LICENCE (as written in the manifest, in any spelling primer.site.licences reads) lets the site
    republish the whole text."""
    try:
        return licences.read(licence).open
    except licences.LicenceError:
        return False


def licence_url(licence) -> str:
    """Creative Commons' deed for a CC licence ("CC BY 4.0" -> https://creativecommons.org/licenses/by/4.0/)."""
    try:
        return licences.read(licence).url
    except licences.LicenceError:
        return ""


def policy(entry: dict) -> str:
    """The policy a source's licence allows: whole (an open licence) or passages."""
    return "whole" if is_open(entry.get("licence")) else "passages"


def manifest_problems(entries: list[dict]) -> list[str]:
    """Each source's `republish` must be set and allowed by its licence: never `whole` without an open one."""
    out = []
    for entry in entries:
        try:
            licences.read(entry.get("licence"))
        except licences.LicenceError as err:
            out.append(f"{MANIFEST}: {entry.get('file')}: {err}")
            continue
        wanted = entry.get("republish")
        if wanted not in POLICIES:
            out.append(f"{MANIFEST}: {entry.get('file')} needs `republish: {policy(entry)}` (whole or passages, "
                       f"from its licence)")
        elif wanted == "whole" and not is_open(entry.get("licence")):
            out.append(f"{MANIFEST}: {entry.get('file')} is `republish: whole` but its licence "
                       f"({entry.get('licence')!s}) is not an open licence; only `passages` is allowed")
    return out


def read_manifest(root) -> list[dict]:
    from primer.checks.figures import load_yaml  # libyaml's parser: the same data, several times faster
    return load_yaml((Path(root) / MANIFEST).read_text(encoding="utf-8")).get("sources") or []


def by_file(root) -> dict[str, dict]:
    """Every text a claim can rest on, by the name its claims give (`source_file`): the manifest's sources, and
    each public-evidence work whose passages sources/evidence.yaml keeps (its URL, `republish: passages`)."""
    from primer.checks.figures import evidence
    return {**{str(e["file"]): e for e in read_manifest(root)}, **evidence.site_entries(root)}


def text_page(entry: dict) -> str:
    """The docs path of a `whole` source's text page: sources/<chapter's name>/text.md."""
    chapter = str(entry.get("chapter") or entry["file"])
    name = Path(chapter).stem
    return f"sources/{name}/text.md"


def section_anchor(section_id: str) -> str:
    """'4.2' -> sec-4.2; 'table 1' -> table-1; 'figure 1' -> fig-1; 'Problems Ahead' -> sec-problems-ahead."""
    low = str(section_id).strip().lower()
    for word, prefix in (("table ", "table-"), ("figure ", "fig-"), ("fig. ", "fig-")):
        if low.startswith(word):
            return prefix + _SECTION_ID_RE.sub("-", low[len(word):]).strip("-")
    return "sec-" + _SECTION_ID_RE.sub("-", low).strip("-")


def render_text_page(entry: dict, text: str) -> str:
    """A `whole` source as a page: its attribution first (title, author, where it appeared, its original address,
    its licence with a link to it, whether it is the whole text or an excerpt, and when the copy was taken), then
    every line of the file, unchanged, each a paragraph with its number (id line-N); a section's first line also
    carries the section's anchor."""
    starts: dict[int, list[str]] = {}
    for section in (entry.get("locators") or {}).get("sections") or []:
        starts.setdefault(int(section["start"]), []).append(section_anchor(section["id"]))
    esc = html.escape
    title = " ".join(str(entry.get("title", "")).split())
    author = " ".join(str(entry.get("author") or "unknown").split())
    outlet = " ".join(str(entry.get("outlet") or "").split())
    dates = entry.get("dates") or {}
    published = dates.get("published") or "unknown"
    taken = dates.get("retrieved") or "unknown"
    excerpt = str(entry.get("extent") or "whole") == "excerpt"
    try:
        licence = licences.read(entry.get("licence"))
        shown_licence = f'<a href="{esc(licence.url)}">{esc(licence.name)}</a>' if licence.url else esc(licence.name)
    except licences.LicenceError:
        shown_licence = esc(str(entry.get("licence", "")))
    url = str(entry.get("url") or "")
    original = (f'Original: <a href="{esc(url, quote=True)}">{esc(url)}</a>.' if url.startswith("http")
                else "Its original address is unknown.")
    what = "An excerpt of" if excerpt else "The full text of"
    description = f"{what} {title}, republished under its licence, with a number per line for the primer’s citations."
    notes = ["This is the plain-text copy the primer checks its citations against, word for word: its line "
             "breaks and hyphenation are the copy’s, not the author’s."]
    if "\\$" in text:
        notes.append("A backslash the extraction put before each dollar sign is left out here.")
    notes.append("Line numbers are the file’s, as the figure and claims ledgers show them; a citation’s link opens its "
                 "passage here, highlighted.")
    out = [
        "---",
        f"title: {yaml.safe_dump('Source text: ' + title, width=10**6).strip()}",
        f"description: {yaml.safe_dump(description, width=10**6).strip()}",
        "search:\n  exclude: true",
        "---",
        "",
        f"# Source text: {esc(title)}",
        "",
        '<div class="source-licence">',
        f"<p><strong>{esc(author) if author != 'unknown' else 'Author unknown'}</strong>, “{esc(title)}”"
        + (f", {esc(outlet)}" if outlet and outlet != "unknown" else "")
        + (f", published {esc(str(published))}" if published != "unknown" else ", date of publication unknown")
        + f". {original}</p>",
        f"<p>Licensed {shown_licence}: {'an excerpt' if excerpt else 'the whole text'}, republished here unchanged, "
        "with attribution, under that licence. "
        + (f"The copy was taken on {esc(str(taken))}.</p>" if taken != "unknown" else "When the copy was taken is not recorded.</p>"),
        f"<p>{' '.join(notes)}</p>",
        "</div>",
        "",
        '<div class="source-text">',
    ]
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() and number not in starts:
            continue
        anchors = "".join(f'<span class="source-text__section" id="{a}"></span>' for a in starts.get(number, []))
        out.append(f'<p class="source-line" id="line-{number}">{anchors}<a class="source-line__number" '
                   f'href="#line-{number}">{number}</a> {esc(unescape(line))}</p>')
    out += ["</div>", ""]
    return "\n".join(out).replace("@", "&#64;")


# ---------------------------------------------------------------------------
# A passage's link and its HTML
# ---------------------------------------------------------------------------
def _fragment_words(words: list[str]) -> str:
    return quote(" ".join(words), safe="").replace("-", "%2D")


def text_fragment(passage: str, span: int = 4) -> str:
    """`:~:text=start,end` for a passage (its first and last words), or `:~:text=all` when it is short."""
    words = passage.split()
    if not words:
        return ""
    if len(words) <= 2 * span:
        return ":~:text=" + _fragment_words(words)
    return ":~:text=" + _fragment_words(words[:span]) + "," + _fragment_words(words[-span:])


def first_line(lines: str) -> int:
    return int(str(lines).split("-")[0]) if lines else 0


def passage_link(entry: dict, claim, from_page: str | None = None) -> str:
    """Where a claim's passage can be read: the source-text page's line (relative to FROM_PAGE, a docs path,
    as a Markdown link is written; absolute docs path when None), the original's URL with a text fragment,
    or "" (no page of its own and no known URL)."""
    if entry.get("republish") == "whole":
        target = text_page(entry)
        if from_page is not None:
            target = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
        return f"{target}#line-{first_line(claim.source_lines)}"
    url = str(entry.get("url") or "")
    if not url.startswith("http"):
        return ""
    fragment = text_fragment(claim.passage)
    return f"{url.split('#')[0]}#{fragment}" if fragment else url


def unescape(text: str) -> str:
    """The extraction's escape before a dollar sign left out ("US \\$56.3" -> "US $56.3"): not the author's."""
    return text.replace("\\$", "$")


def passage_html(passage: str, highlight: str) -> str:
    """The passage, HTML-escaped, with each highlighted string (tab-separated) in <mark>; the extraction's
    backslash before a dollar sign left out."""
    passage, highlight = unescape(passage), unescape(highlight)
    marks = sorted({h for h in highlight.split("\t") if h.strip()}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for h in marks:
        start = passage.find(h)
        while start >= 0:
            end = start + len(h)
            if not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
            start = passage.find(h, end)
    out, last = [], 0
    for a, b in sorted(spans):
        out += [html.escape(passage[last:a]), "<mark>", html.escape(passage[a:b]), "</mark>"]
        last = b
    out.append(html.escape(passage[last:]))
    return "".join(out)


def markdown_safe(fragment: str) -> str:
    """HTML made safe to stand inside Markdown: no emphasis, code, links or citations are made of its text."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", fragment).replace("@", "&#64;")
