"""Stored table records of a dataset, and what dataset-level operations do to them (release, delete)."""

from __future__ import annotations

from emulator import context
from emulator.providers.base import Record

# The fields a released version keeps of a table (the rest never changes).
FROZEN_FIELDS = ("name", "description", "uploadMergeStrategy", "updatedAt", "numRows", "numBytes", "variables")


def of_dataset(dataset_id: str) -> list[Record]:
    return context.table("tables").find(datasetId=dataset_id)


def freeze(dataset_id: str, version_index: int) -> None:
    """On release: each live table, as it is now, becomes part of the released version."""
    for table in of_dataset(dataset_id):
        if not table.get("removed"):
            frozen = {**table.get("frozen", {}), str(version_index): {k: table[k] for k in FROZEN_FIELDS}}
            context.table("tables").put({**table, "frozen": frozen})


def forget(dataset_id: str) -> None:
    """A deleted dataset takes its tables and their uploads with it."""
    for table in of_dataset(dataset_id):
        for upload in context.table("uploads").find(tableId=table["id"]):
            context.table("uploads").delete(upload["id"])
        context.table("tables").delete(table["id"])
