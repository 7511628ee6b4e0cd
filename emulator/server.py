"""Serving the app with waitress, in the foreground (CLI) or in a background thread (pytest plugin)."""

from __future__ import annotations

import threading

from flask import Flask
from waitress.server import create_server


def _not_ready(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


class BackgroundServer:
    """A waitress server in a daemon thread that starts and stops in milliseconds.

    waitress's main loop only notices a close made from another thread on its next poll (up to a
    second). Stopping here hands the close to the loop itself through the server's wake-up trigger: it
    closes every open connection and then the server, the loop has nothing left to watch and ends.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        # Bound first, so the app can be built knowing the port (--port 0); the app comes with start().
        self.server = create_server(_not_ready, host=host, port=port, threads=threads, ident="dataset-emulator",
                                    clear_untrusted_proxy_headers=True)
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
