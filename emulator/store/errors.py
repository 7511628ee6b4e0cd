"""What the store raises when a state file cannot be used."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The state file cannot be used (unreadable, damaged, or owned by another running server)."""


class DamagedFile(StoreError):
    """A line of a state file or log that is not what the store wrote (``line`` None: the whole file);
    nothing was changed on disk."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"damaged state {path}{f', line {line}' if line else ''}: {reason}")


class ChangedFile(DamagedFile):
    """A snapshot that reads well but is not the file the server wrote: it does not match its checksum."""

    def __init__(self, path: Path, checksums: Path) -> None:
        super().__init__(path, None, f"it changed after the server wrote it (it does not match its checksum "
                                     f"in {checksums.name})")
