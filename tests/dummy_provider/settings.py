"""The dummy's settings and wire conventions."""

from __future__ import annotations

from emulator import context
from emulator.providers import rules

KEY_HEADER = "X-Dummy-Key"  # the credential header: declared secret, so the journal masks it
JSON_CONTENT_TYPE = "application/vnd.dummy+json"
GREETING_HEADER = "X-Dummy-Greeting"
CONFIG_DEFAULTS = {"greeting": "hello"}
CONFIG_RULES = {"greeting": rules.text()}


def greeting_header() -> list[tuple[str, str]]:
    """On every answer: the namespace's greeting (a per-answer header from the settings)."""
    return [(GREETING_HEADER, context.config()["greeting"])]
