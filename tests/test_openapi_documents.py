"""Every provider's OpenAPI document: valid OpenAPI 3.1, the same from the control API and the CLI."""

from __future__ import annotations

import json

import pytest
import requests
from openapi_spec_validator import OpenAPIV31SpecValidator

from emulator.cli import main
from emulator.providers import all_providers

PROVIDERS = [p.name for p in all_providers()]


def served(emulator, provider: str) -> dict:
    response = requests.get(f"{emulator.base_url}/_emulator/openapi/{provider}.json", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_document_is_valid_openapi_31(emulator, provider):
    document = served(emulator, provider)
    assert document["openapi"] == "3.1.0"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_served_document_equals_cli_output(emulator, provider, capsys):
    capsys.readouterr()
    assert main(["openapi", provider, "--public-url", emulator.base_url]) == 0
    assert json.loads(capsys.readouterr().out) == served(emulator, provider)
