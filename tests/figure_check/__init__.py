"""Unit tests of the figure check (primer.figures), one file per module."""
