"""Control API routes. Every bad request is a 400 JSON ``{"error": "..."}`` saying what is wrong."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .. import context, faults, jsontext, openapi
from ..errors import ControlError, UnknownNamespace
from ..journal import ALL_NAMESPACES
from ..platform import DEFAULT_NAMESPACE
from . import openapi as control_openapi
from . import schemas, settings


def control_error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _namespace() -> str:
    """The namespace a call acts in; calls that change it create it (with the world) when needed."""
    namespace = schemas.load(schemas.Query(), request.args).get("namespace", DEFAULT_NAMESPACE)
    return context.platform().check_namespace(namespace)


def _args(schema: schemas.Schema) -> dict:
    """A call's parameters, from its JSON body object and its query string (the query wins per parameter)."""
    body = _json_body()
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ControlError("the request body must be a JSON object")
    schemas.load(schema, body, partial=True)  # refused when malformed, even where the query overrides it
    return schemas.load(schema, {**body, **request.args.to_dict()})


def _existing_namespace() -> str:
    """The namespace a call reads: reading never creates one, an unknown one is a 404."""
    namespace, platform = _namespace(), context.platform()
    if not platform.exists(namespace):
        raise UnknownNamespace(namespace)
    platform.ensure_namespace(namespace)  # ``default`` always exists, even before its first use
    return namespace


def _provider(name: str):
    provider = context.platform().providers.get(name)
    if provider is None:
        raise ControlError(f"unknown provider {name!r}; known: {sorted(context.platform().providers)}")
    return provider


def _json_body():
    raw = request.get_data()
    if not raw:
        return None
    if not request.is_json:
        raise ControlError("request body is not valid JSON: send it as Content-Type: application/json")
    try:
        return jsontext.loads(raw)
    except ValueError as exc:  # with NaN, Infinity and lone surrogates
        raise ControlError(f"request body is not valid JSON: {exc}") from None


def control_blueprint() -> Blueprint:
    bp = Blueprint("control", __name__)

    @bp.errorhandler(ControlError)
    def bad_request(exc: ControlError):
        return control_error(404 if isinstance(exc, UnknownNamespace) else 400, str(exc))

    @bp.get("/health")
    def health():
        return {"status": "ok"}

    @bp.get("/providers")
    def providers():
        return {"providers": [
            {"name": p.name, "prefix": f"/{p.name}", "clientPath": f"/{p.name}{p.client_path}",
             "collections": list(p.collections)}
            for p in context.platform().providers.values()]}

    @bp.get("/openapi/control.json")
    def control_document():
        return jsonify(control_openapi.document(f"{context.platform().settings.base_url()}/_emulator"))

    @bp.get("/openapi/<provider>.json")
    def openapi_document(provider: str):
        return jsonify(openapi.document(_provider(provider), f"{context.platform().settings.base_url()}/{provider}"))

    @bp.get("/namespaces")
    def namespaces():
        return {"namespaces": context.platform().namespaces()}

    @bp.delete("/namespaces/<namespace>")
    def delete_namespace(namespace: str):
        platform = context.platform()
        if not platform.exists(platform.check_namespace(namespace)):
            raise UnknownNamespace(namespace)
        platform.delete_namespace(namespace)
        return {"deleted": namespace}

    @bp.get("/world")
    def world():
        return jsonify(context.platform().world())

    @bp.post("/world")
    def seed_world():
        data = _json_body()
        if data is None:
            raise ControlError('the world needs a JSON body {"<provider>": {"<collection>": [records]}}')
        return {"seeded": context.platform().seed_world(data)}

    @bp.delete("/world")
    def reset_world():
        context.platform().reset_world()
        return {"world": "reset"}

    @bp.post("/seed")
    def seed():
        namespace = _namespace()
        data = _json_body()
        if data is None:
            raise ControlError('seed needs a JSON body {"<provider>": {"<collection>": [records]}}')
        return {"namespace": namespace, "seeded": context.platform().seed(namespace, data)}

    @bp.get("/state")
    def state():
        return jsonify(context.platform().export(_existing_namespace()))

    @bp.get("/state/<provider>/<collection>")
    def state_collection(provider: str, collection: str):
        table = _table(provider, collection)
        return jsonify(table.all())

    @bp.get("/state/<provider>/<collection>/<path:key>")
    def state_record(provider: str, collection: str, key: str):
        record = _table(provider, collection).get(key)
        if record is None:
            return control_error(404, f"no record {key!r} in {provider}.{collection}")
        return jsonify(record)

    @bp.post("/reset")
    def reset():
        args = _args(schemas.ResetArgs())
        namespace, provider = args.get("namespace"), args.get("provider")
        platform = context.platform()
        if namespace is not None:
            platform.check_namespace(namespace)
        if provider is not None:
            _provider(provider)
            if namespace is None:
                namespace = DEFAULT_NAMESPACE
        platform.reset(namespace, provider)
        return {"reset": {"namespace": namespace or "*", "provider": provider or "*"}}

    @bp.get("/requests")
    def requests_():
        args = schemas.load(schemas.RequestsQuery(), request.args)
        namespace = ALL_NAMESPACES if args.get("namespace") == ALL_NAMESPACES else _existing_namespace()
        return {"requests": context.platform().journal.find(
            namespace, provider=args.get("provider"), operation=args.get("operation"),
            status=args.get("status"), since=args.get("since"), limit=args.get("limit"))}

    @bp.delete("/requests")
    def clear_requests():
        context.platform().journal.clear(_existing_namespace())
        return {"cleared": True}

    @bp.get("/faults")
    def list_faults():
        return {"faults": context.platform().faults.list(_existing_namespace())}

    @bp.post("/faults")
    def add_fault():
        platform = context.platform()
        spec = faults.validate(_json_body(), platform.providers)
        namespace = _namespace()
        platform.ensure_namespace(namespace)
        return platform.faults.add(namespace, spec, platform.providers), 201

    @bp.delete("/faults")
    def clear_faults():
        return {"removed": context.platform().faults.remove(_existing_namespace())}

    @bp.delete("/faults/<rule_id>")
    def delete_fault(rule_id: str):
        if not context.platform().faults.remove(_existing_namespace(), rule_id):
            return control_error(404, f"no fault {rule_id!r} in this namespace")
        return {"removed": 1}

    @bp.get("/config")
    def get_config():
        return settings.describe(context.platform(), _existing_namespace())

    @bp.post("/config")
    def set_config():
        namespace = _namespace()
        body = _json_body()
        settings.apply(context.platform(), namespace, {} if body is None else body)
        return settings.describe(context.platform(), namespace)

    @bp.post("/advance")
    def advance():
        namespace = _namespace()
        seconds = _args(schemas.AdvanceArgs())["seconds"]
        context.platform().ensure_namespace(namespace)
        settings.advance(context.platform().runtime(namespace), seconds)
        return settings.describe(context.platform(), namespace)

    @bp.post("/snapshot")
    def snapshot():
        namespace, name = _existing_namespace(), _snapshot_name()
        context.platform().snapshots[(namespace, name)] = context.platform().export(namespace)
        return {"namespace": namespace, "snapshot": name}, 201

    @bp.post("/restore")
    def restore():
        namespace, name = _existing_namespace(), _snapshot_name()
        data = context.platform().snapshots.get((namespace, name))
        if data is None:
            return control_error(404, f"no snapshot {name!r} in namespace {namespace!r}")
        context.platform().restore(namespace, data)
        return {"namespace": namespace, "restored": name}

    def _snapshot_name() -> str:
        return _args(schemas.SnapshotArgs())["name"]

    def _table(provider: str, collection: str):
        namespace = _existing_namespace()
        if collection not in _provider(provider).collections:
            raise ControlError(f"unknown collection {provider}.{collection}")
        return context.platform().table(namespace, provider, collection)

    return bp
