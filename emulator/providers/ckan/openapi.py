"""The CKAN actions served here, as OpenAPI paths built from the validating marshmallow schemas.

CKAN answers in three shapes: its JSON envelope (``help``, ``success``, ``result`` or ``error`` with
``__type``), a bare JSON string for a body it cannot read or an unknown action, and Flask's HTML pages for
what never reaches an action (unknown URL, wrong method, oversized body). Each is described where it occurs.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from .schemas import PackageSchema

JSON = "application/json"
HTML = "text/html"
PREFIXES = ("/api/action", "/api/3/action")  # ckanapi calls the first; the versioned alias is the same view
ERROR_TYPES = ["Authorization Error", "Not Found Error", "Validation Error", "Integrity Error",
               "Internal Server Error", "Search Query Error", "Search Error"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _success(result: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["help", "success", "result"], "properties": {
        "help": {"type": "string"}, "success": {"const": True}, "result": result}}


ERROR_ENVELOPE = {"type": "object", "required": ["help", "success", "error"], "properties": {
    "help": {"type": ["string", "null"]}, "success": {"const": False},
    "error": {"type": "object", "required": ["__type"], "properties": {
        "__type": {"enum": ERROR_TYPES}, "message": {"type": "string"},
        "data": {"type": "object", "description": "Integrity Error only"}},
        "additionalProperties": {"description": "Validation Error: field name -> list of messages"}}}}
BARE_STRING = {"type": "string", "description": 'e.g. "Bad request - JSON Error: ..." or '
                                                '"Bad request - Action name not known: x"'}
HTML_PAGE = {"type": "string", "description": "Flask's HTML error page, titled 'Error <status> - CKAN'"}

# name -> response object, all reusable.
RESPONSES: dict[str, dict[str, Any]] = {
    "BadRequest": {"description": "a bare JSON string (unreadable body, unknown action, GET of a write action) or "
                                  "the Integrity Error envelope (a list field that is not a list of objects)",
                   "content": {JSON: {"schema": _ref("BadRequest")}}},
    "Forbidden": {"description": "Authorization Error (a missing or unknown token is anonymous: no 401)",
                  "content": {JSON: {"schema": _ref("Error")}}},
    "NotFound": {"description": "Not Found Error (unknown dataset, group or organization)",
                 "content": {JSON: {"schema": _ref("Error")}}},
    "Conflict": {"description": "Validation Error: field -> messages", "content": {JSON: {"schema": _ref("Error")}}},
    "PayloadTooLarge": {"description": "Flask's HTML 413 page", "content": {HTML: {"schema": _ref("HtmlPage")}}},
    "UnsupportedMediaType": {"description": "Flask's HTML 415 page (a JSON body in an unsupported charset)",
                             "content": {HTML: {"schema": _ref("HtmlPage")}}},
    "InternalError": {"description": "Internal Server Error envelope: bodies CKAN 2.11.5 itself crashes on (a "
                                     "numeric 'private', a NUL character, an object as an extras value...)",
                      "content": {JSON: {"schema": _ref("Error")}}},
}


def _errors(*names: str) -> dict[str, Any]:
    statuses = {"BadRequest": 400, "Forbidden": 403, "NotFound": 404, "Conflict": 409, "PayloadTooLarge": 413,
                "UnsupportedMediaType": 415, "InternalError": 500}
    return {str(statuses[n]): {"$ref": f"#/components/responses/{n}"} for n in names}


def _ok(result: dict[str, Any], description: str) -> dict[str, Any]:
    return {"200": {"description": description, "content": {JSON: {"schema": _success(result)}}}}


def _body(schema: dict[str, Any], example: dict[str, Any] | None = None) -> dict[str, Any]:
    # CKAN also reads form posts (a multipart upload, or one form field holding the JSON).
    media = {"schema": schema, **({"example": example} if example else {})}
    return {"required": True, "content": {JSON: media, "multipart/form-data": {"schema": {"type": "object"}},
                                          "application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


ID_BODY = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string",
                                                                       "description": "id or name"}}}
WRITE_ERRORS = ("BadRequest", "Forbidden", "NotFound", "Conflict", "PayloadTooLarge", "UnsupportedMediaType")


def add_paths(spec: APISpec) -> None:
    spec.components.security_scheme("apiToken", {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "the raw API token, no scheme (the header name follows ckan.apitoken_header_name)"})
    spec.components.schema("Package", schema=PackageSchema)
    spec.components.schema("Error", ERROR_ENVELOPE)
    spec.components.schema("BadRequest", {"oneOf": [BARE_STRING, _ref("Error")]})
    spec.components.schema("HtmlPage", HTML_PAGE)
    for name, response in RESPONSES.items():
        spec.components.response(name, response)
    # A missing token is not refused: the caller is anonymous, and authorization decides (403).
    security = [{}, {"apiToken": []}]
    package = {"type": "object", "description": "the package dictionary, as package_show returns it"}

    for prefix in PREFIXES:
        tag = "" if prefix == PREFIXES[0] else " (versioned alias)"
        spec.path(f"{prefix}/package_create", operations={"post": {
            "operationId": f"{prefix}/package_create", "security": security,
            "summary": "Create a dataset (auth, then structure, then validation)" + tag,
            "requestBody": _body(_ref("Package"), {"name": "example-dataset", "title": "Example",
                                                    "owner_org": "test-org", "tags": [{"name": "example"}]}),
            "responses": {**_ok(package, "the new package"), **_errors(*WRITE_ERRORS, "InternalError")}}})
        spec.path(f"{prefix}/package_show", operations={
            "get": {"operationId": f"{prefix}/package_show GET", "security": security, "summary": "A dataset" + tag,
                    "parameters": [{"name": "id", "in": "query", "required": True, "schema": {"type": "string"}}],
                    "responses": {**_ok(package, "the package"), **_errors("BadRequest", "Forbidden", "NotFound",
                                                                           "Conflict", "InternalError")}},
            "post": {"operationId": f"{prefix}/package_show", "security": security, "summary": "A dataset" + tag,
                     "requestBody": _body(ID_BODY),
                     "responses": {**_ok(package, "the package"), **_errors(*WRITE_ERRORS, "InternalError")}}})
        spec.path(f"{prefix}/package_delete", operations={"post": {
            "operationId": f"{prefix}/package_delete", "security": security,
            "summary": "Mark a dataset deleted" + tag, "requestBody": _body(ID_BODY),
            "responses": {**_ok({"type": "null"}, "deleted"), **_errors(*WRITE_ERRORS, "InternalError")}}})
        spec.path(f"{prefix}/package_patch", operations={"post": {
            "operationId": f"{prefix}/package_patch", "security": security,
            "summary": "Change the given fields of a dataset" + tag,
            "requestBody": _body({"allOf": [_ref("Package"), ID_BODY]}),
            "responses": {**_ok(package, "the updated package"), **_errors(*WRITE_ERRORS, "InternalError")}}})
        spec.path(f"{prefix}/package_list", operations={"get": {
            "operationId": f"{prefix}/package_list", "security": security,
            "summary": "Names of the public active datasets" + tag,
            "parameters": [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 0}}
                           for n in ("limit", "offset")],
            "responses": {**_ok({"type": "array", "items": {"type": "string"}}, "names, sorted"),
                          **_errors("BadRequest", "Conflict", "InternalError")}}})

        spec.path(f"{prefix}/package_update", operations={"post": {
            "operationId": f"{prefix}/package_update", "security": security,
            "summary": "Replace a dataset: absent lists and text fields are cleared (name, owner_org, private "
                       "kept)" + tag,
            "requestBody": _body({"allOf": [_ref("Package"), ID_BODY]}),
            "responses": {**_ok(package, "the updated package"), **_errors(*WRITE_ERRORS, "InternalError")}}})
        _resource_paths(spec, prefix, tag, security)
        _site_paths(spec, prefix, tag, security)
        _search_paths(spec, prefix, tag, security)

    spec.path("/dataset/{id}/resource/{resource_id}/download/{filename}", operations={"get": {
        "operationId": "resource.download", "security": security,
        "summary": "An uploaded file's bytes (any file name; the url a resource shows), or a redirect to a "
                   "linked resource's url",
        "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                       for n in ("id", "resource_id", "filename")],
        "responses": {"200": {"description": "the file, inline, typed by the resource's mimetype",
                              "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                  "format": "binary"}}}},
                      "302": {"description": "a linked resource: to its url"},
                      "403": {"description": "Flask's HTML 403 page (no read access to the dataset)",
                              "content": {HTML: {"schema": _ref("HtmlPage")}}},
                      "404": {"description": "Flask's HTML 404 page",
                              "content": {HTML: {"schema": _ref("HtmlPage")}}}}}})

    version = {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}
    spec.path("/api", operations={"get": {
        "operationId": "api.version", "summary": "API version root",
        "responses": {"200": {"description": '{"version": 1}', "content": {JSON: {"schema": version}}}}}})
    spec.path("/api/{ver}", operations={"get": {
        "operationId": "api.version.n", "summary": "Version roots /api/1 to /api/3",
        "parameters": [{"name": "ver", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": '{"version": N}', "content": {JSON: {"schema": version}}},
                      "404": {"description": "anything but 1, 2 or 3: Flask's HTML 404 page",
                              "content": {HTML: {"schema": _ref("HtmlPage")}}}}}})


RESOURCE = {"type": "object", "description": "the resource dictionary, as resource_show returns it"}
RESOURCE_BODY = {"type": "object", "description": "resource fields (url, name, format, ...; unknown keys are kept "
                 "as resource extras). As multipart/form-data, an ``upload`` file part stores the file.",
                 "properties": {"url": {"type": "string"}, "name": {"type": "string"},
                                "description": {"type": "string"}, "format": {"type": "string"}}}


def _resource_paths(spec: APISpec, prefix: str, tag: str, security: list[dict[str, Any]]) -> None:
    """The resource actions: each is a package_update of the resource's dataset."""
    with_package = {"allOf": [RESOURCE_BODY, {"type": "object", "required": ["package_id"], "properties": {
        "package_id": {"type": "string", "description": "the dataset's id or name"}}}]}
    with_id = {"allOf": [RESOURCE_BODY, ID_BODY]}
    writes = {**_errors(*WRITE_ERRORS, "InternalError")}
    for action, summary, body, result in (
            ("resource_create", "Add a resource (JSON, or multipart with an 'upload' file)", with_package, RESOURCE),
            ("resource_update", "Replace a resource (fields not given are cleared)", with_id, RESOURCE),
            ("resource_patch", "Change the given fields of a resource", with_id, RESOURCE),
            ("resource_delete", "Remove a resource from its dataset", ID_BODY, {"type": "null"}),
            ("resource_show", "A resource", ID_BODY, RESOURCE)):
        spec.path(f"{prefix}/{action}", operations={"post": {
            "operationId": f"{prefix}/{action}", "security": security, "summary": summary + tag,
            "requestBody": _body(body), "responses": {**_ok(result, "the resource" if result is RESOURCE else
                                                            "deleted"), **writes}}})


def _site_paths(spec: APISpec, prefix: str, tag: str, security: list[dict[str, Any]]) -> None:
    """Side-effect-free reads: GET with query parameters (or POST with a JSON body)."""
    def query(*names: str) -> list[dict[str, Any]]:
        return [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]

    items = {"type": "array", "items": {}}
    for action, summary, params, result in (
            ("status_show", "Site, version and plugins", (), {"type": "object"}),
            ("organization_list", "Organization names (all_fields: dicts), by title", (
                "all_fields", "sort", "q", "limit", "offset"), items),
            ("group_list", "Group names (all_fields: dicts), by title", (
                "all_fields", "sort", "q", "limit", "offset"), items),
            ("organization_list_for_user", "The caller's (or id's) organizations with a permission", (
                "id", "permission"), items),
            ("tag_list", "Free tags in use", ("query", "q", "all_fields"), items)):
        spec.path(f"{prefix}/{action}", operations={"get": {
            "operationId": f"{prefix}/{action}", "security": security, "summary": summary + tag,
            "parameters": query(*params),
            "responses": {**_ok(result, summary), **_errors("BadRequest", "NotFound", "Conflict", "InternalError")}}})


SEARCH_RESULT = {"type": "object", "required": ["count", "facets", "results", "sort", "search_facets"], "properties": {
    "count": {"type": "integer"}, "facets": {"type": "object"}, "results": {"type": "array", "items": {}},
    "sort": {"type": "string"}, "search_facets": {"type": "object"}}}
SEARCH_PARAMETERS = {
    "q": "Solr query: plain words (dismax over name, title, tags, groups, text) or field:value syntax",
    "fq": "filter query, e.g. tags:economy +organization:test-org", "sort": "e.g. name asc, metadata_modified desc",
    "rows": "page size (default 10, at most 1000)", "start": "offset", "facet": "false turns facets off",
    "facet.field": 'JSON list of fields, e.g. ["tags","res_format"]', "facet.limit": "values per facet field",
    "facet.mincount": "smallest count shown", "include_private": "private datasets of the caller's organizations",
    "include_drafts": "draft datasets the caller may see", "fl": "fields to return instead of whole datasets"}
GROUP_SHOW_PARAMETERS = ("id", "include_datasets", "include_dataset_count", "include_users", "include_extras",
                         "include_groups", "include_tags", "include_followers", "include_member_count")


def _search_paths(spec: APISpec, prefix: str, tag: str, security: list[dict[str, Any]]) -> None:
    """package_search and the group/organization reads built on it; dataset_purge."""
    search_errors = _errors("BadRequest", "Conflict", "InternalError")
    parameters = [{"name": n, "in": "query", "schema": {"type": "string"}, "description": d}
                  for n, d in SEARCH_PARAMETERS.items()]
    body = {"type": "object", "properties": {n: {} for n in SEARCH_PARAMETERS}}
    spec.path(f"{prefix}/package_search", operations={
        "get": {"operationId": f"{prefix}/package_search GET", "security": security,
                "summary": "Search datasets (unknown parameters are a 400 Search Query Error)" + tag,
                "parameters": parameters, "responses": {**_ok(SEARCH_RESULT, "the page and its facets"),
                                                        **search_errors}},
        "post": {"operationId": f"{prefix}/package_search", "security": security,
                 "summary": "Search datasets" + tag, "requestBody": _body(body),
                 "responses": {**_ok(SEARCH_RESULT, "the page and its facets"),
                               **_errors(*WRITE_ERRORS, "InternalError")}}})
    group = {"type": "object", "description": "the group or organization, with package_count, users, packages"}
    for action, what in (("organization_show", "An organization"), ("group_show", "A group")):
        spec.path(f"{prefix}/{action}", operations={"get": {
            "operationId": f"{prefix}/{action}", "security": security, "summary": what + tag,
            "parameters": [{"name": n, "in": "query", "required": n == "id", "schema": {"type": "string"}}
                           for n in GROUP_SHOW_PARAMETERS],
            "responses": {**_ok(group, what), **_errors("BadRequest", "Forbidden", "NotFound", "Conflict",
                                                        "InternalError")}}})
    spec.path(f"{prefix}/dataset_purge", operations={"post": {
        "operationId": f"{prefix}/dataset_purge", "security": security,
        "summary": "Remove a dataset for good (sysadmins only)" + tag, "requestBody": _body(ID_BODY),
        "responses": {**_ok({"type": "null"}, "purged"), **_errors(*WRITE_ERRORS, "InternalError")}}})
