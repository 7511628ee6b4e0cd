"""Running scenarios against two servers and judging each scenario: identical, same JSON, or differs."""

from __future__ import annotations

import difflib
import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from . import http
from .normalise import Normaliser, canonical, dig, keep_run_items
from .scenarios import Scenario, ScenarioError, Setup, Step
from .signing import SCHEMES

IDENTICAL, SAME_JSON, DIFFERS = "identical", "same JSON", "differs"
VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
DIFF_LINES = 14


class Unreachable(Exception):
    """The server under test does not answer at all."""


@dataclass
class Side:
    """One server: its base URL, tokens by name, its account's names, and what the current scenario saved."""

    base_url: str
    tokens: dict[str, str]
    setup: Setup
    account: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Seen:
    """One answer, normalised two ways."""

    status: int
    content_type: str
    text: str  # the body with ids, times and base URL replaced (byte comparison)
    json: str | None  # the same, of the canonical JSON (key order and spacing ignored)


@dataclass
class Result:
    name: str
    verdict: str
    diff: list[str] = field(default_factory=list)
    statuses: list[list[int]] = field(default_factory=list)  # per step: [server, emulator]


def new_run_id() -> str:
    """A per-run prefix for every name a scenario creates, so scenarios run again and again on a real service.

    Eight hex digits, so a scenario can also make a UUID of its own from it (``{run}-0000-4000-8000-...``).
    """
    return f"cf{secrets.token_hex(3)}"


def fill(value: Any, variables: dict[str, str]) -> Any:
    """``{run}`` and saved ``{names}`` in strings, lists and objects (other braces are left alone)."""
    if isinstance(value, str):
        return VARIABLE.sub(lambda m: str(variables.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [fill(v, variables) for v in value]
    if isinstance(value, dict):
        return {fill(k, variables): fill(v, variables) for k, v in value.items()}
    return value


def request_for(step: Step, side: Side) -> http.Request:
    variables, setup = side.variables, side.setup
    headers = fill(step.headers, variables)
    if step.token is not None and setup.token_header is not None:
        headers[setup.token_header] = setup.token_format.format(token=side.tokens[step.token])
    request = http.build(step.method, side.base_url, fill(step.path, variables), headers,
                         json_body=fill(step.json, variables), has_json=step.has_json,
                         body=fill(step.body, variables), form=fill(step.form, variables))
    if step.token is not None and setup.auth_scheme is not None:
        _, signer = SCHEMES[setup.auth_scheme]
        keys = {role: side.tokens[name] for role, name in setup.auth_tokens.items()}
        request = replace(request, headers=signer(request.method, http.target(request.url), request.headers, keys))
    return request


def _send(request: http.Request) -> http.Answer:
    try:
        return http.send(request)
    except OSError as exc:
        raise Unreachable(f"{request.method} {request.url}: {exc}") from None
    except ValueError as exc:  # http.client refuses the request line (e.g. a space in the path)
        raise ScenarioError(f"{request.method} {request.url}: {exc}") from None


def run_step(step: Step, side: Side, normaliser: Normaliser, run: str) -> Seen:
    answer = _send(request_for(step, side))
    raw = answer.body.decode("utf-8", errors="replace")
    parsed: Any = None
    is_json = "json" in answer.content_type
    if is_json:
        try:
            parsed = json.loads(raw)
        except ValueError:
            is_json = False
    if is_json:
        for name, path in step.save.items():
            side.variables[name] = str(dig(parsed, path))
        if step.method == "POST" and step.path.split("?")[0] in side.setup.cleanup_after and side.setup.cleanup_take:
            taken = dig(parsed, side.setup.cleanup_take)
            if isinstance(taken, str):
                side.created.append(taken)
        if step.keep_run_items:
            parsed = keep_run_items(parsed, step.keep_run_items, run)
            raw = json.dumps(parsed)
    if not is_json:
        # An HTML error page is the server's own template: status and content type are what a client sees.
        return Seen(answer.status, answer.content_type, "", None)
    return Seen(answer.status, answer.content_type, normaliser.text(raw), normaliser.text(canonical(parsed)))


def clean_up(side: Side) -> None:
    """Best effort: what a scenario created goes, whatever the answers."""
    for item in side.created:
        for step in side.setup.cleanup_steps:
            try:
                _send(request_for(step, Side(side.base_url, side.tokens, side.setup,
                                             variables={**side.account, "item": item})))
            except (Unreachable, ScenarioError):
                pass
    side.created.clear()


def _describe(step: Step) -> str:
    who = f" as {step.token}" if step.token else " (anonymous)"
    return f"{step.method} {step.path}{who}"


def compare(step: Step, ours: Seen, theirs: Seen) -> tuple[str, list[str]]:
    if (ours.status, ours.content_type) != (theirs.status, theirs.content_type):
        head = [f"{_describe(step)}: server {theirs.status} {theirs.content_type!r}, "
                f"emulator {ours.status} {ours.content_type!r}"]
        return DIFFERS, head + _diff(theirs, ours)
    if ours.text == theirs.text:
        return IDENTICAL, []
    if ours.json is not None and ours.json == theirs.json:
        return SAME_JSON, [f"{_describe(step)}: same JSON, other bytes (key order or spacing)"]
    return DIFFERS, [f"{_describe(step)}:"] + _diff(theirs, ours)


def _diff(theirs: Seen, ours: Seen) -> list[str]:
    lines = list(difflib.unified_diff((theirs.json or theirs.text).splitlines(),
                                      (ours.json or ours.text).splitlines(),
                                      "server", "emulator", n=1, lineterm=""))
    return lines[:DIFF_LINES] + (["..."] if len(lines) > DIFF_LINES else [])


def run_scenario(scenario: Scenario, target: Side, emulator: Side, run: str) -> Result:
    target.variables = {**target.account, "run": run}
    emulator.variables = {**emulator.account, "run": run}
    theirs_norm = Normaliser(target.base_url, target.setup.id_patterns, target.setup.time_patterns)
    ours_norm = Normaliser(emulator.base_url, emulator.setup.id_patterns, emulator.setup.time_patterns)
    verdict, diff, statuses = IDENTICAL, [], []
    try:
        for step in scenario.steps:
            theirs = run_step(step, target, theirs_norm, run)
            ours = run_step(step, emulator, ours_norm, run)
            statuses.append([theirs.status, ours.status])
            step_verdict, step_diff = compare(step, ours, theirs)
            diff += step_diff
            if step_verdict == DIFFERS or (step_verdict == SAME_JSON and verdict == IDENTICAL):
                verdict = step_verdict
    finally:
        clean_up(target)
        clean_up(emulator)
    return Result(scenario.name, verdict, diff, statuses)


def run_all(scenarios: list[Scenario], target: Side, emulator: Side, run: str,
            on_result: Callable[[Result], None] = lambda r: None) -> list[Result]:
    results = []
    for scenario in scenarios:
        result = run_scenario(scenario, target, emulator, run)
        on_result(result)
        results.append(result)
    return results


@contextmanager
def emulator_server(provider: str) -> Iterator[str]:
    """A fresh in-memory emulator in a thread (default world, fresh namespace); yields the provider's base URL."""
    from emulator.app import create_app
    from emulator.config import Settings
    from emulator.server import BackgroundServer

    server = BackgroundServer(port=0, threads=2)
    app = create_app(Settings(state=None, port=server.port, threads=2))
    server.start(app)
    try:
        yield f"{server.url}/{provider}"
    finally:
        server.stop()
        app.extensions["emulator"].close()
