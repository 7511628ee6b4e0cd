"""Every provider's OpenAPI document: valid OpenAPI 3.1, the same from the control API and the CLI, complete."""

from __future__ import annotations

import json

import pytest
import requests
from openapi_spec_validator import OpenAPIV31SpecValidator

from emulator.app import create_app
from emulator.cli import main
from emulator.providers import all_providers
from emulator.providers.aitems import schemas as aitems_schemas
from emulator.providers.apify import schemas as apify_schemas
from emulator.providers.redivis import schemas as redivis_schemas

PROVIDERS = [p.name for p in all_providers()]


def served(emulator, provider: str) -> dict:
    response = requests.get(f"{emulator.base_url}/_emulator/openapi/{provider}.json", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("provider", [*PROVIDERS, "control"])
def test_document_is_valid_openapi_31(emulator, provider):
    document = served(emulator, provider)
    assert document["openapi"] == "3.1.0"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []
    assert "\\Z" not in json.dumps(document), "patterns are ECMA regexes: Python's \\Z means nothing there"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_served_document_equals_cli_output(emulator, provider, capsys):
    capsys.readouterr()
    assert main(["openapi", provider, "--public-url", emulator.base_url]) == 0
    assert json.loads(capsys.readouterr().out) == served(emulator, provider)


METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_document_is_complete(emulator, provider):
    """Paths, security schemes used by the operations, and 4xx answers in the provider's envelope (components)."""
    document = served(emulator, provider)
    assert document["servers"] == [{"url": f"{emulator.base_url}/{provider}"}]
    schemes = set(document["components"].get("securitySchemes", {}))
    assert schemes, "no security scheme"
    operations = [(path, method, op) for path, item in document["paths"].items()
                  for method, op in item.items() if method in METHODS]
    assert operations
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        statuses = set(operation["responses"])
        assert any(s.startswith("2") for s in statuses), where
        if "security" not in operation:
            continue  # preflights and version roots take no input that could be refused
        assert any(s.startswith("4") for s in statuses), where
        assert {name for requirement in operation.get("security", []) for name in requirement} <= schemes, where
        for status, response in operation["responses"].items():
            if not status.startswith("4") or method == "head":
                continue  # HEAD answers have no body to describe
            if "$ref" in response:
                response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            schemas = [c.get("schema", {}) for c in response.get("content", {}).values()]
            assert schemas and all("$ref" in s for s in schemas), f"{where} {status}: answer not a component"


@pytest.mark.parametrize(("provider", "component", "schema"), [
    ("apify", "CreateDatasetBody", apify_schemas.CreateDatasetBody),
    ("apify", "UpdateDatasetBody", apify_schemas.UpdateDatasetBody),
    ("redivis", "CreateDataset", redivis_schemas.CreateDatasetSchema),
    ("redivis", "UpdateDataset", redivis_schemas.UpdateDatasetSchema),
    ("redivis", "CreateTable", redivis_schemas.CreateTableSchema),
    ("redivis", "UpdateTable", redivis_schemas.UpdateTableSchema),
    ("redivis", "TempUploads", redivis_schemas.TempUploadsSchema),
    ("redivis", "UploadRequest", redivis_schemas.UploadSchema),
    ("redivis", "Rows", redivis_schemas.RowsSchema),
    ("aitems", "DatasetCreate", aitems_schemas.DatasetCreate),
    ("aitems", "SchemaCreate", aitems_schemas.SchemaCreate),
])
def test_request_bodies_are_the_validating_schemas(emulator, provider, component, schema):
    """A body component has exactly the fields (wire names) and required set of the schema that validates it."""
    described = served(emulator, provider)["components"]["schemas"][component]
    fields = schema().fields.values()
    assert set(described["properties"]) == {f.data_key or f.name for f in fields}
    assert set(described.get("required", [])) == {f.data_key or f.name for f in fields if f.required}
    bodies = [op["requestBody"]["content"].get("application/json", {}).get("schema", {}).get("$ref")
              for item in served(emulator, provider)["paths"].values() for op in item.values()
              if isinstance(op, dict) and "requestBody" in op]
    assert f"#/components/schemas/{component}" in bodies


def test_the_control_document_describes_every_control_route(emulator):
    """A new control route needs its entry in emulator/control/openapi.py (and is then fuzzed)."""
    paths = served(emulator, "control")["paths"]
    documented = {(method.upper(), "/_emulator" + path) for path, operations in paths.items() for method in operations}
    routed = {(method, rule.rule.replace("<", "{").replace(">", "}").replace("{path:", "{"))
              for rule in create_app().url_map.iter_rules()
              if rule.rule.startswith("/_emulator/") and not rule.rule.startswith("/_emulator/ui")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed - documented == set()
