"""Stored records -> Redivis's wire representations, keys in the recorded order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import lookup, versions
from .names import ID_ALPHABET, escaped, reference_tag, url_tag

SITE = "https://redivis.com"

# Fields a stored dataset carries beyond what create sets; seeds may override any of them.
DATASET_DEFAULTS: dict[str, Any] = {
    "description": None, "doi": None, "tableCount": 0, "numBytes": 0, "totalNumBytes": 0,
    "totalActiveTabularBytes": 0, "totalInactiveTabularBytes": 0, "totalRawFileBytes": 0,
    "temporalPrecision": None, "temporalRange": None, "geoBBox": None, "sampleConfiguration": None,
    "labels": [], "methodologyMarkdown": None, "usageMarkdown": None, "links": [],
    "customDocumentationSections": [], "tags": [],
}
_STATS = ("tableCount", "numBytes", "totalNumBytes", "totalActiveTabularBytes", "totalInactiveTabularBytes",
          "totalRawFileBytes", "temporalPrecision", "temporalRange", "geoBBox", "sampleConfiguration")


def random_id() -> str:
    """``xxxx-yyyyyyyyy`` over the recorded alphabet (dataset, table and upload ids)."""
    ids = context.ids()
    return f"{ids.string(ID_ALPHABET, 4)}-{ids.string(ID_ALPHABET, 9)}"


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def reference_id(dataset: Record) -> str:
    return dataset["id"][:4]


def _stem(dataset: Record) -> str:
    """``owner.escaped_name:refId``: the owner lower-cased, as in every recorded reference."""
    return f"{dataset['ownerName'].lower()}.{escaped(dataset['name'])}:{reference_id(dataset)}"


def qualified_reference(dataset: Record, version: versions.Version) -> str:
    return f"{_stem(dataset)}:{reference_tag(versions.tag(version))}"


def dataset_uri(dataset: Record, version: versions.Version) -> str:
    return "/datasets/" + qualified_reference(dataset, version)


def site_url(dataset: Record, version: versions.Version) -> str:
    return f"{SITE}/datasets/{dataset['id']}?v={url_tag(versions.tag(version))}"


def owner(dataset: Record) -> Record:
    found = lookup.owner_of(dataset) or {"name": dataset["ownerName"]}
    if dataset["ownerKind"] == lookup.USER:
        return {"kind": "user", "name": found["name"], "fullName": found.get("fullName"),
                "contactEmail": found.get("contactEmail"), "orcid": found.get("orcid")}
    return {"kind": "organization", "name": found["name"], "fullName": found.get("fullName"),
            "ror": found.get("ror")}


def user(record: Record) -> Record:
    return {"kind": "user", "name": record["name"], "fullName": record.get("fullName"),
            "contactEmail": record.get("contactEmail"), "orcid": record.get("orcid")}


def version_base(dataset: Record, version: versions.Version | None) -> Record | None:
    if version is None:
        return None
    tag = versions.tag(version)
    return {"kind": "version", "tag": tag, "index": version["index"], "label": version.get("label"),
            "url": site_url(dataset, version), "datasetUri": dataset_uri(dataset, version),
            "uri": f"/datasets/{_stem(dataset)}/versions/{reference_tag(tag)}",
            "isReleased": version["isReleased"], "isDeleted": version["isDeleted"]}


def version_get(dataset: Record, version: versions.Version, editor: bool) -> Record:
    later = [v for v in dataset["versions"] if v["index"] > version["index"] and not v["isDeleted"]
             and (editor or v["isReleased"])]
    return {**version_base(dataset, version), "releaseNotes": version.get("releaseNotes"),
            "canRelease": editor and not version["isReleased"],
            "previousVersion": version_base(dataset, versions.previous(dataset, version)),
            "nextVersion": version_base(dataset, later[0] if later else None)}


def dataset_base(dataset: Record, version: versions.Version) -> Record:
    qualified = qualified_reference(dataset, version)
    return {"kind": "dataset", "id": dataset["id"], "qualifiedReference": qualified,
            "scopedReference": qualified.split(".", 1)[1], "referenceId": reference_id(dataset),
            "name": dataset["name"], "url": site_url(dataset, version), "uri": "/datasets/" + qualified,
            "doi": dataset.get("doi"), "owner": owner(dataset)}


def dataset_list(dataset: Record, version: versions.Version, editor: bool) -> Record:
    body = {**dataset_base(dataset, version), "createdAt": dataset["createdAt"], "updatedAt": dataset["updatedAt"],
            "accessLevel": "edit" if editor else dataset["publicAccessLevel"],
            "publicAccessLevel": dataset["publicAccessLevel"], "description": dataset.get("description")}
    body.update({field: dataset.get(field, DATASET_DEFAULTS[field]) for field in _STATS})
    if editor:  # "Only present if you are an administrator"
        body["labels"] = list(dataset.get("labels", []))
    return body


def dataset_get(dataset: Record, version: versions.Version, editor: bool) -> Record:
    shown = version_base(dataset, version)

    def base(other: versions.Version | None) -> Record | None:
        # The shown version is often also the current or the next one: rendered once, copied.
        return dict(shown) if other is version else version_base(dataset, other)

    body = dataset_list(dataset, version, editor)
    body["methodologyMarkdown"] = dataset.get("methodologyMarkdown")
    body["usageMarkdown"] = dataset.get("usageMarkdown")
    body["links"] = dataset.get("links", [])
    body["customDocumentationSections"] = dataset.get("customDocumentationSections", [])
    body["tags"] = [{"name": tag} for tag in dataset.get("tags", [])]
    body["version"] = shown
    body["currentVersion"] = base(versions.current(dataset))
    if editor:  # the client reads properties["nextVersion"] in create_next_version()
        body["nextVersion"] = base(versions.pending(dataset))
    return body


def page(kind: str, results: list[Record], next_token: str | None) -> Record:
    # The client reads response["nextPageToken"] with []: the key is always present.
    return {"kind": kind, "nextPageToken": next_token, "results": results}
