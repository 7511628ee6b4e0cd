"""`dataset-emulator serve|export` (also `python -m emulator`)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .config import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dataset-emulator",
                                     description="Local emulator of dataset-creation APIs.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the standalone server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--state", type=Path, default=Path("emulator-state.json"),
                       help="TinyDB JSON state file (default: %(default)s)")
    serve.add_argument("--in-memory", action="store_true", help="keep state in memory only")
    serve.add_argument("--repair", action="store_true",
                       help="start from a damaged state file: keep every readable line, move the damaged files aside")
    serve.add_argument("--seed", type=Path, action="append", default=[],
                       help="JSON seed file merged into the world every namespace starts with (repeatable, in order)")
    serve.add_argument("--no-default-world", action="store_true",
                       help="leave the built-in default world out of the world")
    serve.add_argument("--quiet", action="store_true", help="no access-log line per request on stdout")
    serve.add_argument("--relaxed", action="store_true",
                       help="do not fsync before answering (faster; a crash may lose recent writes)")
    serve.add_argument("--public-url", help="external base URL used in links (default http://HOST:PORT); "
                       "its host name is served")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also answer requests whose Host is NAME, e.g. a container name (repeatable; "
                       "'*' answers any); localhost and IP addresses are always answered")
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--id-seed", type=int, help="fixed ID sequence in every new namespace")
    serve.add_argument("--freeze-time", type=_aware_time, help="frozen clock, e.g. 2026-01-01T00:00:00Z")
    serve.add_argument("--control-token", help="require this token (X-Emulator-Token) on /_emulator")
    serve.add_argument("--control-remote", action="store_true",
                       help="let non-loopback callers use /_emulator (it answers loopback only by default)")
    serve.add_argument("--journal-size", type=int, default=1000, help="requests kept per namespace")
    serve.add_argument("--idle-timeout", type=_at_least_one, default=Settings.idle_timeout, metavar="SECONDS",
                       help="close a connection that sends nothing for this long (default: %(default)s)")
    serve.add_argument("--max-namespaces", type=_at_least_one, default=Settings.max_namespaces,
                       help="namespaces kept at most; a request that would create one more is refused "
                       "(default: %(default)s)")

    spec = sub.add_parser("openapi", help="print a provider's OpenAPI 3.1 document")
    spec.add_argument("provider")
    spec.add_argument("--public-url", default="http://127.0.0.1:8080", help="server URL the document names")

    export = sub.add_parser("export", help="print a namespace in the seed format, from a running server "
                                           "or from a state file (read-only; its server may be running)")
    source = export.add_mutually_exclusive_group()
    source.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8080")
    source.add_argument("--state", type=Path, default=Path("emulator-state.json"),
                        help="TinyDB JSON state file (default: %(default)s)")
    export.add_argument("--namespace", default="default")
    export.add_argument("--token", default=os.environ.get("EMULATOR_CONTROL_TOKEN"),
                        help="control token of that server (default: $EMULATOR_CONTROL_TOKEN)")
    return parser


def _at_least_one(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


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
    from .store import DamagedFile

    if isinstance(exc, DamagedFile):
        return (f"{exc}; nothing was changed (`dataset-emulator serve --repair` keeps every readable line "
                "and moves the damaged file aside)")
    return str(exc)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "openapi":
        return openapi(args)
    return export(args)


def _settings(args, **extra) -> Settings:
    return Settings.from_env(
        host=getattr(args, "host", None), port=getattr(args, "port", None),
        state=None if getattr(args, "in_memory", False) else args.state,
        **extra)


def serve(args) -> int:
    from .app import create_app
    from .platform import ControlError
    from .server import BackgroundServer
    from .store import StoreError

    for seed in args.seed:
        if not seed.is_file():
            return fail(f"cannot read seed file {seed}")
    settings = _settings(args, durable=not args.relaxed, repair=args.repair, default_world=not args.no_default_world,
                         seed_files=args.seed, public_url=args.public_url, threads=args.threads,
                         id_seed=args.id_seed, freeze_time=args.freeze_time, journal_size=args.journal_size,
                         control_token=args.control_token, control_remote=args.control_remote,
                         allow_hosts=args.allow_host, max_namespaces=args.max_namespaces,
                         idle_timeout=args.idle_timeout, access_log=not args.quiet)
    try:
        server = BackgroundServer(host=settings.host, port=settings.port, threads=settings.threads,
                                  max_body=settings.max_body, idle_timeout=settings.idle_timeout)
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
