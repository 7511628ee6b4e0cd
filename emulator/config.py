"""One Settings object; CLI flags and the pytest plugin map onto it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    state: Path | None = None  # TinyDB JSON file; None keeps everything in memory
    durable: bool = True  # fsync before acknowledging a write (only with a state file)
    repair: bool = False  # keep what a damaged state file holds, moving the damaged files aside
    default_world: bool = True  # the built-in default world is part of the world every namespace starts with
    seed_files: list[Path] = field(default_factory=list)  # merged into that world, in order
    public_url: str | None = None  # external base URL, e.g. "http://127.0.0.1:8080"; default host:port
    allow_hosts: list[str] = field(default_factory=list)  # Host names served besides localhost and IPs ("*": any)
    threads: int = 8
    control_token: str | None = None  # required by /_emulator when set
    control_remote: bool = False  # let non-loopback callers use /_emulator
    max_body: int = 32 * 1024 * 1024  # larger bodies get the provider's 413 (declared larger: the server's own)
    # The same for the routes that receive a file (``providers.base.takes_upload``, e.g. Redivis's temporary
    # upload URL): such a file is held in the state until it is used, so the bound is one of memory.
    max_upload: int = 256 * 1024 * 1024
    idle_timeout: int = 30  # seconds a connection may send nothing (mid-request or between requests)
    journal_size: int = 1000  # requests kept per namespace
    # A namespace holds a copy of the default world (~35 KB in memory): 10,000 is a big test farm's worth
    # (every test of a parallel session has one) and stays under half a GB.
    max_namespaces: int = 10_000
    id_seed: int | None = None  # fixed ID sequence in every new namespace
    freeze_time: datetime | None = None  # frozen clock in every new namespace
    access_log: bool = False  # one line per request on stdout (`serve` without --quiet)

    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
