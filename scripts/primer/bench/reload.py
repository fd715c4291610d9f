"""Live reload: `mkdocs serve` in a copy of the project, one edit at a time, until the served page has it."""
from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from primer import ROOT
from primer.bench.builds import load_config

# scripts/primer/bench/browser_parts.py: Chromium, the site's pages and the server, as the browser tests have them
from primer.build.project_parts import copy_project  # (scripts/primer/build/project_parts.py)

# -- 5. Live reload after one edit -------------------------------------------------------------

RELOAD_PAGE = "sources/guangdong-technological-brief.md"  # the largest chapter; under docs/
RELOAD_POLL_S = 0.05
BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")


def built_in_seconds(output: str) -> list[float]:
    """Every "Documentation built in X seconds" MkDocs printed in `output`, in order. MkDocs' command
    line never prints the same log message twice (a DuplicateFilter on its build logger): a rebuild
    whose time, to the hundredth, was already printed leaves no line."""
    return [float(s) for s in BUILT_IN.findall(output)]


def logged_rebuild_s(lines: list[tuple[float, str]]) -> float | None:
    """Seconds between serve's "Building documentation..." and the next "Reloading browsers" line,
    (arrival time, line) pairs as read from the server's output: the whole rebuild, configuration
    reloaded included. Always printed (no DuplicateFilter on those loggers). None without both."""
    start = next((t for t, line in lines if "Building documentation" in line), None)
    end = next((t for t, line in lines if "Reloading browsers" in line and start is not None and t >= start), None)
    return end - start if start is not None and end is not None else None


def page_url(source: str, use_directory_urls: bool = True) -> str:
    """The URL path (relative to the site's root, no leading slash) of a page from its path under docs/."""
    path = source[:-3] if source.endswith(".md") else source
    parent, _, name = path.rpartition("/")
    if name in ("index", "README"):
        return parent + "/" if parent else ""
    if not use_directory_urls:
        return path + ".html"
    return path + "/"


def new_marker(seen: set[str]) -> str:
    """A word found nowhere in the site, letters only (no digit: the figure check must have nothing
    to check), never one in `seen`, which it joins."""
    import secrets
    while True:
        marker = "benchreload" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
        if marker not in seen:
            seen.add(marker)
            return marker


def with_edit(text: str, marker: str) -> str:
    """The chapter's text with one paragraph appended: the edit. Letters and punctuation only."""
    return text.rstrip("\n") + f"\n\nA paragraph added by the bench to time the live reload: {marker}.\n"


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Stop `proc` and every process of its group (it was started with start_new_session): SIGINT
    first (`mkdocs serve` then shuts down cleanly and removes its site folder), then SIGTERM, then
    SIGKILL, each to the whole group, until no process of the group is left."""
    import signal
    pgid = proc.pid

    def group_alive() -> bool:
        proc.poll()  # reap the leader, if it has exited
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    for sig, wait_s in ((signal.SIGINT, grace_s), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if not group_alive():
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and group_alive():
            time.sleep(0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _get(url: str, timeout: float) -> tuple[int, str]:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # refused, reset, timed out: not served yet
        return 0, ""


@contextlib.contextmanager
def serving(project: Path, env: dict | None = None, timeout_s: float = 600.0):
    """`mkdocs serve` (as `make serve`) in PROJECT on a free port, with ENV added to the environment; yields
    (the site's base URL, the server's output lines, a list that grows as it prints) once the first build is
    served. The server is stopped, its whole process group, whatever happens. RuntimeError, with the server's
    last lines, when it exits or is not serving within TIMEOUT_S."""
    tmpdir = project / ".serve-tmp"  # mkdocs serve's own site folders, removed with the project if it is killed
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmpdir), **(env or {})}
    lines: list[str] = []
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{_free_port()}"],
                            cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                            start_new_session=True)
    reader = threading.Thread(target=lambda: [lines.append(line.rstrip("\n")) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        deadline = time.perf_counter() + timeout_s
        while True:  # "Serving on" is printed once the first build is done
            match = next((m for line in list(lines) for m in [re.search(r"Serving on (http://\S+)", line)] if m), None)
            if match:
                break
            if proc.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError("`mkdocs serve` " + (f"exited with code {proc.returncode}" if proc.poll() is not None
                                   else f"was not serving after {timeout_s:.0f} s") + "; its last output:\n"
                                   + "\n".join(lines[-15:]))
            time.sleep(RELOAD_POLL_S)
        yield match.group(1).rstrip("/") + "/", lines
    finally:
        stop_process_group(proc)
        reader.join(timeout=5)


def get(url: str, timeout: float) -> tuple[int, str]:
    """(HTTP status, body) of a GET of URL; 0 when nothing answered within TIMEOUT seconds."""
    return _get(url, timeout)


def reload_summary(walls: list[float], inner: list[float | None], logged: list[float | None]) -> dict:
    """The statistics of the edits: for each, the wall time until the page had the edit (`walls`),
    MkDocs' "built in" (`inner`) and the logged rebuild (`logged`), None where not printed. Medians
    (of the known values), the spread of the wall times, and every value."""
    known = [s for s in inner if s is not None]
    logged_known = [s for s in logged if s is not None]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "runs_s": [round(w, 3) for w in walls],
            "mkdocs_built_in_median_s": statistics.median(known) if known else None,
            "mkdocs_built_in_s": inner,
            "logged_rebuild_median_s": statistics.median(logged_known) if logged_known else None,
            "logged_rebuild_s": [None if s is None else round(s, 3) for s in logged]}


def measure_reload(project: Path, source: str, runs: int, timeout_s: float = 600.0) -> dict:
    """`mkdocs serve` (as `make serve`: full rebuilds, no --dirty) in `project` on a free port; once the
    first build is served, `runs` times: one edit of docs/`source` (a paragraph with a new marker word),
    then the wall time from the write until a GET of the page's URL returns the marker (polled every
    RELOAD_POLL_S), and MkDocs' own "built in" for that rebuild. The server is stopped, its whole
    process group, whatever happens."""
    config = load_config(project / "mkdocs.yml") or {}
    url_path = page_url(source, config.get("use_directory_urls", True) is not False)
    chapter = project / config.get("docs_dir", "docs") / source
    original = chapter.read_text(encoding="utf-8")
    port = _free_port()
    tmpdir = project / ".serve-tmp"  # mkdocs serve's own site folder, removed with the project if it is killed
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmpdir)}
    lines: list[tuple[float, str]] = []

    def output() -> str:
        return "\n".join(line for _, line in lines)

    def count(text: str, since: int = 0) -> int:
        return sum(text in line for _, line in lines[since:])

    def failed(why: str) -> dict:
        return {"available": False, "why": why + "; the server's last output:\n" + "\n".join(
            line for _, line in lines[-15:])}

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                            start_new_session=True)
    reader = threading.Thread(target=lambda: [lines.append((time.perf_counter(), line.rstrip("\n")))
                                              for line in proc.stdout], daemon=True)
    reader.start()
    try:
        deadline = start + timeout_s
        base = None
        while base is None:  # "Serving on" is printed once the first build is done
            match = next((m for _, line in lines for m in [re.search(r"Serving on (http://\S+)", line)] if m), None)
            if match:
                base = match.group(1).rstrip("/") + "/"
            elif proc.poll() is not None:
                return failed(f"`mkdocs serve` exited with code {proc.returncode} before serving")
            elif time.perf_counter() > deadline:
                return failed(f"`mkdocs serve` was not serving after {timeout_s:.0f} s")
            else:
                time.sleep(RELOAD_POLL_S)
        url = base + url_path
        while True:
            status, body = _get(url, timeout=max(1.0, deadline - time.perf_counter()))
            if status == 200:
                break
            if proc.poll() is not None or time.perf_counter() > deadline:
                return failed(f"{url} was not served (HTTP {status})")
            time.sleep(RELOAD_POLL_S)
        first = {"wall_s": time.perf_counter() - start, "mkdocs_built_in_s": next(iter(built_in_seconds(output())),
                                                                                 None)}
        seen: set[str] = set()
        walls, inner, logged, rebuilds = [], [], [], []
        for _ in range(runs):
            time.sleep(1.0)  # the watcher (it polls every 0.5 s) has seen the previous state
            marker = new_marker(seen)
            before = len(lines)
            chapter.write_text(with_edit(original, marker), encoding="utf-8")
            t0 = time.perf_counter()
            deadline = t0 + timeout_s
            while True:
                status, body = _get(url, timeout=max(1.0, deadline - time.perf_counter()))
                if status == 200 and marker in body:
                    walls.append(time.perf_counter() - t0)
                    break
                if proc.poll() is not None:
                    return failed(f"`mkdocs serve` exited with code {proc.returncode} after an edit")
                if time.perf_counter() > deadline:
                    return failed(f"the edit did not reach {url} in {timeout_s:.0f} s")
                time.sleep(RELOAD_POLL_S)
            # The rebuild logs "built in" before the page is served, "Reloading browsers" after;
            # wait for that line, and for any rebuild still going, before the next edit.
            settle = time.perf_counter() + 30
            while time.perf_counter() < settle and (
                    count("Reloading browsers", before) == 0
                    or count("Detected file changes", before) > count("Reloading browsers", before)
                    + count("An error happened during the rebuild", before)):
                time.sleep(RELOAD_POLL_S)
            since = "\n".join(line for _, line in lines[before:])
            inner.append(next(iter(built_in_seconds(since)), None))  # None: not printed (a repeat)
            logged.append(logged_rebuild_s(lines[before:]))
            rebuilds.append(count("Detected file changes", before))
        return {"available": True, "runs": runs, "source": f"docs/{source}", "page": "/" + url_path,
                "command": "mkdocs serve (full rebuild on a change, as `make serve`)",
                **reload_summary(walls, inner, logged),
                "rebuilds_per_edit": rebuilds, "first_build": first,
                "poll_s": RELOAD_POLL_S}
    finally:
        stop_process_group(proc)
        reader.join(timeout=5)
        chapter.write_text(original, encoding="utf-8")


def bench_reload(runs: int) -> dict:
    """The live reload after one edit, in a throw-away copy of the project (measure_reload)."""
    source = RELOAD_PAGE
    if not (ROOT / "docs" / source).is_file():  # renamed: the largest chapter instead
        chapters = [p for d in ("primer", "sources") for p in (ROOT / "docs" / d).glob("*.md") if p.name != "index.md"]
        if not chapters:
            return {"available": False, "why": "no chapter to edit"}
        source = max(chapters, key=lambda p: p.stat().st_size).relative_to(ROOT / "docs").as_posix()
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        project = copy_project(Path(tmp) / "project")
        try:
            return measure_reload(project, source, runs)
        except Exception as error:  # noqa: BLE001 - report, don't crash the rest of the bench
            return {"available": False, "why": f"{type(error).__name__}: {error}"}
