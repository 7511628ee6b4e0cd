"""Get All: the CONTAINS / EQUAL filters and the limit, over wire objects in creation order."""

from __future__ import annotations

from emulator.providers.base import Record

from .settings import DEFAULT_LIST_LIMIT, SEARCH_COLUMN


def _matches(item: Record, flt: Record) -> bool:
    # "search" is the free-text column: it searches the name (QrveyDemoApp sends the lowercased name).
    column = "name" if flt["column"] == SEARCH_COLUMN else flt["column"]
    actual, wanted = item.get(column), flt["value"]
    if actual is None:
        return False
    if flt["filterType"] == "CONTAINS":
        return str(wanted).lower() in str(actual).lower()
    return str(actual).lower() == str(wanted).lower() if isinstance(actual, str) else actual == wanted


def select(items: list[Record], body: Record) -> list[Record]:
    filters = body.get("filters") or []
    limit = body.get("limit") or DEFAULT_LIST_LIMIT
    return [item for item in items if all(_matches(item, f) for f in filters)][:limit]


def page(items: list[Record]) -> Record:
    """Qrvey's DynamoDB-style page; Count is the number of items in this page."""
    return {"Items": items, "Count": len(items)}
