"""python -m primer.checks.figures: the figure check's command line (primer.checks.figures.cli)."""
import sys

from primer.checks.figures.cli import main

sys.exit(main())
