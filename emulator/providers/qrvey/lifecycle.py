"""The load of a dataset: DRAFT -> LOADING -> LOADED, or FAILED when one of its connections is failing.

How long LOADING lasts is a namespace setting (see settings.py): a number of reads, a span of time on the
namespace clock (so a frozen or advanced clock drives it), or nothing at all.
"""

from __future__ import annotations

from datetime import timedelta

from emulator import context
from emulator.providers.base import Record

from .ids import parse_timestamp, timestamp
from .settings import FAILED, LOAD_IMMEDIATE, LOAD_READS, LOAD_SECONDS, LOADED, LOADING, effective


def _outcome(record: Record) -> str:
    connections = context.table("connections")
    for source in record.get("datasources") or []:
        connection = connections.get(source.get("connectionId"))
        if connection is not None and connection.get("failing"):
            return FAILED
    return LOADED


def start(record: Record) -> Record:
    """The dataset as /load leaves it."""
    now, outcome = context.now(), _outcome(record)
    if effective(context.config())["loadMode"] == LOAD_IMMEDIATE:
        return {**record, "status": outcome, "modifyDate": timestamp(now), "load": None}
    return {**record, "status": LOADING, "modifyDate": timestamp(now),
            "load": {"startedAt": timestamp(now), "reads": 0, "outcome": outcome}}


def observe(record: Record, *, read: bool) -> Record:
    """The dataset as a client sees it now; a read counts towards the reads a load lasts."""
    load = record.get("load")
    if record.get("status") != LOADING or not load:
        return record
    config, now = effective(context.config()), context.now()
    reads = load.get("reads", 0) + (1 if read else 0)
    finished_at = now
    if config["loadMode"] == LOAD_SECONDS:
        finished_at = parse_timestamp(load["startedAt"]) + timedelta(seconds=float(config["loadAfterSeconds"]))
        done = now >= finished_at
    elif config["loadMode"] == LOAD_READS:
        done = reads >= int(config["loadAfterReads"])
    else:
        done = True
    if done:
        return {**record, "status": load.get("outcome", LOADED), "modifyDate": timestamp(finished_at), "load": None}
    if reads != load.get("reads", 0):
        return {**record, "load": {**load, "reads": reads}}
    return record


def observed(record: Record, *, read: bool, collection: str = "datasets") -> Record:
    """observe(), storing the change so the next reader continues from it. Call inside a transaction.

    A push job (``collection="pushJobs"``) carries a load of its own and moves the same way.
    """
    current = observe(record, read=read)
    if current is not record:
        context.table(collection).put(current)
    return current

