"""Unit tests of the figure check (primer.checks.figures), one file per module."""
