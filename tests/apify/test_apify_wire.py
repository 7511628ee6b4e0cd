"""The response encoder writes exactly what ``json.dumps(payload, ensure_ascii=False, indent=...)`` wrote."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Response
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from werkzeug.urls import iri_to_uri

from emulator.providers.apify.wire import _PLAIN_URI, ApifyResponse, _indented, json_response

TRICKY = ["", "é", "日本語", "emoji 🎉", 'quote " backslash \\ slash /', "\n\r\t\b\f", "\x00\x1f\x7f",
          "\u2028\u2029", "\ud800", "</script>", "key: value,\n  ", "  {", "[]"]


def dataset(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "aBcDeFgHiJkLmNoPq", "name": "my-dataset", "userId": "dEmOuSeR0000000a1",
        "createdAt": "2026-01-01T00:00:00.000Z", "modifiedAt": "2026-01-01T00:00:00.000Z",
        "accessedAt": "2026-01-01T00:00:00.000Z", "itemCount": 0, "cleanItemCount": 0, "actId": None,
        "actRunId": None, "schema": None, "stats": {"readCount": 0, "writeCount": 0, "storageBytes": 0},
        "fields": [], "consoleUrl": "https://console.apify.com/storage/datasets/aBcDeFgHiJkLmNoPq",
        "itemsPublicUrl": "http://127.0.0.1:8080/apify/v2/datasets/aBcDeFgHiJkLmNoPq/items",
        "generalAccess": "FOLLOW_USER_SETTING", "urlSigningSecretKey": "0123456789abcdefABCDEF0123456789",
    }
    return {**record, **changes}


SHAPES = [
    {"data": dataset()},
    {"data": dataset(name=None, schema={"actorSpecification": 1, "fields": {"type": "object", "properties": {
        "title": {"type": "string", "enum": TRICKY}, "n": {"type": "number", "minimum": -1.5e300}}},
        "views": {"overview": {"display": {"component": "table", "properties": {"a": {"b": {"c": [1, [2, [3]]]}}}}}}},
        fields=["title", "é"], stats={"readCount": 10**30, "writeCount": -1, "storageBytes": 2**63})},
    {"data": {"total": 2, "offset": 0, "limit": 1000, "desc": True, "count": 2, "unnamed": False,
              "items": [dataset(name=text) for text in TRICKY[:2]]}},
    {"error": {"type": "schema-validation-error", "message": "Schema validation failed",
               "data": {"invalidItems": [{"itemPosition": 0, "validationErrors": [{"message": t} for t in TRICKY]}]}}},
    {"data": {"fieldStatistics": None}},
    [],
    {},
    [{}],
    [[]],
    [{"a": {}, "b": [], "c": [{}], "d": [[]]}],
    [{"float": 1.5, "int": 3, "big": 10**20, "neg": -0.0, "exp": 1e-7, "nan": float("nan"),
      "inf": float("inf"), "-inf": float("-inf"), "true": True, "false": False, "null": None}],
    [{text: text} for text in TRICKY],
    [1, "two", None, True, 2.5, [3, [4, [5, [6, [7, {"deep": [8, {"deeper": {}}]}]]]]]],
    {"non-string keys": {7: "a", 2.5: "b", True: "c", None: "d", "e": {3: [4]}}},
    {"tuple": (1, (2, 3)), "bool-key": {False: 0}},
    "a string alone",
    None,
    42,
]


@pytest.mark.parametrize("indent", [1, 2, 4, -1])
@pytest.mark.parametrize("payload", SHAPES)
def test_same_text_as_json_dumps(payload: Any, indent: int) -> None:
    assert _indented(payload, indent, "", 0) == json.dumps(payload, ensure_ascii=False, indent=indent)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_as_json_dumps(value: Any) -> None:
    assert _indented(value, 2, "", 0) == json.dumps(value, ensure_ascii=False, indent=2)


def _deepest(encode: Any, leaf: Any) -> int:
    """The smallest nesting that ``encode`` cannot write (RecursionError), called at the same stack depth."""
    def nested(depth: int) -> Any:
        value = leaf
        for level in range(depth):
            value = [value] if level % 3 else {"k": value, "x": 1}
        return {"data": value}

    low, high = 1, 5000
    while low < high:
        middle = (low + high) // 2
        try:
            encode(nested(middle))
            low = middle + 1
        except RecursionError:
            high = middle
    return low


def test_deep_nesting_fails_at_the_same_depth() -> None:
    def before(payload: Any) -> str:
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def after(payload: Any) -> str:
        return _indented(payload, 2, "", 0)

    for leaf in (1, "text", {"a": [1.5]}):
        assert _deepest(after, leaf) == _deepest(before, leaf)


def test_json_response_bytes_and_headers() -> None:
    payload = {"data": dataset(name="é")}
    response = json_response(payload, 201, {"Location": "http://127.0.0.1:8080/apify/v2/datasets/x"})
    assert response.get_data() == json.dumps(payload, ensure_ascii=False, indent=2).encode()
    assert response.status_code == 201
    assert list(response.headers.items()) == [
        ("Location", "http://127.0.0.1:8080/apify/v2/datasets/x"),
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(response.get_data()))),
        ("X-RateLimit-Limit", "60"),
    ]


@settings(max_examples=400, deadline=None)
@given(st.from_regex(_PLAIN_URI, fullmatch=True))
def test_plain_uris_are_what_iri_to_uri_returns(url: str) -> None:
    # ApifyResponse leaves such a Location as it is instead of asking iri_to_uri.
    assert iri_to_uri(url) == url


@pytest.mark.parametrize("url", [
    "HTTP://127.0.0.1:8080/x", "http://Example.com/x", "http://h:0443/x", "http://h:99999/x", "http://a..b/x",
    "http://bücher.example/x", "http://h/x y", "http://h/x?q=1", "http://h/x#f", "http://u@h/x", "http://[::1]:9/x",
    "/v2/datasets/x", "http://h/x\n", "http://" + "a" * 64 + "/x",
])
def test_urls_werkzeug_may_change_are_not_plain(url: str) -> None:
    assert not _PLAIN_URI.fullmatch(url)


HEADER_SETS = [
    [("Location", "http://127.0.0.1:8080/apify/v2/datasets/aBcDeFgHiJkLmNoPq"), ("Content-Type", "a/b"),
     ("Content-Length", "2"), ("X-RateLimit-Limit", "60")],
    [("Content-Type", "a/b"), ("Content-Length", "2"), ("location", "http://h:80/x"), ("X-Other", "1")],
    [("Location", "HTTP://Example.COM:0080/p%41th/é?q=ü#f"), ("Content-Length", "2")],
    [("Location", "/relative"), ("Content-Length", "2")],
    [("Location", "http://h/x"), ("Content-Location", "http://h/é"), ("Content-Length", "2")],
    [("Location", "http://h/x"), ("Content-Type", "a/b")],
    [("Content-Type", "a/b")],
    [("Content-Length", "2"), ("Location", "http://h/x"), ("Location", "http://h/é")],
    [("Location", "http://h/x"), ("Content-Length", "2"), ("Location", "http://h/y")],
]


@pytest.mark.parametrize("status", [200, 201, 204, 304, 404, 500])
@pytest.mark.parametrize("headers", HEADER_SETS)
@pytest.mark.parametrize("autocorrect", [False, True])
def test_wsgi_headers_as_werkzeug_writes_them(status: int, headers: list[tuple[str, str]], autocorrect: bool) -> None:
    environ = EnvironBuilder(path="/apify/v2/datasets", base_url="http://localhost:8080").get_environ()
    ours, theirs = ApifyResponse([b"{}"], status, headers), Response([b"{}"], status, headers)
    ours.autocorrect_location_header = theirs.autocorrect_location_header = autocorrect
    assert ours.get_wsgi_headers(environ).to_wsgi_list() == theirs.get_wsgi_headers(environ).to_wsgi_list()
