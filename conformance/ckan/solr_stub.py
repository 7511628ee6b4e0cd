"""A stand-in for Solr on loopback, so a real CKAN runs without Java: standard library only.

CKAN fetches the schema at start-up (and checks its name and version) and indexes each dataset it saves;
this answers the schema request, acknowledges every update and answers every search with no hits.
``package_show`` and ``package_list`` read PostgreSQL, so they are unaffected; ``package_search`` is not
usable against it.

Usage: python solr_stub.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCHEMA = b'<?xml version="1.0" encoding="UTF-8"?><schema name="ckan-2.11" version="1.6"></schema>'
UPDATED = json.dumps({"responseHeader": {"status": 0, "QTime": 0}}).encode()
NO_HITS = json.dumps({"responseHeader": {"status": 0, "QTime": 0, "params": {}},
                      "response": {"numFound": 0, "start": 0, "docs": []}}).encode()


class Handler(BaseHTTPRequestHandler):
    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if "/schema" in self.path or "admin/file" in self.path:
            body, content_type = SCHEMA, "application/xml"
        elif "/update" in self.path:
            body, content_type = UPDATED, "application/json"
        else:
            body, content_type = NO_HITS, "application/json"
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
