"""External links, on demand: inventory every external URL, check it, write a report.

Where URLs come from (each with the file and line that uses it):
- the chapters, docs/**/*.md: Markdown links, autolinks, raw HTML and bare URLs,
  code blocks included (a reference printed in a code block is still read and
  copied by readers);
- references.bib: `url` fields, and `doi` fields as https://doi.org/DOI;
- sources/manifest.yaml: `url` fields that are URLs (not "unknown").

How a URL is checked (standard library only):
- its host is resolved first, all hosts at once, so that DNS failures are
  known in well under a second instead of after one timeout per URL;
- HEAD, then GET when HEAD fails with a status of 400 or more or a broken
  response (many servers mishandle HEAD); redirects are followed by hand, up
  to --max-redirects, and a redirect back to an address already visited is a
  loop; every request has a timeout (--timeout) and at most --concurrency
  requests run at once;
- each URL is classified: ok; redirected (with the final URL: update the
  link); broken (HTTP 4xx/5xx); loop (a redirect loop, or too many
  redirects); unreachable (dns, connection, timeout, tls, protocol). A DOI
  redirecting to its publisher is ok: that is what a DOI is for.
- results are cached in reports/.linkcheck-cache.json: a URL checked less
  than --max-age days ago (7) is not fetched again (--no-cache fetches all).

When no request gets through at network level (every URL fails at DNS,
connection or timeout) and a probe of a well-known address (--probe-url,
https://doi.org/) fails too, the machine is offline: the script says
"cannot reach the network: ...; nothing was checked", caches nothing, and
exits with 3. `make test` never runs this script.

    python -m primer.linkcheck_external            # writes reports/linkcheck-external.md and .json

Exit status: 0 every URL ok or redirected; 1 some URL broken, looping or
unreachable; 3 offline, nothing checked; 2 usage error.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse

from primer import ROOT
from primer.checks.links import markdown_urls

EXIT_OK, EXIT_BROKEN, EXIT_OFFLINE = 0, 1, 3
STATUSES = ("broken", "loop", "unreachable", "redirected", "ok", "not checked")
NETWORK_LEVEL = {"dns", "connection", "timeout"}
EXPECTED_REDIRECTS = {"doi.org", "dx.doi.org"}  # a DOI is meant to redirect to its publisher
USER_AGENT = "dual-circulation-primer-linkcheck/1.0 (+link check of a static site; python-urllib)"
CACHE_VERSION = 1


@dataclass
class Result:
    url: str
    status: str                      # one of STATUSES
    code: int | None = None          # the last HTTP status
    final_url: str | None = None     # where redirects ended
    detail: str = ""
    kind: str = ""                   # for unreachable: dns, connection, timeout, tls, protocol
    chain: list[str] = field(default_factory=list)
    checked_at: str = ""
    cached: bool = False


@dataclass
class Run:
    results: dict[str, Result]
    offline: str | None = None       # why the network is deemed unreachable, or None
    fetched: int = 0                 # URLs fetched in this run (not from the cache)


# --------------------------------------------------------------------------- inventory

def inventory(root: Path = ROOT) -> dict[str, list[str]]:
    """Every external URL → the places (file:line) that use it, in file order."""
    found: dict[str, list[str]] = {}

    def add(url: str, where: str):
        if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc:
            found.setdefault(url, []).append(where)

    docs = root / "docs"
    for md in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        for line, url, _ in markdown_urls(md.read_text(encoding="utf-8")):
            add(url, f"{md.relative_to(root).as_posix()}:{line}")
    bib = root / "references.bib"
    if bib.is_file():
        text = bib.read_text(encoding="utf-8")
        for match in re.finditer(r"^\s*(url|doi)\s*=\s*[{\"]\s*([^}\"]+?)\s*[}\"]", text, re.M | re.I):
            value = match.group(2)
            if match.group(1).lower() == "doi":
                value = "https://doi.org/" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
            add(value, f"references.bib:{text.count(chr(10), 0, match.start(2)) + 1}")
    manifest = root / "sources" / "manifest.yaml"
    if manifest.is_file():
        for number, line in enumerate(manifest.read_text(encoding="utf-8").split("\n"), 1):
            match = re.match(r"""^\s*(?:-\s+)?url:\s*['"]?(\S+?)['"]?\s*(?:#.*)?$""", line)
            if match:
                add(match.group(1), f"sources/manifest.yaml:{number}")
    return found


# --------------------------------------------------------------------------- one URL

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx becomes an HTTPError: we follow redirects ourselves


def _opener():
    return urllib.request.build_opener(_NoRedirect)


def _ascii(url: str) -> str:
    return quote(url, safe="".join(chr(c) for c in range(33, 127)))


class _Unreachable(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def _classify_error(exc: BaseException) -> _Unreachable:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError) \
        else exc
    if isinstance(reason, socket.gaierror):
        return _Unreachable("dns", f"DNS lookup failed: {reason.strerror or reason}")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Unreachable("timeout", "no answer within the timeout")
    if isinstance(reason, ssl.SSLError):
        return _Unreachable("tls", f"TLS error: {getattr(reason, 'reason', None) or reason}")
    if isinstance(reason, http.client.HTTPException):  # before OSError: RemoteDisconnected is both
        return _Unreachable("protocol", f"bad HTTP response: {type(reason).__name__} {reason}".strip())
    if isinstance(reason, (ConnectionError, OSError)):
        return _Unreachable("connection", f"connection failed: {getattr(reason, 'strerror', None) or reason}")
    return _Unreachable("protocol", f"{type(reason).__name__}: {reason}")


def _request(url: str, method: str, timeout: float) -> tuple[int, str | None]:
    """(status, Location) of one request, or raise _Unreachable."""
    request = urllib.request.Request(_ascii(url), method=method,
                                     headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get("Location")
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _classify_error(exc) from exc
    except ValueError as exc:
        raise _Unreachable("protocol", f"not a valid URL: {exc}") from exc


def _status_of(url: str, timeout: float) -> tuple[int, str | None]:
    """HEAD, then GET if HEAD fails with >= 400 or a broken response (not on timeout or no connection)."""
    try:
        code, location = _request(url, "HEAD", timeout)
        if code < 400:
            return code, location
    except _Unreachable as exc:
        if exc.kind in NETWORK_LEVEL or exc.kind == "tls":
            raise
    return _request(url, "GET", timeout)


def check_url(url: str, *, timeout: float = 10, max_redirects: int = 10) -> Result:
    """Classify one URL; never raises."""
    chain, current = [url], url
    try:
        for _ in range(max_redirects + 1):
            code, location = _status_of(current, timeout)
            if 300 <= code < 400 and location:
                target = urljoin(current, location)
                if target in chain:
                    return Result(url, "loop", code, target, "redirect loop: " + " -> ".join(chain + [target]),
                                  chain=chain + [target])
                chain.append(target)
                current = target
                continue
            if code >= 400:
                reason = http.client.responses.get(code, "")
                return Result(url, "broken", code, current, f"HTTP {code} {reason}".strip(), chain=chain)
            if current == url:
                return Result(url, "ok", code, url, f"HTTP {code}", chain=chain)
            if urlparse(url).hostname in EXPECTED_REDIRECTS:
                return Result(url, "ok", code, current, f"HTTP {code}; the DOI resolves to {current}", chain=chain)
            return Result(url, "redirected", code, current, f"redirected to {current} (HTTP {code}): "
                          "update the link", chain=chain)
        return Result(url, "loop", None, current, f"more than {max_redirects} redirects: "
                      + " -> ".join(chain), chain=chain)
    except _Unreachable as exc:
        return Result(url, "unreachable", None, None, exc.detail, kind=exc.kind, chain=chain)


# --------------------------------------------------------------------------- many URLs

def _uses_proxy(url: str) -> bool:
    parsed = urlparse(url)
    proxies = urllib.request.getproxies()
    return parsed.scheme in proxies and not urllib.request.proxy_bypass(parsed.hostname or "")


def resolve_hosts(hosts: set[str], timeout: float) -> dict[str, str | None]:
    """host → None if it resolves, else why not; all at once, bounded by `timeout`."""
    answers: dict[str, str | None] = {}

    def lookup(host: str):
        try:
            socket.getaddrinfo(host, None)
            answers[host] = None
        except (socket.gaierror, UnicodeError, OSError) as exc:
            answers[host] = f"DNS lookup failed: {getattr(exc, 'strerror', None) or exc}"

    threads = [threading.Thread(target=lookup, args=(host,), daemon=True) for host in sorted(hosts)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {host: answers.get(host, "DNS lookup timed out") for host in hosts}


def _check_all(urls: list[str], *, timeout: float, concurrency: int, max_redirects: int) -> dict[str, Result]:
    hosts = {urlparse(url).hostname or "" for url in urls if not _uses_proxy(url)}
    dns = resolve_hosts(hosts, timeout)
    results, to_fetch = {}, []
    for url in urls:
        failure = None if _uses_proxy(url) else dns.get(urlparse(url).hostname or "")
        if failure:
            results[url] = Result(url, "unreachable", detail=failure, kind="dns", chain=[url])
        else:
            to_fetch.append(url)
    if to_fetch:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            for result in pool.map(lambda u: check_url(u, timeout=timeout, max_redirects=max_redirects), to_fetch):
                results[result.url] = result
    return results


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def load_cache(path: Path | None) -> dict[str, dict]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data.get("entries", {}) if data.get("version") == CACHE_VERSION else {}


def save_cache(path: Path, entries: dict[str, dict]):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"version": CACHE_VERSION, "entries": entries}, indent=1, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)


def check_urls(urls, *, cache_file: Path | None, max_age: timedelta = timedelta(days=7), use_cache: bool = True,
               timeout: float = 10, concurrency: int = 8, max_redirects: int = 10,
               probe_url: str | None = "https://doi.org/") -> Run:
    """Check URLs, from the cache where fresh; decide whether the network is reachable at all."""
    urls = list(dict.fromkeys(urls))
    now = _now()
    entries = load_cache(cache_file)
    results: dict[str, Result] = {}
    to_fetch = []
    for url in urls:
        entry = entries.get(url) if use_cache else None
        try:
            fresh = entry and now - datetime.fromisoformat(entry["checked_at"]) < max_age
        except (KeyError, TypeError, ValueError):
            fresh = False
        if fresh:
            known = {k: v for k, v in entry.items() if k in Result.__dataclass_fields__}
            results[url] = Result(**{**known, "url": url, "cached": True})
        else:
            to_fetch.append(url)
    fetched = _check_all(to_fetch, timeout=timeout, concurrency=concurrency, max_redirects=max_redirects)
    offline = None
    if fetched and all(r.status == "unreachable" and r.kind in NETWORK_LEVEL for r in fetched.values()):
        probe = None
        if probe_url:
            probe = _check_all([probe_url], timeout=timeout, concurrency=1, max_redirects=max_redirects)[probe_url]
        if probe is None or (probe.status == "unreachable" and probe.kind in NETWORK_LEVEL):
            example = next(iter(fetched.values()))
            offline = (f"every one of {len(fetched)} URL(s) failed at DNS/connection level "
                       f"(e.g. {urlparse(example.url).hostname}: {example.detail})"
                       + (f", and so did the probe {probe_url} ({probe.detail})" if probe else ""))
    stamp = now.isoformat()
    for url, result in fetched.items():
        if offline:
            results[url] = Result(url, "not checked", detail="the network cannot be reached", chain=[url])
        else:
            result.checked_at = stamp
            results[url] = result
            entries[url] = {k: v for k, v in asdict(result).items() if k not in ("url", "cached")}
    if cache_file is not None and fetched and not offline:
        save_cache(cache_file, entries)
    return Run({url: results[url] for url in urls}, offline, 0 if offline else len(fetched))


def exit_code(run: Run) -> int:
    if run.offline:
        return EXIT_OFFLINE
    if any(r.status in ("broken", "loop", "unreachable") for r in run.results.values()):
        return EXIT_BROKEN
    return EXIT_OK


# --------------------------------------------------------------------------- report

def write_report(run: Run, uses: dict[str, list[str]], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    generated = _now().isoformat()
    counts = {status: sum(1 for r in run.results.values() if r.status == status) for status in STATUSES}
    rows = [{**asdict(r), "used_in": uses.get(url, [])} for url, r in run.results.items()]
    data = {"generated": generated, "offline": run.offline, "fetched": run.fetched, "summary": counts,
            "results": rows}
    json_path, md_path = out_dir / "linkcheck-external.json", out_dir / "linkcheck-external.md"
    json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["# External links", "",
             f"Generated {generated} by `make linkcheck-external` (scripts/primer/linkcheck_external.py). "
             f"{len(run.results)} URL(s): {run.fetched} fetched in this run, "
             f"{sum(r.cached for r in run.results.values())} from the cache.", ""]
    if run.offline:
        lines += [f"**Cannot reach the network: {run.offline}. Nothing was checked.** "
                  "The inventory below is complete; run again with a network connection.", ""]
    lines += ["| Status | Count |", "|---|---|"] + [f"| {s} | {counts[s]} |" for s in STATUSES if counts[s]] + [""]
    for status in STATUSES:
        chosen = [row for row in rows if row["status"] == status]
        if not chosen:
            continue
        lines += [f"## {status.capitalize()} ({len(chosen)})", "", "| URL | Result | Used in |", "|---|---|---|"]
        for row in chosen:
            result = row["detail"] + (f" ({row['kind']})" if row["kind"] else "")
            if row["checked_at"]:
                result += f"; checked {row['checked_at']}" + (" (cached)" if row["cached"] else "")
            cell = lambda text: str(text).replace("|", "\\|")  # noqa: E731
            lines.append(f"| <{cell(row['url'])}> | {cell(result)} | {cell(', '.join(row['used_in']))} |")
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return md_path, json_path


# --------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this repository)")
    parser.add_argument("--report-dir", type=Path, help="where the report goes (default: ROOT/reports)")
    parser.add_argument("--cache-file", type=Path, help="default: ROOT/reports/.linkcheck-cache.json")
    parser.add_argument("--no-cache", action="store_true", help="fetch every URL, whatever the cache says")
    parser.add_argument("--max-age", type=float, default=7, help="days a cached result stays fresh (default 7)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests at once (default 8)")
    parser.add_argument("--max-redirects", type=int, default=10, help="default 10")
    parser.add_argument("--probe-url", default="https://doi.org/",
                        help="fetched when every URL fails, to tell 'offline' from 'all dead' ('' for none)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    report_dir = args.report_dir or root / "reports"
    cache_file = args.cache_file or root / "reports" / ".linkcheck-cache.json"
    uses = inventory(root)
    print(f"{len(uses)} external URL(s) in docs/, references.bib and sources/manifest.yaml", file=sys.stderr)
    run = check_urls(uses, cache_file=cache_file, max_age=timedelta(days=args.max_age), use_cache=not args.no_cache,
                     timeout=args.timeout, concurrency=args.concurrency, max_redirects=args.max_redirects,
                     probe_url=args.probe_url or None)
    md_path, _ = write_report(run, uses, report_dir)
    if run.offline:
        print(f"cannot reach the network: {run.offline}; nothing was checked (inventory in {md_path})",
              file=sys.stderr)
        return EXIT_OFFLINE
    for url, result in run.results.items():
        if result.status not in ("ok",):
            print(f"{result.status}: {url}: {result.detail} [{', '.join(uses.get(url, []))}]")
    counts = {s: sum(1 for r in run.results.values() if r.status == s) for s in STATUSES}
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; report: {md_path}", file=sys.stderr)
    return exit_code(run)


if __name__ == "__main__":
    sys.exit(main())
