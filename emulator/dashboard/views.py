"""Routes of the dashboard blueprint: the page, its assets, and read-only JSON views made for it.

The control API already answers most questions, but a browser polling it would download every journal body
(up to 64 KiB each) every second; these views return summaries and counts, and one entry in full on demand.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from .. import context
from ..control import settings
from ..control.routes import control_error
from ..errors import ControlError
from ..platform import DEFAULT_NAMESPACE, Platform

#: Records sent for one collection; the page says how many more there are.
RECORD_LIMIT = 500
#: Journal summaries sent on a full load (a namespace keeps up to ``journal_size`` entries).
REQUEST_LIMIT = 500
#: Longer stored strings (a file's base64) and lists (rows pushed into a dataset) are cut in the records view,
#: which the page polls: it shows what a record holds, ``GET /_emulator/state`` gives it whole.
VALUE_LIMIT = 1_000
LIST_LIMIT = 50
#: Where the page marks its asset URLs, so a control token given in the page URL reaches them too.
ASSET_QUERY_MARK = "__ASSET_QUERY__"

# The page renders untrusted strings (records, request paths and bodies) as text only; this policy makes any
# mistake there inert: no inline script, nothing loaded from elsewhere, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _namespace() -> str:
    return context.platform().check_namespace(request.args.get("namespace", DEFAULT_NAMESPACE))


def _whole(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()):
        raise ControlError(f"{name!r} must be a whole number")
    return int(value)


def _counts(platform: Platform, namespace: str) -> dict[str, dict[str, int]]:
    return {name: {c: platform.table(namespace, name, c).count() for c in provider.collections}
            for name, provider in platform.providers.items()}


def _abridged(value: Any) -> Any:
    """A stored value as the records view shows it: long strings and lists cut, with what was left out."""
    if isinstance(value, str) and len(value) > VALUE_LIMIT:
        return f"{value[:VALUE_LIMIT // 5]}… ({len(value):,} characters in all)"
    if isinstance(value, list):
        kept = [_abridged(item) for item in value[:LIST_LIMIT]]
        return kept + [f"… ({len(value):,} items in all)"] if len(value) > LIST_LIMIT else kept
    if isinstance(value, dict):
        return {key: _abridged(item) for key, item in value.items()}
    return value


def _summary(entry: dict[str, Any]) -> dict[str, Any]:
    """What one journal row shows; the bodies stay on the server until the row is opened."""
    return {key: entry.get(key) for key in
            ("id", "time", "provider", "operation", "method", "path", "status", "latencyMs", "fault")}


def dashboard_blueprint() -> Blueprint:
    bp = Blueprint("dashboard", __name__, static_folder="static", static_url_path="/static")

    @bp.errorhandler(ControlError)
    def bad_request(exc: ControlError):
        return control_error(400, str(exc))

    @bp.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if request.path.rstrip("/").endswith("/ui") or "/api/" in request.path:
            # Live data and the page that embeds the token must never come from a cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/")
    def index():
        html = (bp.open_resource("static/index.html").read()).decode("utf-8")
        token = request.args.get("token")
        # The control guard checks every /_emulator path, assets included; a browser sends no header for a
        # <script src>, so the token travels in the asset URLs when the page was opened with one.
        html = html.replace(ASSET_QUERY_MARK, f"?token={quote(token, safe='')}" if token else "")
        return Response(html, mimetype="text/html")

    @bp.get("/api/overview")
    def overview():
        platform = context.platform()
        namespaces = []
        for name in platform.namespaces():
            counts = _counts(platform, name)
            namespaces.append({"name": name, "records": sum(sum(c.values()) for c in counts.values()),
                               "requests": platform.journal.count(name)})
        providers = [{"name": p.name, "title": p.title or p.name,
                      "collections": [{"name": c, "key": list(key)} for c, key in p.collections.items()]}
                     for p in platform.providers.values()]
        return jsonify({"baseUrl": platform.settings.base_url(), "defaultNamespace": DEFAULT_NAMESPACE,
                        "namespaces": namespaces, "providers": providers})

    @bp.get("/api/namespace")
    def namespace_view():
        platform = context.platform()
        namespace = _namespace()
        return jsonify({"namespace": namespace, "exists": namespace in platform.namespaces(),
                        "counts": _counts(platform, namespace), "faults": platform.faults.list(namespace),
                        "config": settings.describe(platform, namespace)})

    @bp.get("/api/records")
    def records():
        platform = context.platform()
        namespace = _namespace()
        provider, collection = request.args.get("provider", ""), request.args.get("collection", "")
        if provider not in platform.providers or collection not in platform.providers[provider].collections:
            raise ControlError(f"unknown collection {provider}.{collection}")
        limit = _whole("limit", RECORD_LIMIT)
        table = platform.table(namespace, provider, collection)
        rows = table.all()
        return jsonify({"namespace": namespace, "provider": provider, "collection": collection,
                        "key": list(table.key_fields), "total": len(rows),
                        "records": [_abridged(row) for row in rows[:limit]]})

    @bp.get("/api/requests")
    def requests_():
        """Summaries newest first; with ``since`` (an id) only the newer ones, for polling."""
        platform = context.platform()
        entries = platform.journal.find(_namespace())
        since = _whole("since")
        fresh = [e for e in entries if since is None or e["id"] > since]
        limit = _whole("limit", REQUEST_LIMIT) or REQUEST_LIMIT
        return jsonify({
            # The oldest id still kept lets the page drop rows that were cleared or pushed out of the ring.
            "firstId": entries[0]["id"] if entries else None,
            "lastId": entries[-1]["id"] if entries else None,
            "count": len(entries),
            "requests": [_summary(e) for e in reversed(fresh[-limit:])],
        })

    @bp.get("/api/requests/<int:entry_id>")
    def request_entry(entry_id: int):
        for entry in context.platform().journal.find(_namespace()):
            if entry["id"] == entry_id:
                return jsonify(entry)
        return control_error(404, f"no request #{entry_id} in this namespace's journal (cleared or pushed out)")

    return bp
