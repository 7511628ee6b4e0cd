"""`dataset-emulator serve|export` (also `python -m emulator`)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
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
                       help="JSON seed file merged into the default namespace (repeatable)")
    serve.add_argument("--no-default-world", action="store_true",
                       help="start namespaces empty instead of with the default world")
    serve.add_argument("--relaxed", action="store_true",
                       help="do not fsync before answering (faster; a crash may lose recent writes)")
    serve.add_argument("--public-url", help="external base URL used in links (default http://HOST:PORT)")
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--id-seed", type=int, help="fixed ID sequence in every new namespace")
    serve.add_argument("--freeze-time", type=_aware_time, help="frozen clock, e.g. 2026-01-01T00:00:00Z")
    serve.add_argument("--control-token", help="require this token (X-Emulator-Token) on /_emulator")
    serve.add_argument("--control-remote", action="store_true",
                       help="let non-loopback callers use /_emulator (it answers loopback only by default)")
    serve.add_argument("--journal-size", type=int, default=1000, help="requests kept per namespace")

    spec = sub.add_parser("openapi", help="print a provider's OpenAPI 3.1 document")
    spec.add_argument("provider")
    spec.add_argument("--public-url", default="http://127.0.0.1:8080", help="server URL the document names")

    export = sub.add_parser("export", help="print a state file's contents in the seed format "
                                           "(read-only; the server may be running)")
    export.add_argument("--state", type=Path, default=Path("emulator-state.json"),
                        help="TinyDB JSON state file (default: %(default)s)")
    export.add_argument("--namespace", default="default")
    return parser


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
                         control_token=args.control_token, control_remote=args.control_remote)
    try:
        server = BackgroundServer(host=settings.host, port=settings.port, threads=settings.threads)
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
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # waitress shuts down cleanly on SystemExit
    try:
        server.run(app)
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["emulator"].close()
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
    except StoreError as exc:
        return fail(_store_failure(exc))
    except OSError as exc:
        return fail(f"cannot read state file {args.state}: {exc.strerror}")
    print(json.dumps(data, indent=2))
    return 0
