"""Answers that wait for durability without holding their request thread.

In durable mode a 2xx means the request's writes are on disk. A request thread that blocks for the
fsync gives up the GIL in the middle of its request, and on a 2-core machine that alone costs about a
third of the throughput (BENCHMARKS.md). A server that sends answers itself can instead hold the bytes
of an answer until its writes are synced: it runs each request inside ``deferring()``, and the store,
rather than waiting, records in the current ``Deferred`` what has to reach the disk first and has its
own thread sync it. Without ``deferring()`` (the Flask test client, tools) writes wait as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class SyncingStore(Protocol):
    sync_failed: bool

    def is_synced(self, seq: int) -> bool: ...
    def when_synced(self, seq: int, callback: Callable[[], object]) -> bool: ...


class Deferred:
    """What one request wrote: the answer may go out once the store has synced up to ``seq``."""

    __slots__ = ("store", "seq")

    def __init__(self) -> None:
        self.store: SyncingStore | None = None
        self.seq = 0

    def add(self, store: SyncingStore, seq: int) -> None:
        self.store = store  # one store per app
        self.seq = max(self.seq, seq)

    @property
    def pending(self) -> bool:
        return self.store is not None and not self.store.is_synced(self.seq)

    @property
    def failed(self) -> bool:
        """The writes can no longer reach the disk: the answer must not be sent."""
        return self.store is not None and self.store.sync_failed

    def when_synced(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` (from the store's thread) once synced; False, and no call, if it already is."""
        return self.store is not None and self.store.when_synced(self.seq, callback)


_current: ContextVar[Deferred | None] = ContextVar("emulator_deferred", default=None)


def current() -> Deferred | None:
    """The running request's ``Deferred``, if its server holds answers until they are durable."""
    return _current.get()


@contextmanager
def deferring() -> Iterator[Deferred]:
    deferred = Deferred()
    token = _current.set(deferred)
    try:
        yield deferred
    finally:
        _current.reset(token)
