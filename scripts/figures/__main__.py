"""python -m primer.figures: the figure check's command line (primer.figures.cli)."""
import sys

from primer.figures.cli import main

sys.exit(main())
