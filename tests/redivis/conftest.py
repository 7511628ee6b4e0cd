"""Point the real ``redivis`` client at this test's namespace.

The client reads REDIVIS_API_ENDPOINT and REDIVIS_API_TOKEN from the environment on every request, so
monkeypatching them per test is enough. A token must always be set: without one the client answers a 401
with a browser OAuth login.
"""

from __future__ import annotations

import pytest
from redivis_world import EDIT_TOKEN


@pytest.fixture
def api(emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """The API base (…/redivis/api/v1), with the client configured as demo_user (scope data.edit)."""
    base = emulator.url("redivis")
    for name in ("REDIVIS_DEFAULT_NOTEBOOK", "REDIVIS_DEFAULT_USER", "REDIVIS_DEFAULT_ORGANIZATION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REDIVIS_API_ENDPOINT", base)
    monkeypatch.setenv("REDIVIS_API_TOKEN", EDIT_TOKEN)
    return base


@pytest.fixture
def as_token(monkeypatch: pytest.MonkeyPatch):
    """Switch the client's token mid-test."""
    def switch(token: str) -> None:
        monkeypatch.setenv("REDIVIS_API_TOKEN", token)
    return switch
