"""Loading a provider's scenario files: ``setup.json`` (how to talk to the provider) and the scenarios."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .signing import SCHEMES

METHODS = ("get", "post", "put", "patch", "delete", "head")


class ScenarioError(Exception):
    """A scenario file that cannot be run as written."""


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    token: str | None = None  # a token name, never a token
    json: Any = None
    has_json: bool = False
    body: str | None = None
    form: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    save: dict[str, str] = field(default_factory=dict)  # variable -> dotted path in the JSON answer
    keep_run_items: str | None = None  # dotted path to a list: keep only the items naming this run


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    source: str


@dataclass(frozen=True)
class Setup:
    """How the harness talks to a provider: where tokens go (or how requests are signed), which ids it generates,
    how to clean up."""

    provider: str
    token_header: str | None  # None when the provider signs its requests instead
    token_format: str
    emulator_tokens: dict[str, str]
    variables: dict[str, str]  # the emulator's account names (user, app...); --var sets the server's
    id_patterns: tuple[str, ...]
    time_patterns: tuple[str, ...]  # besides ISO 8601, e.g. epoch milliseconds
    cleanup_after: tuple[str, ...]
    cleanup_take: str | None
    cleanup_steps: tuple[Step, ...]
    auth_scheme: str | None = None  # a name in signing.SCHEMES; a step "as" the access key is signed with it
    auth_tokens: dict[str, str] = field(default_factory=dict)  # the scheme's role -> token name


def _step(raw: Any, where: str) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: a step is an object")
    verbs = [m for m in METHODS if m in raw]
    if len(verbs) != 1 or not isinstance(raw[verbs[0]], str):
        raise ScenarioError(f"{where}: a step names exactly one of {', '.join(METHODS)} with a path")
    known = {*METHODS, "as", "json", "body", "form", "headers", "save", "keep_run_items"}
    unknown = set(raw) - known
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}")
    if sum(k in raw for k in ("json", "body", "form")) > 1:
        raise ScenarioError(f"{where}: at most one of json, body, form")
    return Step(method=verbs[0].upper(), path=raw[verbs[0]], token=raw.get("as"), json=raw.get("json"),
                has_json="json" in raw, body=raw.get("body"), form=raw.get("form"),
                headers=dict(raw.get("headers", {})), save=dict(raw.get("save", {})),
                keep_run_items=raw.get("keep_run_items"))


def _auth(raw: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    """``"auth": {"scheme": "ncp-signature-v2", "access_key": TOKEN NAME, "secret_key": TOKEN NAME}``."""
    if "auth" not in raw:
        if not isinstance(raw.get("token_header"), str):
            raise ScenarioError("setup.json names a token_header or an auth scheme")
        return None, {}
    auth = dict(raw["auth"])
    scheme = auth.pop("scheme", None)
    if scheme not in SCHEMES:
        raise ScenarioError(f"setup.json: auth scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    roles, _ = SCHEMES[scheme]
    if sorted(auth) != sorted(roles):
        raise ScenarioError(f"setup.json: auth scheme {scheme} names the tokens {', '.join(roles)}")
    return scheme, auth


def _setup(provider: str, raw: dict[str, Any]) -> Setup:
    cleanup = raw.get("cleanup", {})
    auth_scheme, auth_tokens = _auth(raw)
    return Setup(provider=provider, token_header=raw.get("token_header"),
                 token_format=raw.get("token_format", "{token}"), auth_scheme=auth_scheme, auth_tokens=auth_tokens,
                 emulator_tokens=dict(raw["emulator_tokens"]), variables=dict(raw.get("variables", {})),
                 id_patterns=tuple(raw["id_patterns"]), time_patterns=tuple(raw.get("time_patterns", ())),
                 cleanup_after=tuple(cleanup.get("after", ())), cleanup_take=cleanup.get("take"),
                 cleanup_steps=tuple(_step(s, "setup.json cleanup") for s in cleanup.get("steps", [])))


def _files(provider: str) -> list[Any]:
    folder = resources.files(__package__).joinpath("scenarios", provider)
    if not folder.is_dir():
        raise ScenarioError(f"no scenarios for provider {provider!r}")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)


def providers() -> list[str]:
    folder = resources.files(__package__).joinpath("scenarios")
    return sorted(f.name for f in folder.iterdir() if f.is_dir() and f.joinpath("setup.json").is_file())


def load(provider: str) -> tuple[Setup, list[Scenario]]:
    setup: Setup | None = None
    scenarios: list[Scenario] = []
    for file in _files(provider):
        raw = json.loads(file.read_text(encoding="utf-8"))
        if file.name == "setup.json":
            setup = _setup(provider, raw)
            continue
        for number, item in enumerate(raw):
            where = f"{file.name}[{number}]"
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item.get("steps"):
                raise ScenarioError(f"{where}: a scenario has a 'name' and a list of 'steps'")
            steps = tuple(_step(s, f"{where} {item['name']}") for s in item["steps"])
            scenarios.append(Scenario(name=item["name"], steps=steps, source=file.name))
    if setup is None:
        raise ScenarioError(f"scenarios for {provider!r} have no setup.json")
    unknown = sorted({step.token for s in scenarios for step in s.steps + setup.cleanup_steps
                      if step.token is not None and step.token not in setup.emulator_tokens})
    unknown += sorted(set(setup.auth_tokens.values()) - set(setup.emulator_tokens))
    if unknown:
        raise ScenarioError(f"token names not in setup.json: {', '.join(unknown)}")
    sender = setup.auth_tokens.get("access_key")  # with a signing scheme, "as" names the access key's token
    unsigned = sorted({step.token for s in scenarios for step in s.steps + setup.cleanup_steps
                       if setup.auth_scheme and step.token not in (None, sender)})
    if unsigned:
        raise ScenarioError(f"with auth {setup.auth_scheme}, a step is sent as {sender!r}: not {', '.join(unsigned)}")
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScenarioError(f"duplicate scenario names: {', '.join(duplicates)}")
    return setup, scenarios
