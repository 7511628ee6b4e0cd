"""A dataset's fields schema (``schema.fields``, JSON Schema draft-07): item validation on push, and the field
statistics of ``GET /v2/datasets/{id}/statistics`` (Apify docs, "Dataset validation")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from jsonschema import Draft7Validator, SchemaError, ValidationError, validators
from referencing import Registry
from referencing.exceptions import Unresolvable

from . import errors
from .formats import text
from .settings import DRAFT_07

Item = dict[str, Any]


def _nullable_type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """``"nullable": true`` lets a typed field be null, as in Apify's examples (AJV reads the keyword)."""
    if instance is None and schema.get("nullable") is True:
        return ()
    return Draft7Validator.VALIDATORS["type"](validator, types, instance, schema)


FieldsValidator = validators.extend(Draft7Validator, validators={"type": _nullable_type})


def fields_schema(schema: Any) -> dict[str, Any] | None:
    """The item schema of a dataset schema, or None when it sets none."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return fields if isinstance(fields, dict) and fields else None


def _invalid(detail: str) -> errors.ApifyError:
    return errors.dataset_schema_invalid(detail[:300])


def check(schema: Any) -> None:
    """A dataset schema given on create: its ``fields`` must be a draft-07 JSON Schema (400 otherwise)."""
    if not isinstance(schema, dict) or "fields" not in schema:
        return
    fields = schema["fields"]
    if not isinstance(fields, dict):
        raise _invalid("fields must be a JSON object")
    if fields.get("$schema", DRAFT_07) != DRAFT_07:
        raise _invalid(f'fields.$schema must be "{DRAFT_07}" or omitted')
    try:
        FieldsValidator.check_schema(fields)
    except SchemaError as exc:
        raise _invalid(exc.message) from None
    except RecursionError:
        raise _invalid("fields is nested too deeply") from None


# --- AJV's error objects (the validationErrors of a schema-validation-error) ----------------------------------


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _extra_properties(error: ValidationError) -> list[str]:
    schema, instance = error.schema, error.instance
    patterns = schema.get("patternProperties", {}) if isinstance(schema, dict) else {}
    return [key for key in instance if key not in schema.get("properties", {})
            and not any(re.search(pattern, key) for pattern in patterns)]


def _bound(comparison: str, noun: str = "") -> Callable[[ValidationError], tuple[dict[str, Any], str]]:
    def describe(error: ValidationError) -> tuple[dict[str, Any], str]:
        limit = error.validator_value
        if noun:
            return {"limit": limit}, f"must NOT have {comparison} than {text(limit)} {noun}"
        return {"comparison": comparison, "limit": limit}, f"must be {comparison} {text(limit)}"
    return describe


# keyword -> (params, message) as AJV words them; other keywords keep jsonschema's message.
_AJV: dict[str, Callable[[ValidationError], tuple[dict[str, Any], str]]] = {
    "type": lambda e: ({"type": ",".join(v) if isinstance(v := e.validator_value, list) else v},
                       f"must be {','.join(v) if isinstance(v, list) else v}"),
    "enum": lambda e: ({"allowedValues": e.validator_value}, "must be equal to one of the allowed values"),
    "const": lambda e: ({"allowedValue": e.validator_value}, "must be equal to constant"),
    "pattern": lambda e: ({"pattern": e.validator_value}, f'must match pattern "{e.validator_value}"'),
    "format": lambda e: ({"format": e.validator_value}, f'must match format "{e.validator_value}"'),
    "multipleOf": lambda e: ({"multipleOf": e.validator_value}, f"must be multiple of {text(e.validator_value)}"),
    "minimum": _bound(">="), "maximum": _bound("<="), "exclusiveMinimum": _bound(">"),
    "exclusiveMaximum": _bound("<"),
    "minLength": _bound("fewer", "characters"), "maxLength": _bound("more", "characters"),
    "minItems": _bound("fewer", "items"), "maxItems": _bound("more", "items"),
    "minProperties": _bound("fewer", "properties"), "maxProperties": _bound("more", "properties"),
}


def _ajv_errors(error: ValidationError) -> list[dict[str, Any]]:
    """One jsonschema error as AJV error objects (``instancePath``, ``schemaPath``, ``keyword``, ``params``,
    ``message``; the client's ``DatasetItemValidationError``): AJV reports each missing or extra property apart."""
    keyword = str(error.validator)
    base = {"instancePath": _pointer(error.absolute_path), "schemaPath": "#" + _pointer(error.absolute_schema_path),
            "keyword": keyword}
    if keyword == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        named = [name for name in missing if error.message.startswith(repr(name))][:1] or missing[:1]
        return [{**base, "params": {"missingProperty": name}, "message": f"must have required property '{name}'"}
                for name in named]
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        return [{**base, "params": {"additionalProperty": name}, "message": "must NOT have additional properties"}
                for name in _extra_properties(error)]
    params, message = _AJV[keyword](error) if keyword in _AJV else ({}, error.message)
    return [{**base, "params": params, "message": message}]


def invalid_items(schema: Any, batch: list[Item]) -> list[dict[str, Any]]:
    """``invalidItems`` of a push: each failing item's position in the batch and its AJV errors."""
    fields = fields_schema(schema)
    if fields is None:
        return []
    check(schema)  # a schema stored before this check existed, or edited in the state file
    # An empty registry: a $ref resolves inside the schema or not at all. Without one, jsonschema still falls
    # back to fetching the URL (a file, a host on the developer's network) on the caller's behalf.
    validator = FieldsValidator(fields, registry=Registry())
    invalid = []
    for position, item in enumerate(batch):
        try:
            found = [ajv for error in validator.iter_errors(item) for ajv in _ajv_errors(error)]
        except (SchemaError, Unresolvable) as exc:
            raise _invalid(str(exc)) from None
        except RecursionError:
            # ASSUMPTION: an item nested too deeply to validate fails validation as a whole.
            found = [{"instancePath": "", "schemaPath": "#", "keyword": "maxDepth", "params": {},
                      "message": "must NOT be nested this deeply"}]
        if found:
            invalid.append({"itemPosition": position, "validationErrors": found})
    return invalid


# --- field statistics ------------------------------------------------------------------------------------------


def _measure(value: Any) -> float:
    """"For numbers, this is calculated directly", strings their length, arrays their items, objects their keys,
    booleans 1 for true."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return len(value) if isinstance(value, str | list | dict) else 0


def field_statistics(schema: Any, items: Iterable[Item]) -> dict[str, dict[str, Any]] | None:
    """``fieldStatistics``: per field of the fields schema, min/max, nullCount (null) and emptyCount (missing).

    ASSUMPTION: as in the OpenAPI example (``{"name": {"nullCount": 122}, "price": {"min": 59, "max": 89}}``), a
    zero count is left out, and min/max when no item has a value; without a fields schema the answer is null.
    """
    properties = (fields_schema(schema) or {}).get("properties")
    if not isinstance(properties, dict):
        return None
    items = list(items)
    statistics = {}
    for name in properties:
        values = [item[name] for item in items if item.get(name) is not None]
        entry: dict[str, Any] = {}
        if values:
            measured = [_measure(value) for value in values]
            # "For booleans ... Minimum is always 0"
            low = 0 if all(isinstance(value, bool) for value in values) else min(measured)
            entry.update({"min": low, "max": max(measured)})
        nulls = sum(1 for item in items if name in item and item[name] is None)
        empty = sum(1 for item in items if name not in item)
        entry.update({key: count for key, count in (("nullCount", nulls), ("emptyCount", empty)) if count})
        statistics[name] = entry
    return statistics
