"""The Apify routes. Each path has one Flask rule taking every verb, so ``?method=`` overrides and Apify's
405 (which lists the path's verbs) are decided here, in the order Apify checks: route, method, token, body."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, request

from emulator import framing

from ..base import operation
from . import auth, body, errors, item_schema, service
from .formats import BOM, export_headers, export_of, render
from .item_schema import field_statistics
from .items import shape
from .model import dataset_urls, render_dataset, render_list_item
from .schemas import (
    CreateDatasetBody,
    CreateDatasetQuery,
    ListDatasetsQuery,
    ListItemsQuery,
    UpdateDatasetBody,
    load,
    load_query,
)
from .settings import HTTP_METHODS, UNLIMITED_ITEMS

# Schemas are stateless: built once, not per request (building one deep-copies its fields).
LIST_DATASETS_QUERY = ListDatasetsQuery()
CREATE_DATASET_BODY = CreateDatasetBody()
CREATE_DATASET_QUERY = CreateDatasetQuery()
UPDATE_DATASET_BODY = UpdateDatasetBody()
LIST_ITEMS_QUERY = ListItemsQuery()

Handler = Callable[..., Response]


@operation("datasets.list")
def list_datasets() -> Response:
    user = auth.authenticate()
    query = load_query(LIST_DATASETS_QUERY, request.args)
    listing = service.list_datasets(user, query)
    page = listing.pop("page")
    items = [render_list_item(d, user["username"]) for d in page]
    return framing.json({"data": {"total": listing["total"], "offset": listing["offset"], "limit": listing["limit"],
                                   "desc": listing["desc"], "count": len(items), "items": items,
                                   "unnamed": listing["unnamed"]}})


@operation("datasets.create")
def create_dataset() -> Response:
    user = auth.authenticate()
    data = body.json_object_body()
    payload = load(CREATE_DATASET_BODY, data) if data else {}  # clients send no body: nothing to validate
    item_schema.check(payload.get("schema"))
    name = load_query(CREATE_DATASET_QUERY, request.args).get("name")
    dataset, created = service.get_or_create(user, name, payload.get("schema"))
    urls = dataset_urls(dataset["id"])
    rendered = {"data": render_dataset(dataset, urls[1])}
    return framing.json(rendered, 201, {"Location": urls[0]}) if created else framing.json(rendered)


@operation("dataset.get")
def get_dataset(ref: str) -> Response:
    user = auth.authenticate(required=False)
    dataset = service.touch(service.resolve(ref, user, write=False))
    return framing.json({"data": render_dataset(dataset)})


@operation("dataset.update")
def update_dataset(ref: str) -> Response:
    user = auth.authenticate()
    changes = load(UPDATE_DATASET_BODY, body.json_object_body())
    return framing.json({"data": render_dataset(service.update(ref, user, changes))})


@operation("dataset.delete")
def delete_dataset(ref: str) -> Response:
    service.delete(ref, auth.authenticate())
    return framing.empty(204)


@operation("dataset.items.push")
def push_items(ref: str) -> Response:
    user = auth.authenticate()
    dataset = service.push(ref, user, body.json_body())
    return framing.empty(201, {"Location": dataset_urls(dataset["id"])[1]})


@operation("dataset.items.list")
def list_items(ref: str) -> Response:
    user = auth.authenticate(required=False)
    query = load_query(LIST_ITEMS_QUERY, request.args)
    dataset = service.resolve(ref, user, write=False, signature=query.get("signature"))
    offset, limit, desc = query.get("offset", 0), query.get("limit"), query.get("desc", False)
    rows = service.page_rows(dataset, offset, limit, desc)
    clean = query.get("clean", False)
    items = list(shape(rows, unwind=query.get("unwind", []), flatten=query.get("flatten", []),
                       skip_hidden=clean or query.get("skipHidden", False),
                       skip_empty=clean or query.get("skipEmpty", False),
                       fields=query.get("fields_"), omit=query.get("omit", []),
                       output_fields=query.get("outputFields")))
    dataset = service.touch(dataset, reads=1)
    headers = {
        "X-Apify-Pagination-Total": str(dataset.get("itemCount", 0)),
        "X-Apify-Pagination-Offset": str(offset),
        "X-Apify-Pagination-Count": str(len(rows)),
        "X-Apify-Pagination-Limit": str(limit if limit is not None else UNLIMITED_ITEMS),
        "X-Apify-Pagination-Desc": "true" if desc else "false",
    }
    export = export_of(query, dataset)
    headers.update(export_headers(export, query.get("attachment", False)))
    if export.format == "json":
        response = framing.json(items, 200, headers)
        if export.with_bom():
            response.set_data(BOM.encode() + response.get_data())
        return response
    return framing.body(render(items, export), 200, export.content_type, headers)


@operation("dataset.statistics")
def statistics(ref: str) -> Response:
    user = auth.authenticate(required=False)
    dataset = service.resolve(ref, user, write=False)
    rows = service.page_rows(dataset, 0, None, False)
    return framing.json({"data": {"fieldStatistics": field_statistics(dataset.get("schema"), rows)}})


ROUTES: dict[str, dict[str, Handler]] = {
    "/v2/datasets": {"GET": list_datasets, "POST": create_dataset},
    "/v2/datasets/<ref>": {"GET": get_dataset, "PUT": update_dataset, "DELETE": delete_dataset},
    "/v2/datasets/<ref>/items": {"GET": list_items, "HEAD": list_items, "POST": push_items},
    "/v2/datasets/<ref>/statistics": {"GET": statistics},
}


def effective_method() -> str:
    """``?method=PUT`` makes any request a PUT (Apify's method override)."""
    # Asked first: a MultiDict miss costs werkzeug an exception (BadRequestKeyError), on every request.
    override = request.args.get("method") if "method" in request.args else None
    return (override or request.method).upper()


def _preflight(handlers: dict[str, Handler]) -> Response:
    response = framing.empty(204)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ", ".join(handlers)
    response.headers["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers", "*")
    return response


def _dispatcher(handlers: dict[str, Handler]) -> Callable[..., Response]:
    def dispatch(**view_args: str) -> Response:
        method = effective_method()
        if method == "OPTIONS":
            return _preflight(handlers)
        handler = handlers.get(method)
        if handler is None:
            raise errors.method_not_allowed(handlers)
        return handler(**view_args)  # each handler is an @operation: the platform names it when reached

    return dispatch


def build_blueprint() -> Blueprint:
    bp = Blueprint("apify", __name__)
    for index, (rule, handlers) in enumerate(ROUTES.items()):
        bp.add_url_rule(rule, f"route{index}", _dispatcher(handlers), methods=HTTP_METHODS, strict_slashes=False,
                        provide_automatic_options=False)

    @bp.errorhandler(errors.ApifyError)
    def apify_error(exc: errors.ApifyError) -> Response:
        return exc.response()

    return bp
