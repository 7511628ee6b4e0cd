"""Fixture costs, measured in a fresh process: in-thread server start, a per-test namespace, stop.

Prints one JSON object of medians in milliseconds.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.request

REPEAT = 15


def main() -> int:
    started = time.perf_counter()
    from emulator.app import create_app
    from emulator.config import Settings
    from emulator.pytest_plugin import Emulator
    from emulator.server import BackgroundServer
    imports = time.perf_counter() - started

    starts, namespaces, stops = [], [], []
    for round_no in range(REPEAT):
        # What the session fixture does, until the server answers a request.
        t0 = time.perf_counter()
        server = BackgroundServer(port=0)
        app = create_app(Settings(state=None, port=server.port))
        server.start(app)
        with urllib.request.urlopen(f"{server.url}/_emulator/health", timeout=10) as resp:
            resp.read()
        starts.append(time.perf_counter() - t0)

        # What the per-test fixture does: a handle on a new namespace, which holds the default world
        # from its first use on. Measured in-process, without the HTTP round trip of that first use.
        platform = app.extensions["emulator"]
        for i in range(20):
            context = app.test_request_context()  # the merge runs inside a request, as in the server
            context.push()
            t0 = time.perf_counter()
            handle = Emulator(server.url, f"t-{round_no}-{i}")
            platform.ensure_namespace(handle.namespace)
            namespaces.append(time.perf_counter() - t0)
            context.pop()

        t0 = time.perf_counter()
        server.stop()
        platform.close()
        stops.append(time.perf_counter() - t0)

    print(json.dumps({"imports_ms": imports * 1e3, "start_ms": statistics.median(starts) * 1e3,
                      "namespace_ms": statistics.median(namespaces) * 1e3,
                      "stop_ms": statistics.median(stops) * 1e3}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
