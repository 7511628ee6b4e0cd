"""pytest-httpserver with one canned handler: the hand-written stub a test suite would use instead.

Run as ``python -m bench.stub_httpserver PORT``; serves until terminated.
"""

from __future__ import annotations

import signal
import sys

from pytest_httpserver import HTTPServer

from .peers import CANNED_CREATE


def main() -> int:
    server = HTTPServer(host="127.0.0.1", port=int(sys.argv[1]))  # its defaults, as a test suite gets them
    server.expect_request("/v2/datasets", method="POST").respond_with_json(CANNED_CREATE, status=201)
    server.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    server.stop()
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})  # delivered to sigwait only
    sys.exit(main())
