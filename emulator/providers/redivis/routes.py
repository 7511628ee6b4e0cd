"""The blueprint: thin views over ``datasets``; every failure is a ``RedivisError``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from emulator import framing

from ..base import operation, takes_upload
from . import auth, errors, lookup, model, service, settings, tables, uploads
from .rawpath import dataset_segments, table_segments

ALL_METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"]


def _ok_text() -> Response:
    # Express's res.sendStatus(200); the client cannot parse an empty 200 or a 204.
    return framing.body(b"OK", 200, "text/plain; charset=utf-8")


def _reference_route(segments: list[str]) -> tuple[str, dict[str, Callable[..., Any]]] | None:
    """(operation, {method: handler(reference)}) for a path under /datasets/<ref>."""
    reference, rest = segments[0], segments[1:]
    if not reference:
        return None
    if not rest:
        def read(ref: str) -> Response:
            return framing.json(service.get(ref, auth.viewer()))

        def write(ref: str) -> Response:
            return framing.json(service.update(ref, auth.require_scope()))

        def remove(ref: str) -> Response:
            service.delete(ref, auth.require_scope())
            return _ok_text()

        # The docs page names POST for updates (the JS client uses it); Python uses PATCH.
        return "datasets.dataset", {"GET": read, "HEAD": read, "PATCH": write, "POST": write, "DELETE": remove}
    if rest == ["tables"]:
        return "datasets.tables", {
            "GET": lambda ref: framing.json(tables.list_for(ref, auth.viewer())),
            "POST": lambda ref: framing.json(tables.create(ref, auth.require_scope()), settings.CREATE_STATUS)}
    if rest == ["versions"]:
        return "datasets.versions", {
            "GET": lambda ref: framing.json(service.list_versions(ref, auth.viewer())),
            "POST": lambda ref: framing.json(service.create_next_version(ref, auth.require_scope()))}
    if len(rest) == 2 and rest[0] == "versions" and rest[1]:
        def version(ref: str) -> Response:
            return framing.json(service.get_version(ref, rest[1], auth.viewer()))
        return "datasets.versions.get", {"GET": version, "HEAD": version}
    if rest == ["versions", "next", "release"]:
        return "datasets.versions.release", {"POST": lambda ref: framing.json(
            service.release(ref, auth.require_scope()))}
    if rest == ["versions", "current", "unrelease"]:
        return "datasets.versions.unrelease", {"POST": lambda ref: framing.json(
            service.unrelease(ref, auth.require_scope()))}
    return None


def _table_route(segments: list[str]) -> tuple[str, dict[str, Callable[..., Any]]] | None:
    """(operation, {method: handler(table reference)}) for a path under /tables/<ref>."""
    reference, rest = segments[0], segments[1:]
    if not reference:
        return None
    if not rest:
        def remove(ref: str) -> Response:
            tables.delete(ref, auth.require_scope())
            return _ok_text()

        read = lambda ref: framing.json(tables.get(ref, auth.viewer()))  # noqa: E731
        return "tables.table", {"GET": read, "HEAD": read, "DELETE": remove,
                                "PATCH": lambda ref: framing.json(tables.update(ref, auth.require_scope()))}
    if rest == ["variables"]:
        return "tables.variables", {"GET": lambda ref: framing.json(tables.list_variables(ref, auth.viewer()))}
    if len(rest) == 2 and rest[0] == "variables" and rest[1]:
        read = lambda ref: framing.json(tables.get_variable(ref, rest[1], auth.viewer()))  # noqa: E731
        return "tables.variables.get", {"GET": read, "HEAD": read}
    if rest == ["tempUploads"]:
        return "tables.tempUploads", {"POST": lambda ref: framing.json(uploads.create_temp_uploads(
            ref, auth.require_scope()))}
    if rest == ["uploads"]:
        return "tables.uploads", {"GET": lambda ref: framing.json(uploads.list_for(ref, auth.viewer())),
                                  "POST": lambda ref: framing.json(uploads.create(ref, auth.require_scope()))}
    if len(rest) >= 2 and rest[0] == "uploads" and rest[1]:
        name = rest[1]
        if len(rest) == 2:
            def drop(ref: str) -> Response:
                uploads.delete(ref, name, auth.require_scope())
                return _ok_text()

            read = lambda ref: framing.json(uploads.get(ref, name, auth.viewer()))  # noqa: E731
            return "tables.uploads.upload", {"GET": read, "HEAD": read, "DELETE": drop}
        if rest[2:] == ["rows"]:
            return "tables.uploads.rows", {"POST": lambda ref: framing.json(uploads.insert_rows(
                ref, name, auth.require_scope()))}
        if rest[2:] == ["variables"]:
            return "tables.uploads.variables", {"GET": lambda ref: framing.json(uploads.list_variables(
                ref, name, auth.viewer()))}
    return None


def _dispatch(route: tuple[str, dict[str, Callable[..., Any]]] | None, reference: str) -> Response:
    if route is None:
        raise errors.route_not_found()
    handler = route[1].get(request.method)
    if handler is None:
        raise errors.method_not_allowed()
    return operation(route[0])(handler)(reference)  # named once the path has told which operation it is


def build() -> Blueprint:
    bp = Blueprint("redivis", __name__)

    @bp.errorhandler(errors.RedivisError)
    def redivis_error(exc: errors.RedivisError) -> Response:
        return errors.render(exc)

    @bp.post("/api/v1/users/<user_name>/datasets")
    @operation("datasets.create")
    def create_for_user(user_name: str) -> Response:
        body = service.create(lookup.USER, user_name, auth.require_scope())
        return framing.json(body, settings.CREATE_STATUS)

    @bp.post("/api/v1/organizations/<organization_name>/datasets")
    @operation("datasets.create")
    def create_for_organization(organization_name: str) -> Response:
        body = service.create(lookup.ORGANIZATION, organization_name, auth.require_scope())
        return framing.json(body, settings.CREATE_STATUS)

    @bp.get("/api/v1/users/<user_name>/datasets")
    @operation("datasets.list")
    def list_for_user(user_name: str) -> Response:
        return framing.json(service.list_for(lookup.USER, user_name, auth.viewer()))

    # HEAD is the R client's organization existence check; Flask answers it from the GET view.
    @bp.get("/api/v1/organizations/<organization_name>/datasets")
    @operation("datasets.list")
    def list_for_organization(organization_name: str) -> Response:
        return framing.json(service.list_for(lookup.ORGANIZATION, organization_name, auth.viewer()))

    @bp.get("/api/v1/users/me")
    @operation("users.me")
    def current_user() -> Response:
        return framing.json(model.user(auth.require_viewer()))

    @bp.route("/api/v1/datasets/<path:_reference>", methods=ALL_METHODS)
    def dataset_reference(_reference: str) -> Response:
        segments = dataset_segments()
        return _dispatch(_reference_route(segments), segments[0])

    @bp.route("/api/v1/tables/<path:_reference>", methods=ALL_METHODS)
    def table_reference(_reference: str) -> Response:
        segments = table_segments()
        return _dispatch(_table_route(segments), segments[0])

    # The temporary upload URL handed out by POST .../tempUploads (on redivis.com, a signed storage URL).
    @bp.route(settings.TEMP_UPLOAD_PATH.replace("{id}", "<temp_id>"), methods=["PUT", "POST"])
    @operation(lambda _args: "tempUploads.start" if request.method == "POST" else "tempUploads.put")
    @takes_upload
    def temp_upload(temp_id: str) -> Response:
        status, headers = uploads.receive(temp_id)
        return Response(b"", status=status, headers=headers)

    return bp
