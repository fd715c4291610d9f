"""What the check reports: a Problem (place first, one line) and BadInput (the check cannot run)."""
from __future__ import annotations

from dataclasses import dataclass


class BadInput(Exception):
    """Input that prevents checking at all (exit status 2)."""


@dataclass
class Problem:
    path: str
    line: int | None
    col: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            if not self.path or self.message.startswith(self.path + " "):
                return self.message                    # "sources/x.txt has changed: ..." names its place already
            return f"{self.path}: {self.message}"
        if self.col is None:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
