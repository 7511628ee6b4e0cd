"""How a record leaves its pending status: a dataset "waiting" -> "enable", a service with its datasets linked
"datasetRequired"... -> "learnable". One mode (a setting) for both; the clock is the namespace's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .model import parse_date

WAITING, ENABLE = "waiting", "enable"


@dataclass(frozen=True)
class Lifecycle:
    pending: str  # the status a record waits in
    ready: str  # the status it then reaches
    since: str  # the record's date the "seconds" mode counts from


DATASET = Lifecycle(WAITING, ENABLE, "createdDate")


def effective(record: dict[str, Any], config: dict[str, Any], now: datetime, life: Lifecycle = DATASET) -> str:
    """The status a read shows, given how often the record has been read before and the time."""
    if record["status"] != life.pending:
        return record["status"]
    mode = config["statusTransition"]
    if mode == "reads":
        ready = record.get("reads", 0) >= config["enableAfterReads"]
    elif mode == "seconds":
        ready = (now - parse_date(record[life.since])).total_seconds() >= config["enableAfterSeconds"]
    else:
        ready = True
    return life.ready if ready else life.pending


def observed(record: dict[str, Any], config: dict[str, Any], now: datetime,
             life: Lifecycle = DATASET) -> dict[str, Any]:
    """The record after one read of it: the read is counted, and a reached ready status is kept."""
    if record["status"] != life.pending:
        return record
    return {**record, "status": effective(record, config, now, life), "reads": record.get("reads", 0) + 1}
