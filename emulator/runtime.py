"""Clock and ID generator of a namespace: real by default, fixed on demand for byte-identical runs."""

from __future__ import annotations

import os
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta

#: Where a namespace clock may be set or moved: far enough from datetime's limits that the time plus any
#: duration a provider adds to it (lifecycles, expiries) stays a valid datetime.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


class Clock:
    """UTC time, optionally frozen at an instant and/or moved by an offset."""

    def __init__(self) -> None:
        self.frozen: datetime | None = None
        self.offset = timedelta()

    def now(self) -> datetime:
        base = self.frozen if self.frozen is not None else datetime.now(UTC)
        return base + self.offset

    def freeze(self, at: datetime | None) -> None:
        """Stop the clock at ``at`` (None lets it run); ValueError, and no change, outside EARLIEST-LATEST."""
        if at is not None and not EARLIEST <= at <= LATEST - max(self.offset, timedelta()):
            raise ValueError(f"time {at.isoformat()} is outside {EARLIEST.year}-{LATEST.year}")
        self.frozen = at.astimezone(UTC) if at is not None else None

    def advance(self, seconds: float) -> None:
        """Move the clock; ValueError, and no change, if that takes it outside EARLIEST-LATEST."""
        try:
            offset = self.offset + timedelta(seconds=seconds)
            moved = (self.frozen or datetime.now(UTC)) + offset
        except (OverflowError, ValueError):  # beyond timedelta or datetime, or NaN
            moved = None
        if moved is None or not EARLIEST <= moved <= LATEST:
            raise ValueError(f"moving the clock by {seconds} s would take it outside {EARLIEST.year}-{LATEST.year}")
        self.offset = offset


class Ids:
    """Random identifiers; seeded, the sequence is the same on every run."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        self._generator: random.Random | None = None  # made on first use: its state is 2.5 KB

    @property
    def _rng(self) -> random.Random:
        if self._generator is None:
            # Unseeded, a Mersenne Twister seeded from the OS: emulated IDs need to be unique, not secret,
            # and SystemRandom would cost one os.urandom call per character.
            self._generator = random.Random(self.seed if self.seed is not None else os.urandom(16))
        return self._generator

    def string(self, alphabet: str, length: int) -> str:
        with self._lock:
            return "".join(self._rng.choices(alphabet, k=length))

    def uuid4(self) -> str:
        with self._lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def randint(self, low: int, high: int) -> int:
        with self._lock:
            return self._rng.randint(low, high)


class Runtime:
    """Per-namespace clock and ids."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.ids = Ids()
