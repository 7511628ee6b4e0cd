"""Serving the app with waitress, in the foreground (CLI) or in a background thread (pytest plugin)."""

from __future__ import annotations

import resource
import threading

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.wasyncore import close_all

from . import acks
from .config import Settings

#: Connections served at once, at most (fewer when the process may open fewer files).
MAX_CONNECTIONS = 10_000
BODY_READ_FACTOR = 4


def limits(max_body: int, idle_timeout: int) -> dict[str, int | bool]:
    """waitress settings that keep clients that send slowly, or too much, from starving the others.

    waitress reads requests on one I/O thread without blocking and hands a request to a worker thread only once
    it is complete, so slow headers or bodies hold no thread: what they hold is a connection, and waitress stops
    accepting any at ``connection_limit`` (100 by default, 98 clients). So: many more connections (poll() has
    no select() limit of 1024 descriptors), each costing up to two descriptors (a large body goes to a temporary
    file); connections that send nothing for ``idle_timeout`` seconds are closed, checked every second; and a
    body declared larger than ``BODY_READ_FACTOR`` times ``max_body`` is refused (waitress's plain 413) before
    it is read. Bodies in between are read (into a temporary file) so that the client, which is still sending,
    gets the provider's own 413 rather than a connection reset.
    """
    descriptors = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if descriptors == resource.RLIM_INFINITY:
        descriptors = MAX_CONNECTIONS * 2
    return {"asyncore_use_poll": True, "connection_limit": max(100, min(MAX_CONNECTIONS, (descriptors - 64) // 2)),
            "channel_timeout": idle_timeout, "cleanup_interval": 1,
            "max_request_body_size": max_body * BODY_READ_FACTOR}


def _not_ready(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


class DurableAnswerChannel(HTTPChannel):
    """A waitress channel that sends an answer only once the writes behind it are on disk.

    The request thread does not wait for the fsync (see acks): it leaves the answer in the channel's
    buffer and goes on to the next request; the store's syncer pulls the server's trigger once the
    writes are synced, and the I/O thread, which asks ``writable()`` again, sends it.
    """

    _hold: acks.Deferred | None = None  # the last answer that waits; never cleared, only replaced
    _abandoning = False

    def service(self) -> None:
        with acks.deferring():
            super().service()

    def write_soon(self, data: bytes) -> int:
        deferred = acks.current()
        if deferred is not None and deferred is not self._hold and deferred.when_synced(self.server.pull_trigger):
            self._hold = deferred
        return super().write_soon(data)

    def _held(self) -> bool:
        hold = self._hold
        if hold is None or not hold.pending:
            return False
        if hold.failed and not self._abandoning:
            # Its writes will never be on disk: drop the connection (as a crash would) rather than
            # acknowledge them. Closed from the I/O thread, between two polls.
            self._abandoning = True
            self.server.trigger.pull_trigger(self.handle_close)
        return True

    def writable(self) -> bool:
        return not self._held() and super().writable()

    def _flush_some(self, do_close: bool = True) -> bool:
        return False if self._held() else super()._flush_some(do_close)


class BackgroundServer:
    """A waitress server in a daemon thread that starts and stops in milliseconds.

    waitress's main loop only notices a close on its next poll (up to a second); stopping here runs the
    close inside the loop through its wake-up trigger, so the loop ends at once.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, threads: int = 8,
                 max_body: int = Settings.max_body, idle_timeout: int = Settings.idle_timeout) -> None:
        # Bound first, so the app can be built knowing the port (--port 0); the app comes with start().
        self.server = create_server(_not_ready, host=host, port=port, threads=threads, ident="dataset-emulator",
                                    clear_untrusted_proxy_headers=True, **limits(max_body, idle_timeout))
        self.server.channel_class = DurableAnswerChannel
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

    def stop(self) -> None:
        if self._thread.is_alive():
            try:
                self.server.trigger.pull_trigger(lambda: close_all(self.server._map))
            except OSError:  # the loop already closed its trigger: it is ending by itself
                pass
            self._thread.join(timeout=5)
        self.server.task_dispatcher.shutdown(timeout=1)
