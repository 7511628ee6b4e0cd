"""Control API routes. Every bad request is a 400 JSON ``{"error": "..."}`` saying what is wrong."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .. import context
from ..platform import DEFAULT_NAMESPACE, ControlError


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

    def _table(provider: str, collection: str):
        namespace = _namespace()
        if collection not in _provider(provider).collections:
            raise ControlError(f"unknown collection {provider}.{collection}")
        context.platform().ensure_namespace(namespace)
        return context.platform().table(namespace, provider, collection)

    return bp
