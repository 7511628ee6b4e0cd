"""Raw HTTP: exact bytes, statuses and headers of CKAN's transport-level answers."""

from __future__ import annotations

import json

import pytest
import requests
from ckan_support import ADMIN, EDITOR, JSON_TYPE, action, create, error_of


def test_success_envelope_bytes_and_headers(emulator):
    base = emulator.url("ckan")
    response = create(base, {"name": "minimal-ds", "owner_org": "test-org"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert "Location" not in response.headers
    body = response.json()
    assert list(body) == ["help", "success", "result"]
    assert body["help"] == f"{base}/api/3/action/help_show?name=package_create"
    assert response.content == json.dumps(body).encode()


def test_help_url_comes_from_site_url_setting(emulator):
    emulator.seed({"ckan": {"config": [{"site_url": "https://data.example.org"}]}})
    response = requests.post(f"{emulator.url('ckan')}/api/3/action/package_show", json={"id": "x"}, timeout=10)
    assert response.status_code == 404
    assert response.json()["help"] == "https://data.example.org/api/3/action/help_show?name=package_show"
    assert response.content == json.dumps(
        {"help": "https://data.example.org/api/3/action/help_show?name=package_show",
         "error": {"__type": "Not Found Error", "message": "Not found"}, "success": False}).encode()


def test_anonymous_403_bytes(emulator):
    response = create(emulator.url("ckan"), {"name": "x1"}, token=None)
    assert response.status_code == 403
    assert response.headers["Content-Type"] == JSON_TYPE
    help_ = f"{emulator.url('ckan')}/api/3/action/help_show?name=package_create"
    assert response.text == (
        '{"help": "' + help_ + '", "error": {"__type": "Authorization Error", "message": '
        '"Access denied: User  not authorized to create packages"}, "success": false}')


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {EDITOR}"}, {"X-CKAN-API-Key": EDITOR}])
def test_token_is_the_raw_authorization_header_only(emulator, headers):
    response = requests.post(f"{emulator.url('ckan')}/api/action/package_create", json={"name": "x1"},
                             headers=headers, timeout=10)
    assert response.status_code == 403
    assert error_of(response)["message"] == "Access denied: User  not authorized to create packages"


def test_get_on_package_create_is_bare_string_400(emulator):
    response = requests.get(f"{emulator.url('ckan')}/api/action/package_create", timeout=10)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.content == b'"Bad request - JSON Error: Invalid request. Please use POST method for your request"'


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_unknown_action_is_bare_string_400_for_any_method(emulator, method):
    response = requests.request(method, f"{emulator.url('ckan')}/api/3/action/package_createx", timeout=10)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.content == b'"Bad request - Action name not known: package_createx"'


@pytest.mark.parametrize(("body", "expected"), [
    (b"{not json", "Error decoding JSON data. Error: <BadRequest '400: Bad Request'> "
                   "JSON data extracted from the request: {}"),
    (b"[" * 100_000 + b"]" * 100_000, "Error decoding JSON data. Error: <BadRequest '400: Bad Request'> "
                                      "JSON data extracted from the request: {}"),
    (b'["a"]', "Request data JSON decoded to ['a'] but it needs to be a dictionary."),
    (b'"str"', "Request data JSON decoded to 'str' but it needs to be a dictionary."),
    (b"null", "Request data JSON decoded to None but it needs to be a dictionary."),
])
def test_bad_json_bodies(emulator, body, expected):
    response = requests.post(f"{emulator.url('ckan')}/api/action/package_create", data=body, timeout=10,
                             headers={"Content-Type": "application/json; charset=utf-8", "Authorization": ADMIN})
    assert response.status_code == 400
    assert response.json() == f"Bad request - JSON Error: {expected}"


def test_single_form_field_is_parsed_as_legacy_json(emulator):
    base = emulator.url("ckan")
    good = requests.post(f"{base}/api/action/package_create", timeout=10, headers={"Authorization": ADMIN},
                         data={json.dumps({"name": "legacy-ds", "owner_org": "test-org"}): "1"})
    assert good.status_code == 200 and good.json()["result"]["name"] == "legacy-ds"
    bad = requests.post(f"{base}/api/action/package_create", data="name=", timeout=10,
                        headers={"Authorization": ADMIN, "Content-Type": "application/x-www-form-urlencoded"})
    assert bad.status_code == 400
    assert bad.json() == ("Bad request - JSON Error: Error decoding JSON data. Error: JSONDecodeError("
                          "'Expecting value: line 1 column 1 (char 0)') JSON data extracted from the request: {}")


def test_form_fields_are_strings_and_nested_fields_are_integrity_errors(emulator):
    base = emulator.url("ckan")
    ok = requests.post(f"{base}/api/action/package_create", timeout=10, headers={"Authorization": ADMIN},
                       data={"name": "form-ds", "owner_org": "test-org", "private": "true",
                             "author": ["a", "b"]})
    assert ok.status_code == 200
    assert (ok.json()["result"]["private"], ok.json()["result"]["author"]) == (True, '["a", "b"]')
    bad = requests.post(f"{base}/api/action/package_create", timeout=10, headers={"Authorization": ADMIN},
                        data={"name": "form-ds2", "owner_org": "test-org", "tags": "x"})
    assert bad.status_code == 400
    assert error_of(bad) == {
        "__type": "Integrity Error",
        "message": "Only lists of dicts can be placed against subschema ('tags',), not <class 'str'>",
        "data": {"name": "form-ds2", "owner_org": "test-org", "tags": "x", "type": "dataset"}}


def test_integrity_error_echoes_data_with_type_appended(emulator):
    response = create(emulator.url("ckan"), {"name": "ok-name-1", "owner_org": "test-org", "tags": ["a", "b"]},
                      token=EDITOR)
    help_ = f"{emulator.url('ckan')}/api/3/action/help_show?name=package_create"
    assert response.status_code == 400
    assert response.text == (
        '{"help": "' + help_ + '", "error": {"__type": "Integrity Error", "message": "Only lists of dicts can be '
        "placed against subschema ('tags',), not <class 'list'>\", \"data\": {\"name\": \"ok-name-1\", "
        '"owner_org": "test-org", "tags": ["a", "b"], "type": "dataset"}}, "success": false}')
    mixed = create(emulator.url("ckan"), {"name": "ok-name-2", "resources": [{"url": "x"}, "y"]})
    assert error_of(mixed)["message"] == "Values in lists need to be dicts"


def test_non_json_content_type_with_body_is_415_html(emulator):
    response = requests.post(f"{emulator.url('ckan')}/api/action/package_create", data=b'{"name": "x"}',
                             headers={"Content-Type": "text/plain", "Authorization": ADMIN}, timeout=10)
    assert response.status_code == 415
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Error 415 - CKAN</title>" in response.text
    assert ("Did not attempt to load JSON data because the request Content-Type was not "
            "&#x27;application/json&#x27;.") in response.text


def test_empty_body_runs_validation(emulator):
    response = requests.post(f"{emulator.url('ckan')}/api/action/package_create", data=b"",
                             headers={"Content-Type": "text/plain", "Authorization": EDITOR}, timeout=10)
    assert response.status_code == 409
    assert error_of(response) == {"name": ["Missing value"], "owner_org": ["An organization must be provided"],
                                  "__type": "Validation Error"}


def test_callback_in_body_makes_the_request_anonymous(emulator):
    response = create(emulator.url("ckan"), {"name": "cb-ds", "owner_org": "test-org", "callback": "x"})
    assert response.status_code == 403
    assert error_of(response)["message"] == "Access denied: User  not authorized to create packages"


@pytest.mark.parametrize(("path", "status"), [
    ("/api/2/action/package_create", 404),
    ("/api/4/action/package_create", 404),
    ("/api/1/action/package_create", 404),
    ("/api/3/action/package_create/", 405),
])
def test_routing_failures_are_html(emulator, path, status):
    response = requests.post(emulator.url("ckan") + path, json={}, timeout=10)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f"<title>Error {status} - CKAN</title>" in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_wrong_method_on_known_action_is_405_html(emulator, method):
    response = requests.request(method, f"{emulator.url('ckan')}/api/3/action/package_create", timeout=10)
    assert response.status_code == 405
    assert "<h1>405 Method Not Allowed</h1>" in response.text
    assert "The method is not allowed for the requested URL." in response.text


def test_unknown_route_under_prefix_is_html_404(emulator):
    response = requests.get(f"{emulator.url('ckan')}/dataset/whatever", timeout=10)
    assert response.status_code == 404
    assert "Error 404 - CKAN" in response.text


def test_numeric_private_is_the_documented_500(emulator):
    response = create(emulator.url("ckan"), {"name": "priv-ds", "owner_org": "test-org", "private": 1})
    assert response.status_code == 500
    assert response.headers["Content-Type"] == JSON_TYPE
    assert error_of(response) == {"__type": "Internal Server Error", "message": "Internal Server Error"}
    assert emulator.state("ckan", "packages") == []
    assert create(emulator.url("ckan"), {"name": "priv-ds", "owner_org": "test-org"}).status_code == 200


@pytest.mark.parametrize(("path", "version"), [("/api", 1), ("/api/1", 1), ("/api/2", 2), ("/api/3", 3)])
def test_api_version_roots(emulator, path, version):
    response = requests.get(emulator.url("ckan") + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.content == f'{{"version": {version}}}'.encode()


def test_jsonp_only_for_get(emulator):
    create(emulator.url("ckan"), {"name": "jsonp-ds", "owner_org": "test-org"})
    response = requests.get(f"{emulator.url('ckan')}/api/3/action/package_list?callback=cb", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/javascript;charset=utf-8"
    assert response.text.startswith('cb({"help": ') and response.text.endswith('"result": ["jsonp-ds"]});')
    post = action(emulator.url("ckan"), "package_list", {})
    assert post.headers["Content-Type"] == JSON_TYPE


def test_non_ascii_is_escaped_like_ckan(emulator):
    response = create(emulator.url("ckan"), {"name": "uni-ds", "owner_org": "test-org", "title": "Caf\u00e9"})
    assert b'"title": "Caf\\u00e9"' in response.content


@pytest.mark.parametrize(("status", "kind"), [(500, "json"), (503, "html")])
def test_injected_faults_answer_in_ckan_shape(emulator, status, kind):
    emulator.control("POST", "faults", {"provider": "ckan", "operation": "ckan.package_create",
                                        "type": "status", "status": status})
    response = create(emulator.url("ckan"), {"name": "fault-ds", "owner_org": "test-org"})
    assert response.status_code == status
    if kind == "json":
        assert error_of(response) == {"__type": "Internal Server Error", "message": "Internal Server Error"}
    else:
        assert f"Error {status} - CKAN" in response.text


def test_openapi_document_lists_the_actions(emulator):
    document = requests.get(f"{emulator.base_url}/_emulator/openapi/ckan.json", timeout=10).json()
    assert {"/api/action/package_create", "/api/action/package_show", "/api/action/package_list"} <= set(
        document["paths"])
    assert "name" in document["components"]["schemas"]["Package"]["properties"]
