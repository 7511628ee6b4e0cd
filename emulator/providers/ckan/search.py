"""``package_search`` (``ckan/logic/action/get.py`` and ``PackageSearchQuery.run`` in ``ckan/lib/search/query.py``).

The action validates with ``default_package_search_schema``, builds Solr's parameters as CKAN does (visibility
filters, permission labels, facets) and asks the stand-in of ``search_query`` instead of Solr.
"""

from __future__ import annotations

import json
from typing import Any

from emulator import context

from . import auth, model, quirks, structure
from . import search_query as sq
from . import validators as v
from .auth import Caller
from .errors import CkanError, IntegrityError, ValidationError
from .licenses import LICENSES
from .service import asbool
from .settings import (
    SEARCH_DEFAULT_SORT,
    SEARCH_FACETS_LIMIT,
    SEARCH_ROWS_MAX,
    SOLR_ALLOWED_QUERY_PARSERS,
    VALID_SOLR_PARAMETERS,
)


class SearchQueryError(CkanError):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        return {"__type": "Search Query Error", "message": f"Search Query is invalid: {self.message!r}"}


class SearchError(CkanError):
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        return {"__type": "Search Error", "message": f"Search error: {self.message!r}"}


# ---- default_package_search_schema -----------------------------------------------------------------------


def _default(value: Any) -> Any:
    return 10 if value is None or value == "" or value is v.MISSING else value


def _limit_to_rows_max(value: Any) -> Any:
    """``limit_to_configured_maximum('ckan.search.rows_max', 1000)``: lowers, never refuses."""
    try:
        number = int(value)
    except ValueError:
        raise v.Invalid("Please enter an integer value") from None
    except (TypeError, OverflowError):  # navl lets these through: CKAN's 500
        quirks.crash("search-rows-not-a-number")
    return min(number, SEARCH_ROWS_MAX)


def _to_list_if_string(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _to_json_if_string(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise v.Invalid("Could not parse as valid JSON") from None
    return value


def _list_of_strings(value: Any) -> Any:
    if not isinstance(value, list):
        raise v.Invalid("Not a list")
    for item in value:
        if not isinstance(item, str):
            raise v.Invalid(f"Not a string: {item}")  # Python's str(): True, None, {'a': 1}
    return value


SCHEMA: dict[str, list[v.Validator]] = {
    "q": [v.ignore_missing, v.unicode_safe],
    "fl": [v.ignore_missing, _to_list_if_string],
    "fq": [v.ignore_missing, v.unicode_safe],
    "rows": [_default, v.natural_number_validator, _limit_to_rows_max],
    "sort": [v.ignore_missing, v.unicode_safe],
    "start": [v.ignore_missing, v.natural_number_validator],
    "qf": [v.ignore_missing, v.unicode_safe],
    "facet": [v.ignore_missing, v.unicode_safe],
    "facet.mincount": [v.ignore_missing, v.natural_number_validator],
    "facet.limit": [v.ignore_missing, v.int_validator],
    "facet.field": [v.ignore_missing, _to_json_if_string, _list_of_strings],
    "extras": [v.ignore_missing],
}


def _validate(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    """navl: a list of objects under any key is junk (so the key is absent); the schema's keys are validated;
    the others are put back for Solr to refuse."""
    try:
        structure.flatten(data)
    except structure.DataError as exc:
        raise IntegrityError(exc.message) from None
    junk = {k for k, value in data.items() if isinstance(value, list) and value and isinstance(value[0], dict)}
    plain = {k: value for k, value in data.items() if k not in junk}
    out: dict[str, Any] = {k: value for k, value in plain.items() if k not in SCHEMA}
    errors: dict[str, list[str]] = {}
    token = v.bind(v.Ctx(caller=caller, data=data))
    try:
        for key in sorted(SCHEMA):
            value, messages = v.run_chain(plain.get(key, v.MISSING), SCHEMA[key])
            if messages:
                errors[key] = messages
            if value is not v.MISSING:
                out[key] = value
    finally:
        v.unbind(token)
    if errors:
        raise ValidationError(errors)
    if junk:
        out["__junk"] = True
    return out


# ---- the action ------------------------------------------------------------------------------------------


def _labels(caller: Caller) -> set[str] | None:
    """``get_user_dataset_labels``; None (no filter) for a sysadmin."""
    if caller.sysadmin:
        return None
    labels = {"public"}
    if not caller.anonymous:
        labels.add(f"creator-{caller.id}")
        labels.update(f"member-{org['id']}" for org in context.table("organizations").all()
                      if auth.capacity_in(org, caller) and org.get("state", "active") == "active")
    return labels


def _dataset_labels(pkg: dict[str, Any]) -> set[str]:
    """``get_dataset_labels``."""
    if pkg.get("state") == "active" and not pkg.get("private"):
        return {"public"}
    if pkg.get("owner_org"):
        return {f"member-{pkg['owner_org']}"}
    return {f"creator-{pkg.get('creator_user_id')}"}


def _check_local_params(query: dict[str, Any]) -> None:
    """``_check_query_parser``: ``{!parser ...}`` local parameters only for the allowed parsers."""
    for param, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str) or not item.strip().startswith("{!"):
                continue
            text = item.strip()
            if "}" not in text:
                raise SearchQueryError("Could not parse incoming local parameters: substring not found")
            head = text[2:text.rindex("}")].split()
            parser = head[0] if head else ""
            parser = parser.split("=", 1)[1] if parser.startswith("type=") else parser
            if "=" in parser or parser not in SOLR_ALLOWED_QUERY_PARSERS:
                raise SearchError(f"Local parameters are not supported in param '{param}'.")


def _parse_sort(sort: str) -> list[tuple[str, bool]]:
    """Solr's sort spec: ``field dir`` pairs, comma-separated; True means descending."""
    spec = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            if sort.strip():
                raise SearchQueryError('Invalid "sort" parameter')
            continue
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise SearchQueryError('Invalid "sort" parameter')
        spec.append((words[0], words[1].lower() == "desc"))
    return spec


def _solr_error(query: dict[str, Any], problem: str) -> SearchError:
    reason = f"Solr responded with an error (HTTP 400): [Reason: {problem}]"
    return SearchError(f"SOLR returned an error running query: {query!r} Error: {reason!r}")


def _fq_list(value: Any) -> list[str]:
    """``fq.extend(query.get('fq_list', []))``: a string is extended character by character, as in CKAN."""
    if isinstance(value, list | str | dict):
        return [item if isinstance(item, str) else json.dumps(item) for item in value]
    quirks.crash("fq-list-not-iterable")


def run(query: dict[str, Any], labels: set[str] | None) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    """``PackageSearchQuery.run``: the count, the page of matching datasets (stored records) and the facets."""
    invalid = sorted(set(query) - VALID_SOLR_PARAMETERS)
    if invalid:
        raise SearchQueryError(f"Invalid search parameters: {invalid}")
    q = query.get("q")
    if not q or q in ('""', "''"):
        query["q"] = q = "*:*"
    rows = int(query.get("rows", 10))
    filters = [query["fq"]] if "fq" in query else []
    filters += _fq_list(query.get("fq_list", []))
    if not any("+state:" in item for item in filters):
        filters.append("+state:active")
    facet_on = str(query.get("facet", "true")).strip().lower() not in ("false", "off", "no")
    facet_limit = query.get("facet.limit")
    facet_limit = SEARCH_FACETS_LIMIT if facet_limit is None else facet_limit
    mincount = query.get("facet.mincount", 1)
    mincount = 1 if mincount is None else mincount
    _check_local_params(query)
    sort = _parse_sort(query.get("sort") or "score desc")
    try:
        tests = [sq.parse(f) for f in filters]
        # CKAN asks for dismax unless q names a field (then Solr's standard parser reads it).
        scorer = sq.relevance(q, lucene=":" in q or query.get("defType", "dismax") not in ("dismax", "edismax"))
    except sq.QuerySyntaxError as exc:
        raise _solr_error(query, f"org.apache.solr.search.SyntaxError: {exc}") from None
    # Solr's index: every dataset but the deleted ones (ckan.search.remove_deleted_packages), oldest change first.
    indexed = sorted((p for p in context.table("packages").all() if p.get("state") not in (None, "deleted")),
                     key=lambda p: (p.get("metadata_modified") or "", p["id"]))
    hits: list[tuple[float, dict[str, Any], sq.Doc]] = []
    for pkg in indexed:
        if labels is not None and not (_dataset_labels(pkg) & labels):
            continue
        doc = sq.document(model.package_dict(pkg))
        if not all(test(doc) for test in tests):
            continue
        score = scorer(doc)
        if score is not None:
            hits.append((score, pkg, doc))
    for field, descending in reversed(sort):
        hits.sort(key=lambda hit: _sortable(sq.sort_key(hit[2], field, hit[0]), descending), reverse=descending)
    facets = {}
    if facet_on:
        docs = [doc for _, _, doc in hits]
        facets = {field: sq.facet_counts(docs, field, facet_limit, mincount) for field in query.get("facet.field", [])}
    start = query.get("start") or 0
    page = hits[start:start + rows] if rows > 0 else []
    return len(hits), [_result(pkg, doc, query.get("fl")) for _, pkg, doc in page], facets


def _sortable(value: Any, descending: bool) -> tuple[bool, Any]:
    """Missing values last in either direction."""
    present = value is not None
    return (present if descending else not present, value if present else "")


def _result(pkg: dict[str, Any], doc: sq.Doc, fields: str | None) -> dict[str, Any]:
    if not fields or fields == "id validated_data_dict":
        return model.package_dict(pkg)
    wanted = fields.split()
    out: dict[str, Any] = {}
    for field in wanted:
        if field == "validated_data_dict":
            out[field] = json.dumps(model.package_dict(pkg))
        elif isinstance(doc.get(field), list):
            out[field] = sq.values(doc, field)
        elif sq.values(doc, field):
            out[field] = doc[field] if isinstance(doc[field], bool | int) else sq.values(doc, field)[0]
    extras = {k[len("extras_"):]: out.pop(k) for k in list(out) if k.startswith("extras_")}
    out.update(extras)
    return out


def search(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    """The action's body after validation (``package_search`` as ``group_dictize`` calls it too)."""
    for key in [k for k in data if isinstance(k, str) and k.startswith("ext_")]:
        data.pop(key)
    data["df"] = "text"
    if data.get("sort") in (None, "rank"):
        data["sort"] = SEARCH_DEFAULT_SORT
    asbool(data.pop("use_default_schema", False))
    result_fl = data.get("fl")
    if not result_fl:
        data["fl"] = "id validated_data_dict"
    elif isinstance(result_fl, list) and all(isinstance(f, str) for f in result_fl):
        data["fl"] = " ".join(result_fl)
    else:
        quirks.crash("search-fl-not-text")
    data.setdefault("fq", "")
    include_private = asbool(data.pop("include_private", False))
    include_drafts = asbool(data.pop("include_drafts", False))
    include_deleted = asbool(data.pop("include_deleted", False))
    if not include_private:
        data["fq"] = "+capacity:public " + data["fq"]
    if "+state" not in data["fq"]:
        states = ["active"] + ["draft"] * include_drafts + ["deleted"] * include_deleted
        data["fq"] += " +state:({})".format(" OR ".join(states))
    data.pop("extras", None)
    count, results, facets = run(data, _labels(caller))
    return {"count": count, "facets": facets, "results": results, "sort": data["sort"],
            "search_facets": _search_facets(facets)}


def _search_facets(facets: dict[str, dict[str, int]]) -> dict[str, Any]:
    titles = {g["name"]: g.get("title") for table in ("organizations", "groups")
              for g in context.table(table).all()}
    out: dict[str, Any] = {}
    for field, counts in facets.items():
        items = []
        for name, count in counts.items():
            display = name
            if field in ("groups", "organization"):
                title = titles.get(name) or name
                display = title if title.strip() else name
            elif field == "license_id" and name in LICENSES:
                display = LICENSES[name][0]
            items.append({"name": name, "display_name": display, "count": count})
        out[field] = {"title": field, "items": sorted(items, key=lambda i: i["display_name"], reverse=True)}
    return out


def package_search(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return search(caller, _validate(caller, data))
