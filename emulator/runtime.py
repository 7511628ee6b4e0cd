"""Clock and ID generator of a namespace: real by default, fixed on demand for byte-identical runs."""

from __future__ import annotations

import os
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta


class Clock:
    """UTC time, optionally frozen at an instant and/or moved by an offset."""

    def __init__(self) -> None:
        self.frozen: datetime | None = None
        self.offset = timedelta()

    def now(self) -> datetime:
        base = self.frozen if self.frozen is not None else datetime.now(UTC)
        return base + self.offset

    def freeze(self, at: datetime | None) -> None:
        self.frozen = at.astimezone(UTC) if at is not None else None

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


class Ids:
    """Random identifiers; seeded, the sequence is the same on every run."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        # Unseeded, a Mersenne Twister seeded from the OS: emulated IDs need to be unique, not secret,
        # and SystemRandom would cost one os.urandom call per character.
        self._rng = random.Random(seed if seed is not None else os.urandom(16))

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
