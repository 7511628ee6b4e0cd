"""The in-memory tables: records by key in TinyDB document-id order, and secondary indexes for ``find``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Hashable
from typing import Any

Record = dict[str, Any]
KeyFn = Callable[[str, Record], str]


def _shared_keys(pairs: list[tuple[str, Any]]) -> Record:
    return {sys.intern(key): value for key, value in pairs}


# How the store reads a record from JSON text (a put's copy, a log line): every record's field names are
# the same few strings, so they are shared (interned), as reading a whole snapshot in one ``json.loads``
# shares them. Held once per record instead, they cost ~1 KB per seeded Apify dataset.
RECORD_DECODER = json.JSONDecoder(object_pairs_hook=_shared_keys)


def _index_value(value: Any) -> Hashable:
    """A hashable stand-in for a field value that compares like ``==`` does on the original."""
    try:
        hash(value)
        return value
    except TypeError:  # lists and dicts: equal values have equal canonical JSON
        return ("\0json", json.dumps(value, sort_keys=True, default=str))


class Tables:
    """Records of every table, each under its key and its TinyDB document id.

    Writers hold the store's lock; ``find`` and ``get`` take none (see ``apply`` for why that is safe).
    """

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Record]] = {}  # table -> key -> record (insertion ordered)
        self.doc_ids: dict[str, dict[str, int]] = {}  # table -> key -> TinyDB document id
        self._next_id: dict[str, int] = {}
        # table -> field names -> value tuple -> {key: None}; built on first find(), kept up to date by apply
        self._indexes: dict[str, dict[tuple[str, ...], dict[tuple, dict[str, None]]]] = {}
        self.records = 0

    def apply(self, table: str, key: str, record: Record | None, doc_id: int | None = None) -> int | None:
        """Put (``record``) or delete (None) a record; returns its document id (None when there was none).

        Readers of find() take no lock: the order of steps below keeps every stored record reachable
        through its index at every moment (the reader checks the record).
        """
        docs = self.docs.setdefault(table, {})
        ids = self.doc_ids.setdefault(table, {})
        old = docs.get(key)
        indexes = self._indexes.get(table)
        if record is None:
            if old is not None:
                self.records -= 1
            docs.pop(key, None)
            found = ids.pop(key, None)
        else:
            if key not in ids:
                ids[key] = doc_id if doc_id is not None else self._next_id.get(table, 1)
            found = ids[key]
            self._next_id[table] = max(self._next_id.get(table, 1), found + 1)
            if old is None:
                self.records += 1
            docs[key] = record
        if indexes:
            for fields, index in indexes.items():
                new = None if record is None else tuple(_index_value(record.get(f)) for f in fields)
                if new is not None:
                    index.setdefault(new, {})[key] = None
                gone = None if old is None else tuple(_index_value(old.get(f)) for f in fields)
                if gone is not None and gone != new:
                    bucket = index.get(gone)
                    if bucket is not None:
                        bucket.pop(key, None)
                        if not bucket:
                            del index[gone]
        return found

    def adopt(self, table: str, docs: dict[str, Record], ids: dict[str, int]) -> None:
        """Hold ``table`` as ``docs`` with their document ids (a copy of a fork's base: see ``Store.fork``)."""
        self.docs[table], self.doc_ids[table] = docs, ids
        self._next_id[table] = max(ids.values(), default=0) + 1
        self.records += len(docs)

    def drop(self, table: str) -> None:
        self.records -= len(self.docs.pop(table, {}))
        self.doc_ids.pop(table, None)
        self._next_id.pop(table, None)
        self._indexes.pop(table, None)

    def shrink(self) -> None:
        """Rebuild the dicts of tables after many were dropped: a dict keeps its size when entries leave it."""
        self.docs, self.doc_ids, self._next_id = dict(self.docs), dict(self.doc_ids), dict(self._next_id)
        self._indexes = dict(self._indexes)

    def find(self, table: str, equals: dict[str, Any], lock) -> list[Record]:
        """Records whose fields equal ``equals`` (a missing field equals None), in table order.

        The first look-up on a set of field names builds an index (one pass, under ``lock``); later ones
        cost O(matches), whatever the size of the table.
        """
        fields = tuple(sorted(equals))
        docs = self.docs.get(table)
        if not docs:
            return []
        index = self._indexes.get(table, {}).get(fields)
        if index is None:
            with lock:
                index = self._build_index(table, fields)
        bucket = index.get(tuple(_index_value(equals[f]) for f in fields))
        if not bucket:
            return []
        keys = list(bucket)
        if len(keys) > 1:
            # Buckets fill in write order; the table's order is the order of first insertion,
            # which is the order of TinyDB document ids.
            ids = self.doc_ids.get(table, {})
            keys.sort(key=lambda k: ids.get(k, 0))
        # The index compares canonical values; the record itself has the last word (it may also have
        # changed or gone since the bucket was read).
        found = []
        for key in keys:
            record = docs.get(key)
            if record is not None and all(record.get(f) == v for f, v in equals.items()):
                found.append(record)
        return found

    def _build_index(self, table: str, fields: tuple[str, ...]) -> dict[tuple, dict[str, None]]:
        """Index a table by ``fields``, and publish the index only once it is complete."""
        indexes = self._indexes.setdefault(table, {})
        index = indexes.get(fields)
        if index is None:
            index = {}
            for key, record in self.docs.get(table, {}).items():
                index.setdefault(tuple(_index_value(record.get(f)) for f in fields), {})[key] = None
            indexes[fields] = index
        return index

    def clone(self) -> Tables:
        """Tables holding the same records (shared: they are immutable once stored), free to change."""
        clone = Tables()
        for table, docs in self.docs.items():
            clone.adopt(table, dict(docs), dict(self.doc_ids[table]))
        return clone

    def copy(self) -> list[tuple[str, dict[str, Record], dict[str, int]]]:
        """Shallow copies of the non-empty tables with their document ids: records are immutable once
        stored, so a copy can be written out while writers go on."""
        return [(table, dict(docs), dict(self.doc_ids[table])) for table, docs in self.docs.items() if docs]
