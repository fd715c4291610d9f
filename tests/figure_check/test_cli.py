"""primer.checks.figures.ledger and cli: the summary, the JSON and CSV ledger, the command line.

Each builds a small project in a temporary folder (tests/figure_check/small_project.py) unless it
says it uses the real sources."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

from figure_check.small_project import BAD, DERIVED, GOOD, run
from primer.checks import figures as cf

# ---------------------------------------------------------------------------
# Ledger, summary and command line
# ---------------------------------------------------------------------------


def test_summary_line(tree):
    r = run(tree, GOOD + f"\nA {DERIVED.format(f='82.9 - 66.2', v='16.7')} [@alpha2024report].\n"
                  '\n<span class="editorial">four</span>\n')
    assert r.summary() == "3 figures checked on 1 page: 0 problems (1 derived, 1 editorial and 0 external not checked)"


def test_json_and_csv_ledger(tree, tmp_path):
    (tree / "docs" / "sub").mkdir()
    (tree / "docs" / "sub" / "a.md").write_text(GOOD, encoding="utf-8")
    out_json, out_csv = tmp_path / "out" / "figures.json", tmp_path / "out" / "figures.csv"
    assert cf.main(["--root", str(tree), "--json", str(out_json), "--csv", str(out_csv)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["summary"] == {"figures": 2, "pages": 1, "problems": 0, "sourced": 2, "derived": 0, "editorial": 0, "external": 0}
    assert [list(r) for r in data["rows"]] == [cf.ROW_FIELDS] * 2
    assert data["rows"][0]["page"] == "sub/a.md" and data["rows"][0]["value"] == "46.9"
    with open(out_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == cf.ROW_FIELDS and len(rows) == 3
    assert rows[1][cf.ROW_FIELDS.index("source_sentence")].startswith("The share rose to 46.9%")


def test_cli_exit_codes(tree, capsys):
    (tree / "docs" / "page.md").write_text(GOOD, encoding="utf-8")
    assert cf.main(["--root", str(tree)]) == 0
    assert capsys.readouterr().out == ("2 figures checked on 1 page: 0 problems (0 derived, 0 editorial and 0 external not checked)\n"
                                       "1 claim: 0 found by quotation, 1 by figure, 0 by wording; 0 weak (to review); "
                                       "0 quotations verified (0 of one or two words), 0 translations and 0 mentions "
                                       "exempt, 0 in units that also cite a work without a text\n")
    (tree / "docs" / "page.md").write_text(BAD, encoding="utf-8")
    assert cf.main(["--root", str(tree)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('docs/page.md:1:19: figure "46.7%"') and out[-2].endswith(": 1 problem (0 derived, 0 editorial and 0 external not checked)")
    assert cf.main(["--root", str(tree), "docs/nope.md"]) == 2
    assert "docs/nope.md: no such file or folder" in capsys.readouterr().err


def test_cli_as_a_module(tree):
    (tree / "docs" / "page.md").write_text(BAD, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "primer.checks.figures", "docs/page.md"],
                          cwd=tree, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("docs/page.md:1:19: ") and "Traceback" not in proc.stderr


def test_cli_stops_at_an_input_it_cannot_read(tree, capsys):
    (tree / "docs" / "page.md").write_bytes(GOOD.encode("utf-8") + b"\n\nA caf\xe9.\n")
    assert cf.main(["--root", str(tree)]) == 2
    err = capsys.readouterr().err
    assert "figures: error: docs/page.md:" in err and "not UTF-8 (byte 0xe9" in err and "Traceback" not in err
