"""How a dataset moves from "waiting" to "enable" (the mode is a setting; the clock is the namespace's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .model import parse_date

WAITING, ENABLE = "waiting", "enable"


def effective(record: dict[str, Any], config: dict[str, Any], now: datetime) -> str:
    """The status a read shows, given how often the dataset has been read before and the time."""
    if record["status"] != WAITING:
        return record["status"]
    mode = config["statusTransition"]
    if mode == "reads":
        ready = record.get("reads", 0) >= config["enableAfterReads"]
    elif mode == "seconds":
        ready = (now - parse_date(record["createdDate"])).total_seconds() >= config["enableAfterSeconds"]
    else:
        ready = True
    return ENABLE if ready else WAITING


def observed(record: dict[str, Any], config: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The record after one read of it: the read is counted, and a reached "enable" is kept."""
    if record["status"] != WAITING:
        return record
    return {**record, "status": effective(record, config, now), "reads": record.get("reads", 0) + 1}
