"""The control API's own OpenAPI 3.1 document (``/_emulator/openapi/control.json``), built with apispec from the
marshmallow schemas that check its calls.

To document a new control route, add one ``Operation`` to ``OPERATIONS`` (with the schema that checks its
query or body, if it takes one); the fuzz test (tests/test_control_fuzz.py) then covers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from .. import __version__
from . import schemas

JSON = "application/json"
OBJECT = {"type": "object"}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # relative to /_emulator, OpenAPI style ("/state/{provider}/{collection}")
    summary: str
    query: type[Schema] | None = schemas.Query  # the namespace, unless the call has none
    body: type[Schema] | None = None
    answers: dict[int, str] = field(default_factory=lambda: {200: "done"})
    answer: dict[str, Any] = field(default_factory=lambda: OBJECT)  # JSON Schema of the success answer


UNKNOWN = "unknown namespace (reading never creates one)"

OPERATIONS = [
    Operation("get", "/health", "whether the server answers", query=None),
    Operation("get", "/providers", "each provider's mount prefix and seed collections", query=None),
    Operation("get", "/namespaces", "namespaces in use", query=None),
    Operation("delete", "/namespaces/{namespace}", "remove a namespace with its records, journal, faults and snapshots",
              query=None, answers={200: "deleted", 400: "not a namespace name", 404: UNKNOWN}),
    Operation("get", "/world", "the world every namespace starts with and goes back to, in the seed format",
              query=None),
    Operation("post", "/world", "merge {provider: {collection: [records]}} into the world, all or nothing",
              query=None, body=schemas.SeedBody,
              answers={200: "counts per collection", 400: "a refused record, named"}),
    Operation("delete", "/world", "put back the world the server started with", query=None),
    Operation("get", "/openapi/control.json", "this document", query=None),
    Operation("get", "/openapi/{provider}.json", "a provider's OpenAPI document", query=None,
              answers={200: "the document", 400: "unknown provider"}),
    Operation("post", "/seed", "merge {provider: {collection: [records]}} into the namespace, all or nothing",
              body=schemas.SeedBody, answers={200: "counts per collection", 400: "a refused record, named"}),
    Operation("get", "/state", "every record of the namespace, in the seed format",
              answers={200: "done", 404: UNKNOWN}),
    Operation("get", "/state/{provider}/{collection}", "one collection's records",
              answers={200: "the records", 400: "unknown provider or collection", 404: UNKNOWN},
              answer={"type": "array"}),
    Operation("get", "/state/{provider}/{collection}/{key}", "one record by its key",
              answers={200: "the record", 400: "unknown provider or collection", 404: f"no such record, or {UNKNOWN}"}),
    Operation("post", "/reset", "back to the world: every namespace, a namespace, or a provider",
              query=schemas.ResetArgs, body=schemas.ResetArgs),
    Operation("get", "/requests", "the request journal of the namespace (namespace=*: of every namespace, each "
              "entry naming its own), oldest first", query=schemas.RequestsQuery, answers={200: "done", 404: UNKNOWN}),
    Operation("delete", "/requests", "clear the namespace's journal", answers={200: "done", 404: UNKNOWN}),
    Operation("get", "/faults", "the namespace's fault rules", answers={200: "done", 404: UNKNOWN}),
    Operation("post", "/faults", "add a fault rule", body=schemas.FaultRule,
              answers={201: "the rule as stored", 400: "an unusable rule"}),
    Operation("delete", "/faults", "remove every fault rule of the namespace", answers={200: "done", 404: UNKNOWN}),
    Operation("delete", "/faults/{rule_id}", "remove one fault rule",
              answers={200: "removed", 404: f"no such rule, or {UNKNOWN}"}),
    Operation("get", "/config", "the namespace's ID seed, clock and provider settings",
              answers={200: "done", 404: UNKNOWN}),
    Operation("post", "/config", "set the ID seed, the clock and provider settings (all checked first)",
              body=schemas.ConfigBody),
    Operation("post", "/advance", "move the namespace clock", body=schemas.AdvanceArgs),
    Operation("post", "/snapshot", "save the namespace's records under a name", body=schemas.SnapshotArgs,
              answers={201: "saved", 404: UNKNOWN}),
    Operation("post", "/restore", "put the namespace back to a snapshot", body=schemas.SnapshotArgs,
              answers={200: "restored", 404: f"no such snapshot, or {UNKNOWN}"}),
]


def _path_parameters(path: str) -> list[dict[str, Any]]:
    names = [part.split("}")[0].lstrip("{") for part in path.split("/") if part.startswith("{")]
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
            for name in names]


# What the guard (control/guard.py) answers before any route runs.
GUARD_ANSWERS = {401: "the control token is missing or wrong (serve --control-token)",
                 403: "a caller that is not on loopback, or a call from another site's page"}


def _responses(operation: Operation) -> dict[str, Any]:
    answers = {**GUARD_ANSWERS, **operation.answers}
    if operation.method != "get":
        answers[415] = "a body that is not sent as application/json"
    if operation.query or operation.body:
        answers.setdefault(400, "a parameter or the body is not usable")
    return {str(status): {"description": text,
                          "content": {JSON: {"schema": operation.answer if status < 300 else ERROR}}}
            for status, text in sorted(answers.items())}


def document(server_url: str) -> dict[str, Any]:
    spec = APISpec(title="dataset-api-emulator control API", version=__version__, openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()], servers=[{"url": server_url}])
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        parameters = _path_parameters(op.path)
        if op.query:
            parameters.append({"in": "query", "schema": op.query})
        entry: dict[str, Any] = {"summary": op.summary, "parameters": parameters, "responses": _responses(op)}
        if op.body:
            entry["requestBody"] = {"required": False, "content": {JSON: {"schema": op.body}}}
        paths.setdefault(op.path, {})[op.method] = entry
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
