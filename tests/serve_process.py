"""Start `dataset-emulator serve` as a subprocess and learn its URL from its first line."""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager


def start(*args: str, quiet: bool = True) -> tuple[subprocess.Popen, str]:
    """``quiet``: no access log, since nobody reads the pipe after the first line (a full pipe blocks)."""
    flags = ["--quiet"] if quiet else []
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *flags, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"server did not start: {line!r} {proc.stderr.read()!r}")
    return proc, match.group(1)


@contextmanager
def serving(*args: str, quiet: bool = True):
    proc, url = start(*args, quiet=quiet)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
