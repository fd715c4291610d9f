"""What the bench measures against: the budgets, the PDF switch; verdicts."""
from __future__ import annotations

PDF_ENV, PDF_NAME = "PRIMER_PDF", "dual-circulation-primer.pdf"  # primer.build.stages.print_edition, scripts/primer/site/print_assembly.py
# issue #16: the strict build within 1.5× Material alone on the same pages (warm), 2.5× from a fresh clone
# (cold), and a live reload after one edit under 1.5 s
BUDGETS = {"build_ratio": 1.5, "build_ratio_cold": 2.5, "reload_s": 1.5, "page_kb": 400, "search_index_kb": 500,
           "tenfold_ratio": 12, "tenfold_reload_s": 2.0}   # issue #23: ten times the primer
CHAPTERS = ("/primer/", "/sources/")  # the budget is for chapter pages; every page is shown


def pass_or_over(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def size_verdict(nbytes: float, limit_kb: float) -> str:
    """PASS when strictly under the budget (KB of 1024 bytes), OVER otherwise."""
    return pass_or_over(nbytes < limit_kb * 1024)
