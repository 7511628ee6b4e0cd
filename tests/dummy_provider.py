"""A minimal provider used to test the platform without any real provider's rules."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from emulator import context
from emulator.providers import rules
from emulator.providers.base import Provider, SeedError, operation


class DummyProvider(Provider):
    name = "dummy"
    collections = {"things": ("id",), "config": ()}
    config_defaults = {"greeting": "hello"}
    config_rules = {"greeting": rules.text()}
    secret_headers = ("X-Dummy-Key",)
    secret_params = ("token",)

    def blueprint(self) -> Blueprint:
        bp = Blueprint("dummy", __name__)

        @bp.post("/things")
        @operation("things.create")
        def create():
            body = request.get_json()
            with context.transaction():
                record = {"id": context.ids().string("abc", 6), "name": body["name"],
                          "at": context.now().isoformat()}
                context.table("things").put(record)
            return jsonify(record), 201

        @bp.get("/things/<thing_id>")
        def show(thing_id: str):
            record = context.table("things").get(thing_id)
            if record is None:
                return self.error_response(404, "no such thing")
            return jsonify({**record, "greeting": context.config()["greeting"], "base": context.base_url()})

        return bp

    def error_response(self, status: int, message: str | None = None) -> Response:
        response = jsonify({"dummyError": {"status": status, "message": message}})
        response.status_code = status
        return response

    def prepare_seed(self, collection, record):
        if collection == "things" and "name" not in record:
            raise SeedError("a thing needs a name")
        return record
