"""Start `dataset-emulator serve` as a subprocess and learn its URL from its first line."""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager


def start(*args: str, before: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """The server and its URL; ``before`` receives the lines it printed first (e.g. what --repair did)."""
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(10):
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if match or not line:
            break
        if before is not None:
            before.append(line.rstrip("\n"))
    if not match:
        proc.kill()
        raise AssertionError(f"server did not start: {line!r} {proc.stderr.read()!r}")
    return proc, match.group(1)


@contextmanager
def serving(*args: str):
    proc, url = start(*args)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
