"""Create a thing, show a thing: thin views over the namespace's ``things`` table."""

from __future__ import annotations

from flask import Blueprint, Response, request

from emulator import context, framing
from emulator.providers.base import operation

from . import errors

ID_ALPHABET = "abc"


def blueprint() -> Blueprint:
    bp = Blueprint("dummy", __name__)

    @bp.errorhandler(errors.DummyError)
    def dummy_error(exc: errors.DummyError) -> Response:
        return exc.response()

    @bp.post("/things")
    @operation("things.create")
    def create() -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise errors.invalid("a thing needs a name (a string)")
        with context.transaction():
            record = context.table("things").put(
                {"id": context.ids().string(ID_ALPHABET, 6), "name": body["name"], "at": context.now().isoformat()})
        return framing.json(record, 201)

    @bp.get("/things/<thing_id>")
    @operation("show")
    def show(thing_id: str) -> Response:
        record = context.table("things").get(thing_id)
        if record is None:
            raise errors.no_such_thing()
        return framing.json({**record, "greeting": context.config()["greeting"], "base": context.base_url()})

    return bp
