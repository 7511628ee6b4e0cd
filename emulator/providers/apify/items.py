"""Dataset items as ``GET /v2/datasets/{id}/items`` shapes them: unwind, flatten, hidden/empty, fields/omit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

Item = dict[str, Any]


def _unwind(item: Item, field: str) -> list[Item]:
    value = item.get(field)
    rest = {k: v for k, v in item.items() if k != field}
    if isinstance(value, list):
        return [{**rest, **element} if isinstance(element, dict) else {**rest, field: element} for element in value]
    if isinstance(value, dict):
        return [{**rest, **value}]
    return [item]


def _flatten_value(prefix: str, value: Any, out: Item) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten_value(f"{prefix}.{key}", inner, out)
    elif isinstance(value, list) and value:
        for index, inner in enumerate(value):
            _flatten_value(f"{prefix}.{index}", inner, out)
    else:
        out[prefix] = value


def _flatten(item: Item, field: str) -> Item:
    if field not in item or not isinstance(item[field], dict | list):
        return item
    out: Item = {}
    for key, value in item.items():
        if key == field:
            _flatten_value(key, value, out)
        else:
            out[key] = value
    return out


def shape(rows: Iterable[Item], *, unwind: list[str], flatten: list[str], skip_hidden: bool, skip_empty: bool,
          fields: list[str] | None, omit: list[str], output_fields: list[str] | None = None) -> Iterator[Item]:
    for row in rows:
        expanded = [row]
        for field in unwind:
            expanded = [out for item in expanded for out in _unwind(item, field)]
        for item in expanded:
            for field in flatten:
                item = _flatten(item, field)
            if skip_hidden:
                item = {k: v for k, v in item.items() if not k.startswith("#")}
            if fields:  # in the order of ``fields``, each renamed by its ``outputFields`` name
                item = {out: item[k] for k, out in zip(fields, output_fields or fields, strict=True) if k in item}
            if omit:
                item = {k: v for k, v in item.items() if k not in omit}
            if skip_empty and not item:
                continue
            yield item
