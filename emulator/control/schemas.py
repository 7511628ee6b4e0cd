"""The control API's query strings and bodies as marshmallow schemas: they check what a call sends (a 400
``{"error": ...}`` naming the first bad field) and describe it in ``/_emulator/openapi/control.json``."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, validate

from ..errors import ControlError
from ..faults import ACTIONS

NAMESPACE_HELP = "the namespace to act in (default: default); 1-64 of [A-Za-z0-9_.-]"


class Digits(fields.Integer):
    """A whole number written in ASCII digits (``int`` would also read "²" or Arabic-Indic digits)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and not (value.isascii() and value.isdigit()):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _text(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=200), **kwargs)


class Query(Schema):
    """Every control call's query string: its namespace; other parameters are the call's own."""

    class Meta:
        unknown = EXCLUDE

    namespace = _text(metadata={"description": NAMESPACE_HELP})


class ResetArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # also read from the query string, which may hold other parameters (the token)

    namespace = _text(allow_none=True, metadata={"description": "reset only this namespace"})
    provider = _text(allow_none=True, metadata={"description": "reset only this provider (in the namespace)"})


class RequestsQuery(Query):
    provider = fields.String(metadata={"description": "only this provider's requests"})
    operation = fields.String(metadata={"description": "only this operation, e.g. ckan.package_create"})
    status = Digits(validate=validate.Range(0, 999), error_messages={"invalid": "'status' must be a number"})
    limit = Digits(validate=validate.Range(0, 10**9), error_messages={"invalid": "'limit' must be a whole number"})
    since = fields.String(metadata={"description": "an entry id (exclusive) or an ISO 8601 time (inclusive)"})


class AdvanceArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    seconds = fields.Float(required=True, allow_nan=False, validate=validate.Range(-1e10, 1e10),
                           metadata={"description": "seconds to move the namespace clock by (may be negative)"},
                           error_messages={"required": "advance needs 'seconds' (a number)",
                                           "invalid": "advance needs 'seconds' (a number)"})


class SnapshotArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    name = _text(load_default="default", metadata={"description": "the snapshot's name"},
                 error_messages={"invalid": "snapshot 'name' must be a non-empty string"})


class FaultAction(Schema):
    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, validate=validate.OneOf(sorted(ACTIONS)))
    status = fields.Integer(metadata={"description": "for status: 400-599"})
    retryAfter = fields.Float(metadata={"description": "for status 429: Retry-After seconds"})
    ms = fields.Float(metadata={"description": "for latency (fixed): the delay"})
    distribution = fields.String(validate=validate.OneOf(["fixed", "uniform", "lognormal"]))
    min = fields.Float()
    max = fields.Float()
    median = fields.Float()
    sigma = fields.Float()
    rate = fields.Float(metadata={"description": "for rate-limit: tokens per second"})
    burst = fields.Float(metadata={"description": "for rate-limit: bucket size"})


class FaultRule(Schema):
    """Documents ``POST /faults``; ``faults.validate`` checks a rule (the action may also be given flat)."""

    action = fields.Nested(FaultAction, required=True)
    provider = fields.String(allow_none=True)
    operation = fields.String(allow_none=True, metadata={"description": "e.g. apify.datasets.create"})
    times = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    probability = fields.Float(validate=validate.Range(0, 1))
    seed = fields.Integer(allow_none=True)


class ConfigBody(Schema):
    """Documents ``POST /config``; ``settings.apply`` checks it (every key before it applies any)."""

    seed = fields.Integer(allow_none=True, metadata={"description": "fixed ID sequence, or null for random"})
    freezeTime = fields.String(allow_none=True, metadata={"description": 'ISO 8601 with a zone, "now" or null'})
    advance = fields.Float(metadata={"description": "seconds to move the clock by"})
    providers = fields.Dict(keys=fields.String(), values=fields.Dict(),
                            metadata={"description": "{provider: {setting: value}}; see GET /config"})


class SeedBody(Schema):
    """Documents ``POST /seed``: ``{"<provider>": {"<collection>": [records]}}``; the platform checks it."""

    class Meta:
        unknown = INCLUDE


def load(schema: Schema, data: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    """The values ``schema`` loads from ``data`` (``partial``: required ones may be missing), or ControlError
    saying what is wrong first."""
    try:
        return schema.load(data, partial=partial)
    except ValidationError as exc:
        field, problem = next(iter(exc.normalized_messages().items()))
        message = problem[0] if isinstance(problem, list) else str(problem)
        raise ControlError(message if f"'{field}'" in message else f"'{field}': {message}") from None
