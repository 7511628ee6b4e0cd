"""Identifiers in Qrvey's formats, drawn from the namespace's (seedable) generator."""

from __future__ import annotations

from datetime import datetime

from emulator import context

from .settings import DATASET_ID_ALPHABET, ID_LENGTH, SHORTID_ALPHABET


def dataset_id() -> str:
    return context.ids().string(DATASET_ID_ALPHABET, ID_LENGTH)


def short_id() -> str:
    """userId, appId, columnId: shortid-style."""
    return context.ids().string(SHORTID_ALPHABET, ID_LENGTH)


def uuid() -> str:
    """connectionId, datasourceId."""
    return context.ids().uuid4()


def timestamp(at: datetime | None = None) -> str:
    """ISO-8601 with milliseconds and Z, e.g. 2018-08-27T19:12:43.451Z."""
    at = at or context.now()
    return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond // 1000:03d}Z"


def parse_timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
