"""A server under test: a subprocess on a loopback port."""

from __future__ import annotations

import re
import subprocess


class Target:
    def __init__(self, name: str, proc: subprocess.Popen, url: str) -> None:
        self.name, self.proc, self.url = name, proc, url
        self.cold_s = float("nan")  # launch until its first answered create (peers.Peer.start)
        match = re.match(r"http://([^:/]+):(\d+)", url)
        assert match
        self.host, self.port = match.group(1), int(match.group(2))

    def rss_mb(self) -> float:
        """Resident memory of the server process, from the kernel's own account."""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)  # the emulator compacts its log on the way out
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
