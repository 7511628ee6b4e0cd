"""Start `dataset-emulator serve` as a subprocess and learn its URL from its first line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager


def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``env``: variables added to this process's environment."""
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env} if env else None)
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
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
