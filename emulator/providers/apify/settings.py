"""Apify's constants and the emulator's defaults for what the sources leave open (each ASSUMPTION is here)."""

from __future__ import annotations

import re
from typing import Any

from emulator import context

#: Apify object ids (datasets, users): ``APIFY_ID_REGEX = /^[a-zA-Z0-9]{17}$/`` (apify-shared-js).
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ID_LENGTH = 17
ID_RE = re.compile(r"^[a-zA-Z0-9]{17}$")

#: ``DNS_SAFE_NAME_REGEX`` and its 63-character limit (apify-shared-js, Apify storage docs).
NAME_RE = re.compile(r"^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$")
NAME_MAX_LENGTH = 63

GENERAL_ACCESS = ("ANYONE_WITH_ID_CAN_READ", "ANYONE_WITH_NAME_CAN_READ", "FOLLOW_USER_SETTING", "RESTRICTED")
DEFAULT_GENERAL_ACCESS = "FOLLOW_USER_SETTING"

#: What the items endpoint reports as its limit when the request gives none (crawlee ``LIST_ITEMS_LIMIT``).
UNLIMITED_ITEMS = 999_999_999_999

#: Apify's published default per-resource rate limit, 60 requests per second; ASSUMPTION: a burst of 60.
RATE_LIMIT = (60.0, 60.0)

#: Settings a namespace may override through its ``apify.config`` record.
CONFIG_DEFAULTS: dict[str, Any] = {
    # ASSUMPTION: public URLs (Location, itemsPublicUrl) point at the emulator itself unless set.
    "publicBaseUrl": None,
    "consoleBaseUrl": "https://console.apify.com",
    # ASSUMPTION: Apify's documented default per-resource limit, sent as X-RateLimit-Limit (never enforced).
    "rateLimitPerSecond": 60,
    # Apify's documented POST payload limit (responses/PayloadTooLarge.yaml).
    "payloadLimitBytes": 9_437_184,
    # ASSUMPTION: default and maximum page size of GET /v2/datasets.
    "listLimit": 1000,
    # ASSUMPTION: length of the random urlSigningSecretKey (its real format is unknown).
    "urlSigningSecretLength": 32,
    # ASSUMPTION: the live API pretty-prints with a 2-space indent; 0 gives compact JSON.
    "jsonIndent": 2,
}


def config() -> dict[str, Any]:
    """The namespace's Apify settings."""
    return context.config()


def public_base() -> str:
    """Root that the client's ``api_url`` points at; the client adds ``/v2`` itself."""
    return (config().get("publicBaseUrl") or context.base_url()).rstrip("/")
