"""Seeded things need a name (the id is the collection's key, given by the seed)."""

from __future__ import annotations

from emulator.providers.base import Record, SeedError


def prepare(collection: str, record: Record) -> Record:
    if collection == "things" and "name" not in record:
        raise SeedError("a thing needs a name")
    return record
