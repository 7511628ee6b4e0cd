"""Persistence: every namespace's tables in memory, durable on disk as a write-ahead log plus a TinyDB
JSON snapshot (``store``: writes and compaction; ``wal``: the log; ``snapshot``: the TinyDB storage;
``state``: reading it all back; ``tables``: records and their indexes in memory)."""

from .errors import ChangedFile, DamagedFile, StoreError
from .state import StateStorage
from .store import Store, Transaction

__all__ = ["ChangedFile", "DamagedFile", "StateStorage", "Store", "StoreError", "Transaction"]
