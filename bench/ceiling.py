"""The floor of the emulator's stack: a trivial Flask endpoint answering the stubs' canned JSON on its waitress set-up.

Run as ``python -m bench.ceiling PORT``."""

from __future__ import annotations

import sys

from flask import Flask

from emulator.server import BackgroundServer

from .peers import CANNED_CREATE


def main() -> int:
    app = Flask("ceiling")

    @app.route("/fixed", methods=["GET", "POST"])
    def fixed():
        return CANNED_CREATE

    server = BackgroundServer(port=int(sys.argv[1]))  # same create_server options as `serve`
    server.run(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
