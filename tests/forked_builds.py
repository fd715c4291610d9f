"""`mkdocs build` for the tests, each in a process of its own forked from one that has already imported MkDocs,
Material, the primer plugin, the Markdown extensions and jieba's dictionary (multiprocessing's forkserver, with
PRELOAD), instead of a new Python that imports them all again. A build of the primer spends about 5 s of CPU
before it reads a page (imports, and jieba's dictionary for the search index's Chinese words); the suite makes
some fifty builds. The build itself is the command line's: `mkdocs build ARGS` in CWD with ENV, its output
and exit status given back as subprocess.run gives them.

The forkserver only imports (no build runs in it), so each child starts in the state a new process reaches
after the same imports. A build that must import the package from elsewhere (PYTHONPATH: a copy whose code a
test changed) cannot share those imports: tests/conftest.py runs that one in a new Python."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PRELOAD = ["forked_builds_preload"]
_lock = threading.Lock()
_context: list = []


def _forkserver():
    with _lock:   # built_site builds in a thread while the tests build in the main one
        if not _context:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context.append(context)
        return _context[0]


def _child(args: list[str], cwd: str, env: dict[str, str], out: str, err: str) -> None:
    """In the forked process: the command line as `python -m mkdocs ARGS` runs it, its output into OUT and ERR."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115 - the process's own
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
    sys.argv = ["mkdocs", *args]
    from mkdocs.__main__ import cli

    code = 0
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:   # what a new Python would print before it exits with 1
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def mkdocs(args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    """`python -m mkdocs ARGS` in CWD with ENV, forked from the preloaded process."""
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        process = _forkserver().Process(target=_child, args=(list(args), str(cwd), dict(env), str(out), str(err)),
                                        daemon=True)   # a run that ends (or fails) early does not wait for it
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["mkdocs", *args], timeout)
        read = lambda path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""  # noqa: E731
        return subprocess.CompletedProcess(["mkdocs", *args], process.exitcode, read(out), read(err))
