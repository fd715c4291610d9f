"""The small project fixture for every test of the figure check."""
from figure_check.small_project import tree  # noqa: F401  (a fixture)
