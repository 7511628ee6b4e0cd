"""Control API routes. Every bad request is a 400 JSON ``{"error": "..."}`` saying what is wrong."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .. import context, faults, openapi
from ..errors import ControlError
from ..platform import DEFAULT_NAMESPACE
from . import settings


def control_error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _namespace() -> str:
    return context.platform().check_namespace(request.args.get("namespace", DEFAULT_NAMESPACE))


def _provider(name: str):
    provider = context.platform().providers.get(name)
    if provider is None:
        raise ControlError(f"unknown provider {name!r}; known: {sorted(context.platform().providers)}")
    return provider


def _json_body():
    data = request.get_json(silent=True)
    if data is None and request.get_data():
        raise ControlError("request body is not valid JSON")
    return data


def control_blueprint() -> Blueprint:
    bp = Blueprint("control", __name__)

    @bp.errorhandler(ControlError)
    def bad_request(exc: ControlError):
        return control_error(400, str(exc))

    @bp.get("/health")
    def health():
        return {"status": "ok"}

    @bp.get("/providers")
    def providers():
        return {"providers": [
            {"name": p.name, "prefix": f"/{p.name}", "collections": list(p.collections)}
            for p in context.platform().providers.values()]}

    @bp.get("/openapi/<provider>.json")
    def openapi_document(provider: str):
        return jsonify(openapi.document(_provider(provider), f"{context.platform().settings.base_url()}/{provider}"))

    @bp.get("/namespaces")
    def namespaces():
        return {"namespaces": context.platform().namespaces()}

    @bp.post("/seed")
    def seed():
        namespace = _namespace()
        data = _json_body()
        if data is None:
            raise ControlError('seed needs a JSON body {"<provider>": {"<collection>": [records]}}')
        return {"namespace": namespace, "seeded": context.platform().seed(namespace, data)}

    @bp.get("/state")
    def state():
        return jsonify(context.platform().export(_namespace()))

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
        body = _json_body() or {}
        namespace = request.args.get("namespace", body.get("namespace"))
        provider = request.args.get("provider", body.get("provider"))
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
        args = request.args
        status = args.get("status")
        if status is not None and not status.isdigit():
            raise ControlError("'status' must be a number")
        limit = args.get("limit")
        if limit is not None and not limit.isdigit():
            raise ControlError("'limit' must be a whole number")
        return {"requests": context.platform().journal.find(
            _namespace(), provider=args.get("provider"), operation=args.get("operation"),
            status=int(status) if status else None, since=args.get("since"), limit=int(limit) if limit else None)}

    @bp.delete("/requests")
    def clear_requests():
        context.platform().journal.clear(_namespace())
        return {"cleared": True}

    @bp.get("/faults")
    def list_faults():
        return {"faults": context.platform().faults.list(_namespace())}

    @bp.post("/faults")
    def add_fault():
        platform = context.platform()
        spec = faults.validate(_json_body(), platform.providers)
        return platform.faults.add(_namespace(), spec, platform.providers), 201

    @bp.delete("/faults")
    def clear_faults():
        return {"removed": context.platform().faults.remove(_namespace())}

    @bp.delete("/faults/<rule_id>")
    def delete_fault(rule_id: str):
        if not context.platform().faults.remove(_namespace(), rule_id):
            return control_error(404, f"no fault {rule_id!r} in this namespace")
        return {"removed": 1}

    @bp.get("/config")
    def get_config():
        return settings.describe(context.platform(), _namespace())

    @bp.post("/config")
    def set_config():
        namespace = _namespace()
        settings.apply(context.platform(), namespace, _json_body() or {})
        return settings.describe(context.platform(), namespace)

    @bp.post("/advance")
    def advance():
        namespace = _namespace()
        body = _json_body() or {}
        seconds = body.get("seconds", request.args.get("seconds"))
        try:
            seconds = float(seconds)
        except (TypeError, ValueError):
            raise ControlError("advance needs 'seconds' (a number)") from None
        context.platform().runtime(namespace).clock.advance(seconds)
        return settings.describe(context.platform(), namespace)

    @bp.post("/snapshot")
    def snapshot():
        namespace, name = _namespace(), _snapshot_name()
        context.platform().snapshots[(namespace, name)] = context.platform().export(namespace)
        return {"namespace": namespace, "snapshot": name}, 201

    @bp.post("/restore")
    def restore():
        namespace, name = _namespace(), _snapshot_name()
        data = context.platform().snapshots.get((namespace, name))
        if data is None:
            return control_error(404, f"no snapshot {name!r} in namespace {namespace!r}")
        context.platform().restore(namespace, data)
        return {"namespace": namespace, "restored": name}

    def _snapshot_name() -> str:
        body = _json_body() or {}
        name = body.get("name", request.args.get("name", "default"))
        if not isinstance(name, str) or not name:
            raise ControlError("snapshot 'name' must be a non-empty string")
        return name

    def _table(provider: str, collection: str):
        namespace = _namespace()
        if collection not in _provider(provider).collections:
            raise ControlError(f"unknown collection {provider}.{collection}")
        context.platform().ensure_namespace(namespace)
        return context.platform().table(namespace, provider, collection)

    return bp
