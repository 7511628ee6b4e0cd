"""`dataset-emulator serve|openapi|export|verify` (also `python -m emulator`)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NoReturn

from . import __version__
from .config import Settings
from .conformance.command import add_parser as add_verify_parser
from .conformance.command import verify


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line on stderr (no usage block), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The command line; the README's synopsis lists every flag it has (a test checks)."""
    root = _Parser(prog="dataset-emulator", description="Local emulator of dataset-creation APIs.")
    root.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = root.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the standalone server")
    serve.add_argument("--host", type=_host, metavar="HOST", default="127.0.0.1",
                       help="interface to listen on (default: %(default)s)")
    serve.add_argument("--port", type=_port, metavar="PORT", default=8080,
                       help="TCP port; 0 picks a free one (default: %(default)s)")
    serve.add_argument("--state", type=Path, metavar="PATH", default=Path("emulator-state.json"),
                       help="TinyDB JSON state file (default: %(default)s)")
    serve.add_argument("--in-memory", action="store_true", help="keep state in memory only, instead of --state")
    serve.add_argument("--repair", action="store_true",
                       help="start from a damaged state file: keep every readable line, move the damaged files aside")
    serve.add_argument("--seed", type=Path, action="append", metavar="FILE", default=[],
                       help="JSON seed file merged into the world every namespace starts with, e.g. "
                       "fixtures/ckan.json (repeatable, in order)")
    serve.add_argument("--no-default-world", action="store_true",
                       help="leave the built-in default world out of the world")
    serve.add_argument("--quiet", action="store_true", help="no access-log line per request on stdout")
    serve.add_argument("--relaxed", action="store_true",
                       help="do not fsync before answering (faster; a crash may lose recent writes)")
    serve.add_argument("--public-url", metavar="URL",
                       help="external base URL used in links; its host name is served (default: http://HOST:PORT)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also answer requests whose Host is NAME, e.g. a container name (repeatable; "
                       "'*' answers any); localhost and IP addresses are always answered")
    serve.add_argument("--threads", type=_at_least(1), metavar="N", default=8,
                       help="worker threads answering requests (default: %(default)s)")
    serve.add_argument("--id-seed", type=int, metavar="N",
                       help="fixed ID sequence in every new namespace (default: random)")
    serve.add_argument("--freeze-time", type=_aware_time, metavar="TIME",
                       help="frozen clock in every new namespace, e.g. 2026-01-01T00:00:00Z (default: the real clock)")
    serve.add_argument("--control-token", metavar="TOKEN", default=os.environ.get("EMULATOR_CONTROL_TOKEN"),
                       help="require this token (X-Emulator-Token) on /_emulator "
                            "(default: $EMULATOR_CONTROL_TOKEN, else none)")
    serve.add_argument("--control-remote", action="store_true",
                       help="let non-loopback callers use /_emulator (it answers loopback only by default)")
    serve.add_argument("--journal-size", type=_at_least(0), metavar="N", default=1000,
                       help="requests kept per namespace; 0 keeps none (default: %(default)s)")
    serve.add_argument("--idle-timeout", type=_at_least(1), default=Settings.idle_timeout, metavar="SECONDS",
                       help="close a connection that sends nothing for this long (default: %(default)s)")
    serve.add_argument("--max-body", type=_at_least(1), default=Settings.max_body, metavar="BYTES",
                       help="larger request bodies get the provider's 413 (default: %(default)s, 32 MiB)")
    serve.add_argument("--max-upload", type=_at_least(1), default=Settings.max_upload, metavar="BYTES",
                       help="the same for a file sent to an upload URL the emulator hands out (Redivis's "
                       "temporary uploads); it is held in the state until used (default: %(default)s, 256 MiB)")
    serve.add_argument("--max-namespaces", type=_at_least(1), default=Settings.max_namespaces, metavar="N",
                       help="namespaces kept at most; a request that would create one more is refused "
                       "(default: %(default)s)")

    spec = sub.add_parser("openapi", help="print a provider's OpenAPI 3.1 document")
    spec.add_argument("provider", help="the provider's name, e.g. ckan")
    spec.add_argument("--public-url", metavar="URL", default="http://127.0.0.1:8080",
                      help="server URL the document names (default: %(default)s)")

    export = sub.add_parser("export", help="print a namespace in the seed format, from a running server "
                                           "or from a state file (read-only; its server may be running)")
    source = export.add_mutually_exclusive_group()
    source.add_argument("--url", metavar="URL", help="base URL of a running server, e.g. http://127.0.0.1:8080")
    source.add_argument("--state", type=Path, metavar="PATH", default=Path("emulator-state.json"),
                        help="TinyDB JSON state file (default: %(default)s)")
    export.add_argument("--namespace", metavar="NS", default="default",
                        help="the namespace to print (default: %(default)s)")
    export.add_argument("--token", metavar="TOKEN", default=os.environ.get("EMULATOR_CONTROL_TOKEN"),
                        help="control token of the server at --url (default: $EMULATOR_CONTROL_TOKEN)")

    add_verify_parser(sub)
    return root


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535)")
    return port


def _at_least(minimum: int):
    def check(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= {minimum}")
        return number
    return check


def _host(value: str) -> str:
    """A host the server can bind: checked here, since waitress only says "Invalid host/port specified"."""
    try:
        socket.getaddrinfo(value, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise argparse.ArgumentTypeError(f"cannot resolve {value!r}: {exc.strerror}") from None
    except UnicodeError:  # an empty or over-long label, e.g. "a..b"
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid host name") from None
    return value


def _aware_time(value: str):
    from .control.settings import parse_time
    from .errors import ControlError

    try:
        return parse_time(value)
    except ControlError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def fail(message: str) -> int:
    print(f"dataset-emulator: error: {message}", file=sys.stderr)
    return 2


def _store_failure(exc: Exception) -> str:
    from .store import ChangedFile, DamagedFile

    if isinstance(exc, ChangedFile):
        return (f"{exc}; nothing was changed (`dataset-emulator serve --repair` accepts it as it reads now "
                f"and keeps a copy as {exc.path.name}.damaged)")
    if isinstance(exc, DamagedFile):
        return (f"{exc}; nothing was changed (`dataset-emulator serve --repair` keeps every readable line "
                "and moves the damaged file aside)")
    return str(exc)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = {"serve": serve, "openapi": openapi, "export": export, "verify": verify}[args.command]
    try:
        return command(args)
    except Exception as exc:  # a failure nobody foresaw is still one line, never a traceback
        return fail(f"unexpected {type(exc).__name__}: {exc}")


def serve(args) -> int:
    from .app import create_app
    from .platform import ControlError
    from .server import BackgroundServer
    from .store import StoreError

    for seed in args.seed:
        if not seed.is_file():
            return fail(f"cannot read seed file {seed}")
    settings = Settings(host=args.host, port=args.port, state=None if args.in_memory else args.state,
                        durable=not args.relaxed, repair=args.repair, default_world=not args.no_default_world,
                        seed_files=args.seed, public_url=args.public_url, threads=args.threads,
                        id_seed=args.id_seed, freeze_time=args.freeze_time, journal_size=args.journal_size,
                        control_token=args.control_token, control_remote=args.control_remote,
                        allow_hosts=args.allow_host, max_namespaces=args.max_namespaces,
                        idle_timeout=args.idle_timeout, max_body=args.max_body, max_upload=args.max_upload,
                        access_log=not args.quiet)
    try:
        server = BackgroundServer(host=settings.host, port=settings.port, threads=settings.threads,
                                  max_body=settings.max_body, idle_timeout=settings.idle_timeout,
                                  max_upload=settings.max_upload)
    except OSError as exc:
        return fail(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}")
    settings.port = server.port
    try:
        app = create_app(settings)
    except (StoreError, ControlError) as exc:
        server.server.close()
        return fail(_store_failure(exc))
    for line in app.extensions["emulator"].store.repaired:
        print(line, flush=True)
    where = "in memory" if settings.state is None else str(settings.state)
    print(f"dataset-emulator listening on {server.url} (state: {where})", flush=True)
    platform = app.extensions["emulator"]

    def stop(*_) -> None:
        platform.stopping.set()  # ends fault delays, so waitress's workers finish and it stops at once
        sys.exit(0)  # waitress shuts down cleanly on SystemExit

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run(app)
    except KeyboardInterrupt:
        pass
    finally:
        platform.close()
    return 0


def openapi(args) -> int:
    from .openapi import document
    from .providers import all_providers

    providers = {p.name: p for p in all_providers()}
    if args.provider not in providers:
        return fail(f"unknown provider {args.provider!r}; known: {', '.join(providers)}")
    print(json.dumps(document(providers[args.provider], f"{args.public_url.rstrip('/')}/{args.provider}"), indent=2))
    return 0


def export(args) -> int:
    """The state through TinyDB (snapshot and logs, read-only): works on a stopped or a running server's file."""
    if args.url:
        return export_url(args)
    from tinydb import TinyDB
    from tinydb.middlewares import CachingMiddleware

    from .providers import all_providers
    from .store import StateStorage, StoreError

    if args.state.is_dir():
        return fail(f"state file {args.state} is a folder")
    if not StateStorage(args.state).exists():
        return fail(f"no state file {args.state}")
    try:
        with TinyDB(args.state, storage=CachingMiddleware(StateStorage)) as db:  # one read for every table
            data = {p.name: {c: [dict(doc) for doc in db.table(f"{args.namespace}/{p.name}/{c}").all()]
                             for c in p.collections} for p in all_providers()}
            found = any(name.startswith(f"{args.namespace}/") for name in db.tables())
    except StoreError as exc:
        return fail(_store_failure(exc))
    except OSError as exc:
        return fail(f"cannot read state file {args.state}: {exc.strerror}")
    if not found:
        return fail(f"{args.state}: unknown namespace {args.namespace!r}")
    print(json.dumps(data, indent=2))
    return 0


def export_url(args) -> int:
    """Ask a running server through the control API (wherever it runs, in a container too)."""
    query = urllib.parse.urlencode({"namespace": args.namespace})
    url = f"{args.url.rstrip('/')}/_emulator/state?{query}"
    headers = {"X-Emulator-Token": args.token} if args.token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as resp:
            state = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]
        except (ValueError, KeyError, TypeError):
            message = f"{exc.code} {exc.reason}"
        return fail(f"{args.url}: {message}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return fail(f"cannot read {url}: {getattr(exc, 'reason', exc)}")
    print(json.dumps(state, indent=2))
    return 0
