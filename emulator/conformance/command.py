"""``dataset-emulator verify <provider> --against URL``: the scenarios against a server and the emulator."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import scenarios as scenario_files
from .runner import (
    DIFFERS,
    IDENTICAL,
    SAME_JSON,
    Result,
    Side,
    Unreachable,
    emulator_server,
    new_run_id,
    request_for,
    run_all,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser("verify", help="compare a server with the emulator on a provider's scenarios")
    verify.add_argument("provider")
    verify.add_argument("--against", required=True, metavar="URL",
                        help="base URL of the server under test (for CKAN: the site root)")
    verify.add_argument("--token", action="append", default=[], metavar="NAME=TOKEN",
                        help="the server's token for a scenario token name (default: the emulator's own)")
    verify.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="the server's value for an account name the scenarios use (e.g. user=me)")
    verify.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    verify.add_argument("--dry-run", action="store_true", help="list the requests, send nothing")
    verify.add_argument("--only", metavar="TEXT", help="run only scenarios whose name contains TEXT")


def _pairs(option: str, pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"{option} wants NAME=VALUE, got {pair!r}")
        values[name] = value
    return values


def _fail(message: str) -> int:
    print(f"dataset-emulator: error: {message}", file=sys.stderr)
    return 2


def verify(args: argparse.Namespace) -> int:
    try:
        setup, scenarios = scenario_files.load(args.provider)
        tokens = {**setup.emulator_tokens, **_pairs("--token", args.token)}
        account = {**setup.variables, **_pairs("--var", args.var)}
    except (scenario_files.ScenarioError, ValueError) as exc:
        return _fail(str(exc))
    if args.only:
        scenarios = [s for s in scenarios if args.only in s.name]
    run = new_run_id()
    target = Side(args.against, tokens, setup, account)
    if args.dry_run:
        shown = {k: f"<{k}>" if "token" in k else v for k, v in account.items()}
        masked = Side(args.against, {k: f"<{k} token>" for k in tokens}, setup, variables={**shown, "run": run})
        for scenario in scenarios:
            print(f"{scenario.name}  ({scenario.source})")
            for step in scenario.steps:
                request = request_for(step, masked)
                body = f" {request.body.decode('utf-8', 'replace')}" if request.body else ""
                print(f"  {request.method} {request.url}{' as ' + step.token if step.token else ''}{body}")
        print(f"{len(scenarios)} scenarios; nothing sent")
        return 0

    def show(result: Result) -> None:
        print(f"{result.verdict:<10} {result.name}", flush=True)
        for line in result.diff if result.verdict != IDENTICAL else []:
            print(f"    {line}")

    try:
        with emulator_server(args.provider) as base:
            results = run_all(scenarios, target, Side(base, setup.emulator_tokens, setup, setup.variables), run, show)
    except Unreachable as exc:
        return _fail(f"the server does not answer: {exc}")
    except scenario_files.ScenarioError as exc:
        return _fail(f"a scenario cannot be sent: {exc}")
    counts = {v: sum(r.verdict == v for r in results) for v in (IDENTICAL, SAME_JSON, DIFFERS)}
    print(f"{len(results)} scenarios: {counts[IDENTICAL]} identical, {counts[SAME_JSON]} same JSON, "
          f"{counts[DIFFERS]} differ")
    if args.json:
        args.json.write_text(json.dumps({
            "provider": args.provider, "against": args.against, "run": run, "scenarios": len(results),
            **{k.replace(" ", "_"): n for k, n in counts.items()},
            "results": [{"name": r.name, "verdict": r.verdict, "statuses": r.statuses, "diff": r.diff}
                        for r in results],
        }, indent=2) + "\n", encoding="utf-8")
    return 1 if counts[DIFFERS] else 0
