"""Version bookkeeping on a stored dataset record (its ``versions`` list, oldest first)."""

from __future__ import annotations

from typing import Any

from . import settings
from .names import tag_of

Version = dict[str, Any]


def new_version(index: int, now_ms: int) -> Version:
    """An unreleased ("next") version."""
    return {"index": index, "tag": None, "label": None, "releaseNotes": None, "isReleased": False,
            "isDeleted": False, "createdAt": now_ms, "releasedAt": None}


def current(record: dict[str, Any]) -> Version | None:
    released = [v for v in record["versions"] if v["isReleased"] and not v["isDeleted"]]
    return released[-1] if released else None


def pending(record: dict[str, Any]) -> Version | None:
    return next((v for v in record["versions"] if not v["isReleased"]), None)


def by_tag(record: dict[str, Any], tag: str) -> Version | None:
    return next((v for v in record["versions"] if v["isReleased"] and v["tag"] == tag), None)


def previous(record: dict[str, Any], version: Version) -> Version | None:
    earlier = [v for v in record["versions"] if v["isReleased"] and not v["isDeleted"]
               and v["index"] < version["index"]]
    return earlier[-1] if earlier else None


def tag(version: Version) -> str:
    """The resource form: ``v1.0`` once released, ``next`` before."""
    return version["tag"] if version["isReleased"] else "next"


def release_tag(record: dict[str, Any]) -> str:
    released = [v["tag"] for v in record["versions"] if v["isReleased"]]
    if not released:
        return tag_of(*settings.FIRST_RELEASE_TAG)
    major, minor = released[-1][1:].split(".")
    return tag_of(int(major), int(minor) + 1)


def replace(record: dict[str, Any], version: Version) -> list[Version]:
    return [version if v["index"] == version["index"] else v for v in record["versions"]]
