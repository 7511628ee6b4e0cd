"""Apify's constants and the emulator's defaults for what the sources leave open (each ASSUMPTION is here)."""

from __future__ import annotations

import re
from typing import Any

from emulator import context

from ..rules import Rule, text, whole

#: Apify object ids (datasets, users): ``APIFY_ID_REGEX = /^[a-zA-Z0-9]{17}$/`` (apify-shared-js).
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ID_LENGTH = 17
ID_RE = re.compile(r"^[a-zA-Z0-9]{17}$")

#: ``DNS_SAFE_NAME_REGEX`` and its 63-character limit (apify-shared-js, Apify storage docs). Written for
#: JavaScript (the OpenAPI document shows it), where ``$`` is the end: matched here with ``fullmatch``.
NAME_RE = re.compile(r"^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$")
NAME_MAX_LENGTH = 63

GENERAL_ACCESS = ("ANYONE_WITH_ID_CAN_READ", "ANYONE_WITH_NAME_CAN_READ", "FOLLOW_USER_SETTING", "RESTRICTED")
DEFAULT_GENERAL_ACCESS = "FOLLOW_USER_SETTING"

#: What the items endpoint reports as its limit when the request gives none (crawlee ``LIST_ITEMS_LIMIT``).
UNLIMITED_ITEMS = 999_999_999_999

#: Apify's published default per-resource rate limit, 60 requests per second; ASSUMPTION: a burst of 60.
RATE_LIMIT = (60.0, 60.0)

# Bodies are read with emulator.jsontext: NaN and Infinity are malformed JSON to Node's JSON.parse, as here.
# ASSUMPTION: a lone surrogate (which JSON.parse accepts; what Apify's storage does with it is unknown) and a
# number beyond the double range are answered like malformed JSON too.

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
CONFIG_RULES: dict[str, Rule] = {
    "publicBaseUrl": text(nullable=True),
    "consoleBaseUrl": text(),
    "rateLimitPerSecond": whole(1, 1_000_000),
    "payloadLimitBytes": whole(0, 1 << 40),
    "listLimit": whole(1, 1_000_000),
    "urlSigningSecretLength": whole(1, 256),
    "jsonIndent": whole(0, 16),
}


#: Every HTTP method, in the order Apify lists them in a 405. Each path's one rule takes them all, so its
#: dispatcher answers a wrong method with that path's own verbs; a method outside HTTP's (WebDAV's PROPFIND)
#: gets the platform's 405, which lists these.
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")


def config() -> dict[str, Any]:
    """The namespace's Apify settings."""
    return context.config()


def rate_limit_header() -> list[tuple[str, str]]:
    """On every Apify answer: the namespace's published rate limit."""
    return [("X-RateLimit-Limit", str(config()["rateLimitPerSecond"]))]


def public_base() -> str:
    """Root that the client's ``api_url`` points at; the client adds ``/v2`` itself."""
    return (config().get("publicBaseUrl") or context.base_url()).rstrip("/")


# --- Item export formats (GET /v2/datasets/{id}/items?format=...) ---------------------------------------------
#: The formats and their media types (Apify's OpenAPI ``dataset_items_get`` 200 content). ASSUMPTION: text
#: formats say ``charset=utf-8`` ("All text responses are encoded in UTF-8", the ``bom`` parameter's text).
ITEM_FORMATS: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xml": "application/xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}
#: "By default, the format=csv files are prefixed with the UTF-8 Byte Order Mark (BOM), while json, jsonl, xml,
#: html and rss files are not" (the ``bom`` parameter). ASSUMPTION: xlsx is binary and never gets one.
BOM_BY_DEFAULT = frozenset({"csv"})
#: Table formats name a nested value's column by its path joined with "/" (``metadata/title``,
#: ``metadata/jsonLd/0/headline``: the column names code reading Apify's CSV and XLSX exports looks up).
COLUMN_SEPARATOR = "/"
#: "CSV, XLSX and HTML tables are limited to 2000 columns and the column names cannot be longer than 200
#: characters" (``dataset_items_get``). ASSUMPTION: further columns are left out and longer names cut.
MAX_COLUMNS = 2000
MAX_COLUMN_NAME = 200
#: ASSUMPTION: CSV rows end with "\n" (the OpenAPI text/csv example) and values are quoted only when needed.
CSV_LINE_END = "\n"
#: ASSUMPTION: the sheet's name in an xlsx export.
XLSX_SHEET = "Sheet1"
#: ``xmlRoot`` and ``xmlRow`` defaults ("By default the root element is items" / "... is item").
XML_ROOT, XML_ROW = "items", "item"
#: ASSUMPTION: an item key that is not an XML name becomes one: each character XML names do not allow is
#: replaced by "_", and "_" is put before a name that would start with a digit, "-" or ".".
XML_NAME_RE = re.compile(r"^[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*$")
#: ASSUMPTION: nesting deeper than this is written as JSON text in xml and rss (and in a table cell), which
#: keeps a pathological item from exhausting the serializers' recursion.
MAX_EXPORT_DEPTH = 64
#: RSS channel defaults (``feedTitle``, ``feedDescription`` in ``dataset_items_get``). ASSUMPTION: the title's
#: "<label>" is the dataset's name, or its id when it has none.
FEED_TITLE = "Dataset {label}"
FEED_DESCRIPTION = 'Items in dataset with id "{id}".'
#: ASSUMPTION: with ``attachment=1`` the file is named ``dataset_<name or id>_<UTC time>.<format>``.
ATTACHMENT_NAME = "dataset_{label}_{moment:%Y-%m-%d_%H-%M-%S}.{ext}"
#: Not Apify's: an html export forbids scripts and every other fetch when a developer opens it in a browser (the
#: items are data, already escaped; the header changes nothing for an HTTP client).
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'"

# --- Dataset schema (``schema.fields``) ------------------------------------------------------------------------
#: "Dataset schema needs to be a valid JSON schema draft-07, so the $schema line ... must be exactly this value
#: or it must be omitted" (Apify docs, dataset validation).
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
#: ASSUMPTION: the message of ``dataset-schema-invalid`` (type and status 400 from Apify's error list).
SCHEMA_INVALID_MESSAGE = "Dataset schema is not valid: {detail}"
