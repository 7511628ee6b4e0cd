"""What the store raises when a state file cannot be used."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The state file cannot be used (unreadable, damaged, or owned by another running server)."""


class DamagedFile(StoreError):
    """A line of a state file or log that is not what the store wrote; nothing was changed on disk."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"damaged state {path}, line {line}: {reason}")
