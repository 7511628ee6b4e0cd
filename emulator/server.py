"""Serving the app with waitress, in the foreground (CLI) or in a background thread (pytest plugin)."""

from __future__ import annotations

import threading

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.wasyncore import close_all

from . import acks


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

    def __init__(self, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        # Bound first, so the app can be built knowing the port (--port 0); the app comes with start().
        self.server = create_server(_not_ready, host=host, port=port, threads=threads, ident="dataset-emulator",
                                    clear_untrusted_proxy_headers=True)
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
