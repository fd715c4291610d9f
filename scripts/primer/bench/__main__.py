"""python -m primer.bench: the benchmark's command line (primer.bench.cli)."""
import sys

from primer.bench.cli import main

sys.exit(main())
