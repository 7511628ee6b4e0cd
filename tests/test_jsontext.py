"""JSON every client can read back: what ``jsontext`` reads and writes, and the store that keeps only that."""

from __future__ import annotations

import json

import pytest

from emulator import jsontext
from emulator.store import Store

REFUSED = {
    "nan": b'{"a": NaN}', "infinity": b"[Infinity]", "minus-infinity": b"[-Infinity]", "overflow": b"[1e400]",
    "high-surrogate": b'["x\\ud800"]', "low-surrogate": b'["\\udc00x"]', "reversed-pair": b'["\\ude00\\ud83d"]',
    "surrogate-key": b'{"\\ud800": 1}', "text-with-a-surrogate": '["\ud800"]',
}
# A surrogate encoded in the bytes themselves: not UTF-8 (or UTF-16) at all.
UNDECODABLE = {"utf8": b'["\xed\xa0\x80"]', "utf16": '["\ud800"]'.encode("utf-16", "surrogatepass")}
READ = {
    "pair": (b'["\\ud83d\\ude00"]', ["\U0001f600"]), "escaped-backslash": (b'["\\\\ud800"]', ["\\ud800"]),
    "big-int": (b"[1" + b"0" * 400 + b"]", [10**400]), "large-float": (b"[1.7e308]", [1.7e308]),
    "text": ('{"a": "\u00e9"}', {"a": "\u00e9"}),
}


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_what_other_parsers_refuse_or_utf8_cannot_carry_is_refused(data):
    with pytest.raises(jsontext.Unportable):
        jsontext.loads(data)


@pytest.mark.parametrize("data", UNDECODABLE.values(), ids=UNDECODABLE.keys())
def test_an_encoded_surrogate_is_undecodable(data):
    with pytest.raises(UnicodeDecodeError):
        jsontext.loads(data)


@pytest.mark.parametrize(("data", "value"), READ.values(), ids=READ.keys())
def test_portable_json_is_read_like_json_loads(data, value):
    assert jsontext.loads(data) == value == json.loads(data)


def test_python_back_ends_may_read_nan_as_a_number_but_never_a_lone_surrogate():
    assert jsontext.loads(b"[NaN, Infinity, 1e400]", nan=True)[1:] == [float("inf")] * 2
    with pytest.raises(jsontext.Unportable):
        jsontext.loads(b'["\\ud800"]', nan=True)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud800", {"\udfff": 1}, [["a\ud83d"]]])
def test_the_store_keeps_nothing_json_cannot_carry(tmp_path, value):
    path = tmp_path / "state.json"
    store = Store(path, lambda table, record: record["id"], idle_compact=None)
    store.put("ns/p/things", {"id": "good"}, "good")
    with pytest.raises(jsontext.Unportable):
        store.put("ns/p/things", {"id": "bad", "value": value}, "bad")
    assert store.records("ns/p/things") == [{"id": "good"}]
    store.close()
    again = Store(path, lambda table, record: record["id"], idle_compact=None)
    assert again.records("ns/p/things") == [{"id": "good"}]
    again.close()
