"""Items in every export format through the real apify-client 3.x (sync and async): create, push, read each
format with its options, statistics; parsed back with the csv module, ElementTree and openpyxl."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import requests
from apify_client.errors import ApifyApiError, InvalidRequestError, NotFoundError
from apify_support import Api
from openpyxl import load_workbook

ITEMS = [
    {"title": "Chair", "price": 59, "tags": ["wood", "oak"], "meta": {"url": "https://e.com/1"}, "#debug": 1},
    {"title": "Desk, big", "price": 89.5, "inStock": True, "meta": {"url": "https://e.com/2", "n": None}},
    {"title": 'Lamp "LED"\nwhite', "price": None, "inStock": False},
]
SCHEMA = {"actorSpecification": 1, "fields": {
    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
    "properties": {"title": {"type": "string"}, "price": {"type": "number", "nullable": True},
                   "inStock": {"type": "boolean"}, "tags": {"type": "array"}},
    "required": ["title"]}}


@pytest.fixture(params=["sync", "async"])
def api(request, emulator) -> Api:
    return Api(request.param, emulator.url("apify"))


def stream(api: Api, dataset_id: str, **options) -> tuple[bytes, dict[str, str]]:
    """``stream_items`` (a context manager of a streaming response, async or not): the body and the headers."""
    if api.flavour == "sync":
        def action(client):
            with client.dataset(dataset_id).stream_items(**options) as response:
                return b"".join(response.iter_bytes()), dict(response.headers)
    else:
        async def action(client):
            async with client.dataset(dataset_id).stream_items(**options) as response:
                return b"".join([chunk async for chunk in response.aiter_bytes()]), dict(response.headers)
    return api.call(action)


@pytest.fixture
def dataset_id(api) -> str:
    dataset = api.call(lambda c: c.datasets().get_or_create(name="shop", schema=SCHEMA))
    api.call(lambda c: c.dataset(dataset.id).push_items(ITEMS))
    return dataset.id


def as_bytes(api: Api, dataset_id: str, **options) -> bytes:
    return api.call(lambda c: c.dataset(dataset_id).get_items_as_bytes(**options))


def test_workflow_create_push_read_every_format_statistics(api, emulator):
    """One namespace, one client flavour: the calls an integration makes after create, in order."""
    dataset = api.call(lambda c: c.datasets().get_or_create(name="workflow", schema=SCHEMA))
    api.call(lambda c: c.dataset(dataset.id).push_items(ITEMS[:2]))
    api.call(lambda c: c.dataset(dataset.id).push_items(ITEMS[2]))
    readers = {
        "json": json.loads, "jsonl": lambda body: [json.loads(line) for line in body.splitlines()],
        "csv": lambda body: list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")))),
        "html": lambda body: ET.fromstring(body).findall("tr")[1:],
        "xml": lambda body: list(ET.fromstring(body)), "rss": lambda body: ET.fromstring(body).findall("channel/item"),
        "xlsx": lambda body: list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))[1:],
    }
    for item_format, read in readers.items():
        body = as_bytes(api, dataset.id, item_format=item_format, clean=True)
        assert len(read(body)) == len(ITEMS), item_format
    assert json.loads(as_bytes(api, dataset.id, clean=True))[0] == {k: v for k, v in ITEMS[0].items() if k != "#debug"}
    statistics = api.call(lambda c: c.dataset(dataset.id).get_statistics()).field_statistics
    assert statistics["price"] == {"min": 59, "max": 89.5, "nullCount": 1}
    assert api.call(lambda c: c.dataset(dataset.id).get()).item_count == len(ITEMS)
    operations = [entry["operation"] for entry in emulator.requests(provider="apify")]
    assert operations == ["apify.datasets.create", "apify.dataset.items.push", "apify.dataset.items.push",
                          *["apify.dataset.items.list"] * (len(readers) + 1), "apify.dataset.statistics",
                          "apify.dataset.get"]


def test_json_and_jsonl(api, dataset_id):
    assert json.loads(as_bytes(api, dataset_id)) == ITEMS
    lines = as_bytes(api, dataset_id, item_format="jsonl", clean=True).decode().splitlines()
    assert [json.loads(line) for line in lines] == [{k: v for k, v in i.items() if k != "#debug"} for i in ITEMS]
    assert lines[0].startswith('{"title":"Chair","price":59,')  # compact, as Apify's jsonl example


def test_csv_flattens_nested_values_into_slash_columns(api, dataset_id):
    body = as_bytes(api, dataset_id, item_format="csv")
    assert body.startswith(b"\xef\xbb\xbf")  # csv gets a BOM unless bom=false
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == ["title", "price", "tags/0", "tags/1", "meta/url", "#debug", "inStock", "meta/n"]
    assert rows[0] == {"title": "Chair", "price": "59", "tags/0": "wood", "tags/1": "oak",
                       "meta/url": "https://e.com/1", "#debug": "1", "inStock": "", "meta/n": ""}
    assert rows[1]["title"] == "Desk, big" and rows[1]["price"] == "89.5" and rows[1]["inStock"] == "true"
    assert rows[2]["title"] == 'Lamp "LED"\nwhite' and rows[2]["price"] == "" and rows[2]["inStock"] == "false"


def test_csv_options(api, dataset_id):
    body = as_bytes(api, dataset_id, item_format="csv", bom=False, delimiter=";", skip_header_row=True,
                    fields=["price", "title"], desc=True, limit=2)
    assert not body.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(body.decode()), delimiter=";")) == [
        ["", 'Lamp "LED"\nwhite'], ["89.5", "Desk, big"]]


def test_html_escapes_every_value(api, emulator, dataset_id):
    api.call(lambda c: c.dataset(dataset_id).push_items({"title": "<script>alert(1)</script>", "price": 1}))
    body, headers = stream(api, dataset_id, item_format="html", fields=["title", "price"], offset=3)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"].startswith("default-src 'none';")  # no script runs if opened
    assert body.decode() == ("<table><tr><th>title</th><th>price</th></tr>"
                             "<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>1</td></tr></table>")


def test_xlsx_is_a_workbook_with_typed_cells(api, dataset_id):
    body = as_bytes(api, dataset_id, item_format="xlsx", omit=["#debug", "meta"])
    sheet = load_workbook(io.BytesIO(body)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["title", "price", "tags/0", "tags/1", "inStock"]
    assert rows[1] == ["Chair", 59, "wood", "oak", None]
    assert rows[2] == ["Desk, big", 89.5, None, None, True]
    assert rows[3] == ['Lamp "LED"\nwhite', None, None, None, False]


def test_xlsx_keeps_formulas_as_text(api, dataset_id):
    api.call(lambda c: c.dataset(dataset_id).push_items({"title": '=HYPERLINK("http://evil")'}))
    body = as_bytes(api, dataset_id, item_format="xlsx", offset=3)
    cell = load_workbook(io.BytesIO(body)).active["A2"]
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"


def test_xml_with_custom_root_and_row(api, dataset_id):
    body = as_bytes(api, dataset_id, item_format="xml", xml_root="products", xml_row="product", skip_hidden=True)
    root = ET.fromstring(body)
    assert root.tag == "products" and [child.tag for child in root] == ["product"] * 3
    first = root[0]
    assert [child.tag for child in first] == ["title", "price", "tags", "tags", "meta"]
    assert [tag.text for tag in first.findall("tags")] == ["wood", "oak"]
    assert first.find("meta/url").text == "https://e.com/1"
    assert root[1].find("meta/n").text is None and root[1].find("inStock").text == "true"


def test_xml_attributes_and_text_from_at_and_hash(api, dataset_id):
    item = {"title": "t", "address": [{"@": {"type": "home"}, "street": "21st"},
                                      {"@": {"type": "office"}, "#": "unknown"}],
            "bad key": 1, "9lives": 2}
    api.call(lambda c: c.dataset(dataset_id).push_items(item))
    body = as_bytes(api, dataset_id, item_format="xml", offset=3).decode()
    assert body == ('<items><item><title>t</title><address type="home"><street>21st</street></address>'
                    '<address type="office">unknown</address><bad_key>1</bad_key><_9lives>2</_9lives>'
                    "</item></items>")


def test_rss_channel(api, dataset_id):
    body = as_bytes(api, dataset_id, item_format="rss", fields=["title"], limit=1)
    channel = ET.fromstring(body).find("channel")
    assert channel.find("title").text == "Dataset shop"
    assert channel.find("description").text == f'Items in dataset with id "{dataset_id}".'
    assert [item.find("title").text for item in channel.findall("item")] == ["Chair"]
    empty = ET.fromstring(as_bytes(api, dataset_id, item_format="rss", limit=0)).find("channel")
    assert empty.findall("item") == [] and empty.find("title").text == "Dataset shop"


def test_pagination_headers_and_attachment_on_every_format(api, dataset_id):
    for item_format, content_type in [
        ("json", "application/json; charset=utf-8"), ("jsonl", "application/jsonl; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"), ("html", "text/html; charset=utf-8"),
        ("xml", "application/xml; charset=utf-8"), ("rss", "application/rss+xml; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        _, headers = stream(api, dataset_id, item_format=item_format, offset=1, limit=1, attachment=True)
        assert headers["content-type"] == content_type
        assert (headers["x-apify-pagination-offset"], headers["x-apify-pagination-limit"],
                headers["x-apify-pagination-count"], headers["x-apify-pagination-total"]) == ("1", "1", "1", "3")
        assert re.fullmatch(rf'attachment; filename="dataset_shop_\d{{4}}-\d\d-\d\d_\d\d-\d\d-\d\d\.{item_format}"',
                            headers["content-disposition"])
    _, plain = stream(api, dataset_id, item_format="csv")
    assert "content-disposition" not in plain


def test_bom_switches(api, dataset_id):
    assert as_bytes(api, dataset_id, item_format="json", bom=True).startswith(b"\xef\xbb\xbf[")
    assert as_bytes(api, dataset_id, item_format="xml", bom=True).startswith(b"\xef\xbb\xbf<items>")
    assert as_bytes(api, dataset_id, item_format="xml").startswith(b"<items>")


def test_iterate_items_unwinds_and_flattens(api, dataset_id):
    def collect(client):
        return client.dataset(dataset_id).iterate_items(unwind=["tags"], flatten=["meta"], fields=["title", "tags",
                                                                                                   "meta.url"])
    if api.flavour == "sync":
        items = list(api.call(collect))
    else:
        async def gather(client):
            return [item async for item in collect(client)]
        items = api.call(gather)
    assert items[:3] == [{"title": "Chair", "tags": "wood", "meta.url": "https://e.com/1"},
                         {"title": "Chair", "tags": "oak", "meta.url": "https://e.com/1"},
                         {"title": "Desk, big", "meta.url": "https://e.com/2"}]


def test_statistics_of_the_fields_schema(api, dataset_id):
    statistics = api.call(lambda c: c.dataset(dataset_id).get_statistics())
    assert statistics.field_statistics == {
        "title": {"min": len("Chair"), "max": len(ITEMS[2]["title"])},
        "price": {"min": 59, "max": 89.5, "nullCount": 1},
        "inStock": {"min": 0, "max": 1, "emptyCount": 1},
        "tags": {"min": 2, "max": 2, "emptyCount": 2},
    }


def test_statistics_without_a_fields_schema_are_null(api):
    plain = api.call(lambda c: c.datasets().get_or_create(name="plain"))
    assert api.call(lambda c: c.dataset(plain.id).get_statistics()).field_statistics is None


def test_push_against_the_schema_is_all_or_nothing(api, emulator, dataset_id):
    bad = [{"title": "ok"}, {"price": "cheap"}, {"title": 5, "inStock": None}]
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.dataset(dataset_id).push_items(bad))
    error = caught.value
    assert (error.status_code, error.type, str(error)) == (400, "schema-validation-error", "Schema validation failed")
    assert error.data == {"invalidItems": [
        {"itemPosition": 1, "validationErrors": [
            {"instancePath": "/price", "schemaPath": "#/properties/price/type", "keyword": "type",
             "params": {"type": "number"}, "message": "must be number"},
            {"instancePath": "", "schemaPath": "#/required", "keyword": "required",
             "params": {"missingProperty": "title"}, "message": "must have required property 'title'"}]},
        {"itemPosition": 2, "validationErrors": [
            {"instancePath": "/title", "schemaPath": "#/properties/title/type", "keyword": "type",
             "params": {"type": "string"}, "message": "must be string"},
            {"instancePath": "/inStock", "schemaPath": "#/properties/inStock/type", "keyword": "type",
             "params": {"type": "boolean"}, "message": "must be boolean"}]}]}
    assert api.call(lambda c: c.dataset(dataset_id).get()).item_count == len(ITEMS)
    assert len(emulator.state("apify", "items")) == len(ITEMS)


def test_invalid_dataset_schema_is_rejected_on_create(api, emulator):
    for schema, detail in [
        ({"fields": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}, "fields.$schema must be"),
        ({"fields": {"type": "objekt"}}, "'objekt' is not valid"),
        ({"fields": 5}, "fields must be a JSON object"),
    ]:
        with pytest.raises(InvalidRequestError) as caught:
            api.call(lambda c, s=schema: c.datasets().get_or_create(name="bad-schema", schema=s))
        assert caught.value.type == "dataset-schema-invalid"
        assert str(caught.value).startswith("Dataset schema is not valid: " + detail)
    assert emulator.state("apify", "datasets") == []


@pytest.mark.parametrize(("options", "parameter", "message"), [
    ({"item_format": "pdf"}, "format", "must be one of: json, jsonl, csv, html, xlsx, xml, rss"),
    ({"item_format": "csv", "delimiter": ";;"}, "delimiter",
     "must be a single character other than '\"', CR or LF"),
    ({"item_format": "csv", "delimiter": '"'}, "delimiter", "must be a single character other than '\"', CR or LF"),
    ({"item_format": "xml", "xml_root": "1root"}, "xmlRoot", "must be a valid XML element name"),
    ({"item_format": "xml", "xml_row": "a b"}, "xmlRow", "must be a valid XML element name"),
])
def test_invalid_parameters(api, dataset_id, options, parameter, message):
    with pytest.raises(InvalidRequestError) as caught:
        as_bytes(api, dataset_id, **options)
    assert caught.value.type == "invalid-parameter"
    assert str(caught.value) == f'Parameter "{parameter}" {message}'


def test_missing_dataset_and_unauthorised(api):
    with pytest.raises(NotFoundError) as caught:
        as_bytes(api, "nOsUcHdAtAsEt0001", item_format="csv")
    assert (caught.value.type, str(caught.value)) == ("record-not-found", "Dataset was not found")
    with pytest.raises(NotFoundError):
        api.call(lambda c: c.dataset("nOsUcHdAtAsEt0001").get_statistics())
    with pytest.raises(ApifyApiError) as caught:
        api.with_token("wrong").call(lambda c: c.dataset("nOsUcHdAtAsEt0001").get_items_as_bytes(item_format="xml"))
    assert (caught.value.status_code, caught.value.type) == (401, "user-or-token-not-found")


def test_validation_errors_read_like_ajv(api):
    fields = {"type": "object", "additionalProperties": False, "properties": {
        "kind": {"enum": ["a", "b"]}, "n": {"type": "integer", "minimum": 1}, "s": {"maxLength": 2},
        "list": {"type": "array", "items": {"type": "string"}}}}
    dataset = api.call(lambda c: c.datasets().get_or_create(name="ajv", schema={"fields": fields}))
    bad = {"kind": "c", "n": 0, "s": "abc", "list": ["x", 1], "extra": 1, "more": 2}
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.dataset(dataset.id).push_items(bad))
    (invalid,) = caught.value.data["invalidItems"]
    assert invalid["itemPosition"] == 0
    assert [(e["instancePath"], e["keyword"], e["params"], e["message"]) for e in invalid["validationErrors"]] == [
        ("", "additionalProperties", {"additionalProperty": "extra"}, "must NOT have additional properties"),
        ("", "additionalProperties", {"additionalProperty": "more"}, "must NOT have additional properties"),
        ("/kind", "enum", {"allowedValues": ["a", "b"]}, "must be equal to one of the allowed values"),
        ("/n", "minimum", {"comparison": ">=", "limit": 1}, "must be >= 1"),
        ("/s", "maxLength", {"limit": 2}, "must NOT have more than 2 characters"),
        ("/list/1", "type", {"type": "string"}, "must be string"),
    ]
    assert invalid["validationErrors"][5]["schemaPath"] == "#/properties/list/items/type"


def test_output_fields_rename_positionally(emulator, api, dataset_id):
    url = f"{emulator.url('apify')}/v2/datasets/{dataset_id}/items"
    auth = {"Authorization": f"Bearer {api.token}"}
    renamed = requests.get(url, params={"fields": "title,price", "outputFields": "name,cost", "format": "csv",
                                        "limit": 1, "bom": "0"}, headers=auth, timeout=5)
    assert renamed.text == "name,cost\nChair,59\n"
    for params, message in [({"outputFields": "a"}, 'requires the "fields" parameter'),
                            ({"fields": "title,price", "outputFields": "a"}, 'must name as many fields as "fields"')]:
        refused = requests.get(url, params=params, headers=auth, timeout=5)
        assert refused.status_code == 400 and refused.json()["error"] == {
            "type": "invalid-parameter", "message": f'Parameter "outputFields" {message}'}
