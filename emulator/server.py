"""Serving the app with waitress, in the foreground (CLI) or in a background thread (pytest plugin)."""

from __future__ import annotations

import resource
import threading

from flask import Flask
from waitress.server import create_server

from .config import Settings

#: Connections served at once, at most (fewer when the process may open fewer files).
MAX_CONNECTIONS = 10_000
BODY_READ_FACTOR = 4


def limits(max_body: int, idle_timeout: int, max_upload: int = Settings.max_upload) -> dict[str, int | bool]:
    """waitress settings that keep clients that send slowly, or too much, from starving the others.

    waitress reads requests on one I/O thread without blocking and hands a request to a worker thread only once
    it is complete, so slow headers or bodies hold no thread: what they hold is a connection, and waitress stops
    accepting any at ``connection_limit`` (100 by default, 98 clients). So: many more connections (poll() has
    no select() limit of 1024 descriptors), each costing up to two descriptors (a large body goes to a temporary
    file); connections that send nothing for ``idle_timeout`` seconds are closed, checked every second; and a
    body declared larger than ``BODY_READ_FACTOR`` times ``max_body``, and than ``max_upload`` (waitress cannot
    tell routes apart), is refused (waitress's plain 413) before it is read. Bodies in between are read
    (into a temporary file) so that the client, which is still sending, gets the provider's own 413 rather than
    a connection reset.
    """
    descriptors = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if descriptors == resource.RLIM_INFINITY:
        descriptors = MAX_CONNECTIONS * 2
    return {"asyncore_use_poll": True, "connection_limit": max(100, min(MAX_CONNECTIONS, (descriptors - 64) // 2)),
            "channel_timeout": idle_timeout, "cleanup_interval": 1,
            "max_request_body_size": max(max_body * BODY_READ_FACTOR, max_upload)}


def _not_ready(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


class BackgroundServer:
    """A waitress server in a daemon thread that starts and stops in milliseconds.

    waitress's main loop only notices a close made from another thread on its next poll (up to a
    second). Stopping here hands the close to the loop itself through the server's wake-up trigger: it
    closes every open connection and then the server, the loop has nothing left to watch and ends.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, threads: int = 8,
                 max_body: int = Settings.max_body, idle_timeout: int = Settings.idle_timeout,
                 max_upload: int = Settings.max_upload) -> None:
        # Bound first, so the app can be built knowing the port (--port 0); the app comes with start().
        self.server = create_server(_not_ready, host=host, port=port, threads=threads, ident="dataset-emulator",
                                    clear_untrusted_proxy_headers=True,
                                    **limits(max_body, idle_timeout, max_upload))
        self.host = host
        self.port = int(self.server.effective_port)
        self._thread = threading.Thread(target=self.server.run, name="dataset-emulator", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, app: Flask) -> BackgroundServer:
        self.server.application = app
        self._thread.start()
        return self

    def run(self, app: Flask) -> None:
        """Serve in the foreground until SIGINT/SIGTERM."""
        self.server.application = app
        self.server.run()

    def _close_all(self) -> None:
        """Runs in the server's loop: close the connections, then the listening socket and the trigger."""
        for channel in list(self.server.active_channels.values()):
            channel.handle_close()
        self.server.close()

    def stop(self) -> None:
        # Request threads first: one that just answered still wakes the loop through the trigger.
        self.server.task_dispatcher.shutdown(timeout=1)
        if self._thread.is_alive():
            try:
                self.server.trigger.pull_trigger(self._close_all)
            except OSError:  # the loop already closed its trigger: it is ending by itself
                pass
            self._thread.join(timeout=5)
