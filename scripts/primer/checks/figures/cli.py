"""The command line: python -m primer.checks.figures [PATH ...] [--root DIR] [--json FILE] [--csv FILE]
[--claims-json FILE] [--claims-csv FILE] [--review FILE]."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from primer.checks import inputs
from primer.checks.figures import claims as claims_mod
from primer.checks.figures import evidence
from primer.checks.figures.checker import check
from primer.checks.figures.ledger import write_csv, write_json
from primer.checks.figures.problems import BadInput


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m primer.checks.figures",
        description="Check every figure in the chapters against the vendored source passage it cites.")
    ap.add_argument("paths", nargs="*", help="Markdown files or folders (default: every docs/**/*.md)")
    ap.add_argument("--root", default=".", help="repository root (default: the current folder)")
    ap.add_argument("--json", metavar="PATH", help="write the figure ledger as JSON")
    ap.add_argument("--csv", metavar="PATH", help="write the figure ledger as CSV")
    ap.add_argument("--claims-json", metavar="PATH", help="write the claims ledger as JSON")
    ap.add_argument("--claims-csv", metavar="PATH", help="write the claims ledger as CSV")
    ap.add_argument("--review", metavar="PATH", help="write the claims whose passage is weak, to review (Markdown)")
    ap.add_argument("--traceback", action="store_true", help="show the Python traceback of an internal error")
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass
    unreadable = inputs.problems(Path(args.root))   # the input gate, as the build runs it first
    if unreadable:
        for problem in unreadable:
            print(f"figures: error: {problem}", file=sys.stderr)
        return 2
    try:
        result = check(args.paths or None, args.root)
        if args.json:
            write_json(result, args.json)
        if args.csv:
            write_csv(result, args.csv)
        for path, text in ((args.claims_json, lambda: claims_mod.to_json(result.claims, {"quotations": result.quotations})),
                           (args.claims_csv, lambda: claims_mod.to_csv(result.claims)),
                           (args.review, lambda: claims_mod.review_report(result.claims)
                            + evidence.unkept_report(result.unkept))):
            if path:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).write_text(text(), encoding="utf-8")
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
    s = claims_mod.summary(result.claims)
    q = result.quotations
    print(f"{s['claims']} claim{'s' * (s['claims'] != 1)}: {s['quotation']} found by quotation, {s['figure']} by figure, {s['wording']} by "
          f"wording; {s['weak']} weak (to review); {q['checked']} quotations verified ({q['short']} of one or two "
          f"words), {q['translations']} translations and {q['mentions']} mentions exempt, {q['unverifiable']} "
          "in units that also cite a work without a text")
    e = result.evidence
    if e["kept"] + e["unkept"]:
        print(f"{e['kept'] + e['unkept']} citations of public evidence: {e['kept']} rest on a passage kept in "
              f"{evidence.EVIDENCE}, {e['unkept']} on none (listed by --review)")
    return 0 if result.ok else 1


