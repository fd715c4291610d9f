"""The command line: python -m primer.figures [PATH ...] [--root DIR] [--json FILE] [--csv FILE]."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from primer.figures.checker import check
from primer.figures.ledger import write_csv, write_json
from primer.figures.problems import BadInput


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m primer.figures",
        description="Check every figure in the chapters against the vendored source passage it cites.")
    ap.add_argument("paths", nargs="*", help="Markdown files or folders (default: every docs/**/*.md)")
    ap.add_argument("--root", default=".", help="repository root (default: the current folder)")
    ap.add_argument("--json", metavar="PATH", help="write the figure ledger as JSON")
    ap.add_argument("--csv", metavar="PATH", help="write the figure ledger as CSV")
    ap.add_argument("--traceback", action="store_true", help="show the Python traceback of an internal error")
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass
    try:
        result = check(args.paths or None, args.root)
        if args.json:
            write_json(result, args.json)
        if args.csv:
            write_csv(result, args.csv)
    except BadInput as e:
        print(f"figures: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"figures: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:  # never a bare traceback for editors
        if args.traceback:
            raise
        print(f"figures: internal error: {type(e).__name__}: {e} (rerun with --traceback and report it)",
              file=sys.stderr)
        return 2
    for p in result.problems:
        print(p)
    print(result.summary())
    return 0 if result.ok else 1


