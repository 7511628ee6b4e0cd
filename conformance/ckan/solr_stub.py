"""A stand-in for Solr on loopback, so a real CKAN runs without Java: standard library only.

CKAN fetches the schema at start-up (and checks its name and version), indexes each dataset it saves and
removes each one it deletes. This keeps the indexed documents and answers searches from them, so the
conformance scenarios can compare ``package_search`` results, facets and the dataset counts of organizations
with a real CKAN. It is not Solr: of a search it applies only the filters CKAN itself adds (``+capacity:public``,
``+state:...``, ``+permission_labels:...``) and a ``name:"x" OR id:"x"`` look-up; the user's ``q`` and ``fq``
are ignored, so a scenario that searches must create exactly the datasets its query matches (everything else
it creates is deleted by the harness's cleanup, and a deleted dataset leaves the index). Sorting knows
``name``, ``metadata_modified`` and ``metadata_created``; facets count every value of the field.

Usage: python solr_stub.py PORT
"""

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock
from typing import Any
from urllib.parse import parse_qs, urlparse

SCHEMA = b'<?xml version="1.0" encoding="UTF-8"?><schema name="ckan-2.11" version="1.6"></schema>'
UPDATED = json.dumps({"responseHeader": {"status": 0, "QTime": 0}}).encode()
SORTABLE = ("name", "metadata_modified", "metadata_created")
DOCS: dict[str, dict[str, Any]] = {}
LOCK = Lock()


def _first(params: dict[str, list[str]], key: str, default: str) -> str:
    return (params.get(key) or [default])[0]


def _visible(docs: list[dict[str, Any]], filters: list[str]) -> list[dict[str, Any]]:
    for fq in filters:
        if "+capacity:public" in fq:
            docs = [d for d in docs if d.get("capacity") == "public"]
        states = re.search(r"\+state:\(([^)]*)\)", fq)
        if states:
            wanted = {s.strip() for s in states.group(1).split(" OR ")}
            docs = [d for d in docs if d.get("state") in wanted]
        elif re.search(r"\+state:active\b", fq):
            docs = [d for d in docs if d.get("state") == "active"]
        labels = re.search(r"\+permission_labels:\(([^)]*)\)", fq)
        if labels:
            wanted = {s.strip().strip('"') for s in labels.group(1).split(" OR ")}
            docs = [d for d in docs if wanted & set(d.get("permission_labels") or [])]
    return docs


def _facets(docs: list[dict[str, Any]], params: dict[str, list[str]]) -> dict[str, list[Any]]:
    limit, mincount = int(_first(params, "facet.limit", "50")), int(_first(params, "facet.mincount", "1"))
    fields = {}
    for field in params.get("facet.field", []):
        counts: dict[str, int] = {}
        for doc in docs:
            value = doc.get(field)
            for item in {str(v) for v in (value if isinstance(value, list) else [value]) if v is not None}:
                counts[item] = counts.get(item, 0) + 1
        ordered = sorted(((v, c) for v, c in counts.items() if c >= mincount), key=lambda vc: (-vc[1], vc[0]))
        fields[field] = [x for pair in (ordered if limit < 0 else ordered[:limit]) for x in pair]
    return fields


def select(params: dict[str, list[str]]) -> dict[str, Any]:
    with LOCK:
        docs = list(DOCS.values())
    lookup = re.fullmatch(r'name:"([^"]*)" OR id:"([^"]*)"', _first(params, "q", ""))
    if lookup:  # package_show asking the index for one dataset
        docs = [d for d in docs if d.get("name") == lookup.group(1) or d.get("id") == lookup.group(2)]
    docs = _visible(docs, params.get("fq", []))
    for part in reversed([p.split() for p in _first(params, "sort", "").split(",") if p.strip()]):
        if len(part) == 2 and part[0] in SORTABLE:
            docs.sort(key=lambda d: d.get(part[0]) or "", reverse=part[1] == "desc")
    start, rows = int(_first(params, "start", "0")), int(_first(params, "rows", "10"))
    fields = _first(params, "fl", "").split()
    page = [{k: v for k, v in d.items() if not fields or k in fields} for d in docs[start:start + rows]]
    answer: dict[str, Any] = {"responseHeader": {"status": 0, "QTime": 0},
                              "response": {"numFound": len(docs), "start": start, "docs": page}}
    if _first(params, "facet", "true") == "true":
        answer["facet_counts"] = {"facet_fields": _facets(docs, params)}
    return answer


def update(body: str) -> None:
    """pysolr adds documents as a JSON list and deletes by query (``... id:"<id>" ...``) in XML."""
    with LOCK:
        if body.startswith("["):
            for doc in json.loads(body):
                DOCS[doc["id"]] = doc
        for match in re.finditer(r'id:(?:\\?"|&quot;)([0-9a-f-]{36})', body):
            DOCS.pop(match.group(1), None)
        if "<query>*:*</query>" in body:
            DOCS.clear()


class Handler(BaseHTTPRequestHandler):
    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            params.update(parse_qs(data.decode("utf-8", "replace"), keep_blank_values=True))
        if "/schema" in url.path or "admin/file" in url.path:
            body, content_type = SCHEMA, "application/xml"
        elif "/update" in url.path:
            update(data.decode("utf-8", "replace"))
            body, content_type = UPDATED, "application/json"
        else:
            body, content_type = json.dumps(select(params)).encode(), "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = answer

    def log_message(self, *args) -> None:
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
