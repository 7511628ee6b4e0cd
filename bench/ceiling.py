"""The ceiling: a trivial Flask endpoint returning fixed JSON, on the emulator's own waitress set-up."""

from __future__ import annotations

import sys

from flask import Flask

from emulator.server import BackgroundServer

BODY = {"id": "fixed", "name": "fixed", "createdAt": "2026-01-01T00:00:00.000Z"}


def main() -> int:
    app = Flask("ceiling")

    @app.route("/fixed", methods=["GET", "POST"])
    def fixed():
        return BODY

    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    server = BackgroundServer(port=0, threads=threads)  # same create_server options as `serve`
    print(f"ceiling listening on {server.url}", flush=True)
    server.run(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
