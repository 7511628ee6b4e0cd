"""Schemathesis against the control API's own OpenAPI document, on a private in-thread server.

Every call answers as the document says (no 5xx, a declared status, content type and body), and a refused
call (4xx) changes nothing: the store, namespaces, clocks, ID seeds, faults and snapshots are compared before
and after it. The server is private because generated calls reset and reconfigure whole namespaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.app import create_app
from emulator.config import Settings
from emulator.control.openapi import document
from emulator.server import BackgroundServer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.generate], derandomize=True,
                database=None, suppress_health_check=list(HealthCheck))

control = schemathesis.openapi.from_dict(document("http://emulator.invalid/_emulator"))


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Flask]]:
    background = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=background.port, journal_size=50))
    background.start(app)
    yield background.url, app
    background.stop()


def everything(app: Flask) -> dict[str, Any]:
    """What a control call can change, read from the platform itself (reading it over HTTP would change it).

    Shallow copies are enough: the store never changes a record it holds, it replaces it.
    """
    platform = app.extensions["emulator"]
    store = platform.store
    return {
        "namespaces": platform.namespaces(),
        "tables": {table: store.records(table) for table in store.tables()},
        "clocks": {ns: (platform.runtime(ns).clock.frozen, platform.runtime(ns).clock.offset,
                        platform.runtime(ns).ids.seed) for ns in platform.namespaces()},
        "faults": platform.faults.list(),
        "snapshots": dict(platform.snapshots),
    }


@control.parametrize()
@FUZZ
def test_the_control_api_keeps_its_document_and_a_refused_call_changes_nothing(case, server, session):
    url, app = server
    before = everything(app)
    response = case.call(base_url=f"{url}/_emulator", session=session)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        assert everything(app) == before, (response.status_code, response.text[:300])


@pytest.mark.parametrize("path", ["state/0/packages", "state/ckan/nothing", "state/0/packages/key"])
def test_a_refused_read_on_a_fresh_server_does_not_make_the_default_namespace(path, session):
    """Found by the fuzz above, depending on the order of its cases: a read with a bad provider or collection
    made ``default`` exist (with its world) before it was refused."""
    background = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=background.port))
    background.start(app)
    try:
        before = everything(app)
        response = session.get(f"{background.url}/_emulator/{path}", timeout=10)
        assert response.status_code == 400, response.text
        assert everything(app) == before
    finally:
        background.stop()
