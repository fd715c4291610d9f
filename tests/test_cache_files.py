"""scripts/primer/build/cache_files.py: the files of the caches in .cache/ (pandoc runs, chart drawings, figure check
results) are written whole or not at all, leave no temporary file behind, and only the most recently used
are kept."""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from conftest import ROOT

from primer.build import cache_files


def _file(folder: Path, name: str, age: int) -> Path:
    """FOLDER/NAME, last used AGE hours ago."""
    path = folder / name
    path.write_text(name, encoding="utf-8")
    when = 1_700_000_000 - age * 3600
    os.utime(path, (when, when))
    return path


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_write_puts_the_text_in_place_and_creates_the_folder(tmp_path):
    path = tmp_path / "cache" / "deep" / "a.json"
    cache_files.write(path, '{"é": 1}', keep=4)
    assert path.read_text(encoding="utf-8") == '{"é": 1}'
    assert _names(path.parent) == {"a.json"}
    cache_files.write(path, "[2]", keep=4)                         # the same key again: replaced
    assert path.read_text(encoding="utf-8") == "[2]" and _names(path.parent) == {"a.json"}


def test_a_write_that_fails_while_writing_leaves_nothing_and_raises(tmp_path):
    """A text that cannot be encoded fails half way through the write (not an OSError: raised, as before)."""
    path = tmp_path / "a.json"
    with pytest.raises(UnicodeEncodeError):
        cache_files.write(path, "x" * 100_000 + "\ud800", keep=4)   # a lone surrogate: no UTF-8 for it
    assert _names(tmp_path) == set()


def test_a_write_that_fails_on_a_full_disk_leaves_nothing_and_is_no_error(tmp_path, monkeypatch):
    old = _file(tmp_path, "old.json", age=1)

    class Full:
        def __init__(self, file):
            self.file = file

        def __getattr__(self, name):
            return getattr(self.file, name)

        def write(self, text):
            self.file.write(text[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

    real = cache_files.tempfile.NamedTemporaryFile

    class Temporary:
        def __init__(self, *args, **kwargs):
            self.file = real(*args, **kwargs)

        def __enter__(self):
            return Full(self.file.__enter__())

        def __exit__(self, *exc):
            return self.file.__exit__(*exc)

    monkeypatch.setattr(cache_files.tempfile, "NamedTemporaryFile", Temporary)
    cache_files.write(tmp_path / "new.json", "[1, 2, 3]" * 10, keep=4)  # no exception: a cache is optional
    assert _names(tmp_path) == {"old.json"} and old.read_text(encoding="utf-8") == "old.json"


def test_a_failed_replace_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))
    monkeypatch.setattr(cache_files.os, "replace", refuse)
    cache_files.write(tmp_path / "a.json", "[1]", keep=4)
    assert _names(tmp_path) == set()


def test_the_final_path_appears_only_whole(tmp_path, monkeypatch):
    """Another process reading PATH sees no file or the whole text, never a part of it: until the rename the
    text is in a temporary file of the same folder (same file system), complete, and PATH does not exist."""
    path, text, seen = tmp_path / "a.json", json.dumps({"k": "v" * 50_000}), []
    real = os.replace

    def inspect(src, dst):
        seen.append((Path(src).parent, Path(src).suffix, Path(src).read_text(encoding="utf-8") == text,
                     Path(dst).exists(), cache_files.read(dst)))
        real(src, dst)
    monkeypatch.setattr(cache_files.os, "replace", inspect)
    cache_files.write(path, text, keep=4)
    assert seen == [(tmp_path, ".tmp", True, False, None)]
    assert path.read_text(encoding="utf-8") == text and _names(tmp_path) == {"a.json"}


def test_prune_keeps_the_most_recently_used_and_spares_other_suffixes(tmp_path):
    for age in range(6):
        _file(tmp_path, f"{age}.json", age)
    others = {_file(tmp_path, name, age=99).name for name in ("x.svg", "y.tmp", "z.json.bak")}
    cache_files.prune(tmp_path, 3, "*.json")
    assert _names(tmp_path) == {"0.json", "1.json", "2.json"} | others
    cache_files.prune(tmp_path, 0, "*.json")
    assert _names(tmp_path) == others


def test_write_keeps_keep_files_the_new_one_among_them(tmp_path):
    for age in range(1, 6):
        _file(tmp_path, f"{age}.json", age)
    _file(tmp_path, "in-progress.tmp", age=99)                    # another writer's temporary file: not ours
    new = tmp_path / "new.json"
    cache_files.write(new, "[]", keep=3)
    assert _names(tmp_path) == {"new.json", "1.json", "2.json", "in-progress.tmp"}


def test_the_new_file_is_kept_even_when_older_ones_look_newer(tmp_path):
    """A clock step back or a coarse time stamp: the file just written is never the one pruned."""
    future = 4_000_000_000
    for name in ("a.json", "b.json"):
        os.utime(_file(tmp_path, name, 0), (future, future))
    cache_files.write(tmp_path / "new.json", "[]", keep=2)
    assert "new.json" in _names(tmp_path) and len(_names(tmp_path)) == 2


def test_prune_with_a_pattern_leaves_other_files_of_the_suffix(tmp_path):
    """scripts/primer/site/chart_drawing.py keeps one drawing per chart: ID-KEY.svg, where another chart's id may start with ID."""
    key = "0" * 64
    _file(tmp_path, f"gdp-{key}.svg", 1)
    _file(tmp_path, f"gdp-share-{key}.svg", 1)                     # another chart, matched by "gdp-*.svg"
    cache_files.write(tmp_path / f"gdp-{'1' * 64}.svg", "<svg></svg>", 1, "gdp-" + "[0-9a-f]" * 64 + ".svg")
    assert _names(tmp_path) == {f"gdp-{'1' * 64}.svg", f"gdp-share-{key}.svg"}


def test_read_gives_the_text_and_marks_the_file_used_so_it_survives_the_next_prune(tmp_path):
    oldest = _file(tmp_path, "oldest.json", age=9)
    for age in range(1, 4):
        _file(tmp_path, f"{age}.json", age)
    assert cache_files.read(oldest) == "oldest.json"
    cache_files.write(tmp_path / "new.json", "[]", keep=3)
    assert _names(tmp_path) == {"new.json", "oldest.json", "1.json"}


def test_read_of_a_missing_or_unreadable_file_is_none(tmp_path):
    assert cache_files.read(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe not utf-8")
    assert cache_files.read(tmp_path / "bad.json") is None
    (tmp_path / "folder.json").mkdir()
    assert cache_files.read(tmp_path / "folder.json") is None


def test_the_figure_check_cache_leaves_no_temporary_file_when_a_value_cannot_be_kept(tmp_path):
    """The callers serialise before anything is written: an unserialisable value creates no file at all."""
    from primer.checks import figures
    cache = figures.ResultCache(tmp_path / "figures", ROOT)
    cache._put("a", [1])
    with pytest.raises(TypeError):
        cache._put("b", [object()])
    assert _names(tmp_path / "figures") == {"a.json"} and cache._get("a") == [1] and cache._get("b") is None


def test_key_tells_apart_parts_that_join_to_the_same_text():
    from primer.build import cache_files
    assert cache_files.key("ab", "c") != cache_files.key("a", "bc")
    assert cache_files.key("a", b"b") == cache_files.key(b"a", "b") == cache_files.key("a", "b")
    assert cache_files.key(1) == cache_files.key("1") and len(cache_files.key()) == 64


def test_read_json_gives_the_value_and_none_for_a_missing_unreadable_or_damaged_file(tmp_path):
    (tmp_path / "good.json").write_text('{"a": [1, "b"]}', encoding="utf-8")
    (tmp_path / "cut.json").write_text('{"a": [1, "b"', encoding="utf-8")        # a partial write of long ago
    (tmp_path / "bytes.json").write_bytes(b'"\xff\xfe"')                          # not UTF-8
    assert cache_files.read_json(tmp_path / "good.json") == {"a": [1, "b"]}
    assert [cache_files.read_json(tmp_path / name) for name in ("cut.json", "bytes.json", "none.json")] == [None] * 3
