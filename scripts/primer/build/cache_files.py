"""Cache files: one job: keep a cache's files on disk, written whole or not at all, and only the most recently used.

Used by the project's caches in .cache/ (primer.build.bibtex_adapter, primer.site.csl_render, primer.site.chart_drawing,
primer.checks.figures.cache), which also take their keys from `key`.
A file is used when it is written or read with `read`; `prune` keeps the newest by that time (st_mtime).
A cache that cannot be written is no error: the next run does the work again.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path


def key(*parts) -> str:
    """A cache key: the sha256 of PARTS (bytes, or anything else as its str), each prefixed by its length, so
    that no two different lists of parts give the same key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def read(path: Path) -> str | None:
    """The text of PATH, which is marked as just used; None when it is missing or unreadable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return text


def read_json(path: Path):
    """The JSON value kept at PATH (marked as just used, as `read`); None when it is missing, unreadable or
    damaged (not JSON): the caller does the work again."""
    text = read(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def write(path: Path, text: str, keep: int, pattern: str | None = None) -> None:
    """Write TEXT to PATH (another process sees the old file or the whole new one, never part of it), then
    prune PATH's folder to KEEP files matching PATTERN (default: those with PATH's suffix), PATH among them.
    An OSError (a full disk, a read-only folder) is ignored; any other error is raised. Either way no
    temporary file is left behind."""
    path, tmp = Path(path), None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as file:
            tmp = file.name
            file.write(text)
        os.replace(tmp, path)
        tmp = None
        prune(path.parent, keep, pattern or f"*{path.suffix}", spare=path)
    except OSError:
        pass  # not kept: the next run does the work again
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def prune(folder: Path, keep: int, pattern: str, spare: Path | None = None) -> None:
    """Delete all but the KEEP most recently used files in FOLDER that match PATTERN (a glob). SPARE, the file
    just written, is always one of those kept (even when another file has the same time)."""
    files = sorted((f for f in Path(folder).glob(pattern) if f != spare), key=_used, reverse=True)
    for old in files[max(keep - (spare is not None), 0):]:
        old.unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0  # gone already (another process pruned it)
