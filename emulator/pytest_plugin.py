"""The ``emulator`` pytest fixture.

One in-thread server per test session (so per xdist worker); every test gets a namespace of its own, set to
the world (plus the ini option ``emulator_seed``), so tests never see each other's data and need no reset.
With ``--emulator-url`` the same tests run against a server that is already running (a CI service) instead;
a passing test's namespace is deleted at teardown, a failing test's is kept and its journal goes into the
report. ``emulator_namespace = NAME`` gives every test of a worker one namespace, reset before each test, for
application code that reads its base URLs only once (``emulator_env`` sets them before tests are imported).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dataset-emulator")
    group.addoption("--emulator-url", default=os.environ.get("EMULATOR_URL"),
                    help="use a running emulator at this base URL instead of starting one in-thread")
    group.addoption("--emulator-token", default=os.environ.get("EMULATOR_CONTROL_TOKEN"),
                    help="control token of that emulator (its --control-token)")
    group.addoption("--emulator-keep", action="store_true",
                    help="keep every test's namespace (by default a passing test's namespace is deleted)")
    parser.addini("emulator_seed", type="args", default=[],
                  help="JSON seed files (relative to the rootdir) seeded into every test's namespace")
    parser.addini("emulator_namespace", default="",
                  help="one namespace for every test of a worker (NAME, or NAME-gwN under xdist), reset "
                       "before each test")
    parser.addini("emulator_env", type="args", default=[],
                  help="VAR=provider pairs: environment variables set to that provider's client URL")


class EmulatorError(AssertionError):
    """A control API call failed; the message is the emulator's own."""


class Emulator:
    """Handle on one namespace of a running emulator."""

    def __init__(self, base_url: str, namespace: str, token: str | None = None,
                 client_paths: dict[str, str] | None = None, seeds: list[dict[str, Any]] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.namespace = namespace
        self.token = token
        self._client_paths = client_paths
        self.seeds = seeds or []  # seeded after the world on every reset (the ini option ``emulator_seed``)

    def mount(self, provider: str) -> str:
        """Where ``provider`` is mounted in this namespace (its OpenAPI paths are relative to it)."""
        return f"{self.base_url}/_ns/{self.namespace}/{provider}"

    def url(self, provider: str) -> str:
        """The base URL the provider's real client or SDK is given, inside this namespace.

        CKAN: ``RemoteCKAN``'s address; Apify: ``api_url``; Redivis: ``REDIVIS_API_ENDPOINT`` (``.../api/v1``);
        AiTEMS and Qrvey: the API base their paths follow (``.../api/v1``, ``.../devapi/v4``).
        """
        paths = self.client_paths()
        if provider not in paths:
            raise EmulatorError(f"unknown provider {provider!r}; known: {sorted(paths)}")
        return f"{self.base_url}/_ns/{self.namespace}{paths[provider]}"

    def urls(self) -> dict[str, str]:
        """``{provider: url(provider)}`` for every provider of the server."""
        return {provider: self.url(provider) for provider in self.client_paths()}

    def client_paths(self) -> dict[str, str]:
        if self._client_paths is None:
            self._client_paths = client_paths(self.base_url, self.token)
        return self._client_paths

    def setenv(self, monkeypatch: pytest.MonkeyPatch, **variables: str) -> dict[str, str]:
        """Point environment variables at providers for this test, e.g. ``setenv(monkeypatch, CKAN_URL="ckan")``."""
        values = {name: self.url(provider) for name, provider in variables.items()}
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return values

    def control(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Call the control API in this namespace; returns the decoded JSON answer."""
        query = {"namespace": self.namespace, **{k: v for k, v in params.items() if v is not None}}
        url = f"{self.base_url}/_emulator/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"
        return _call(method, url, self.token, body)

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Merge ``{provider: {collection: [records]}}`` into this namespace."""
        return self.control("POST", "seed", data)

    def state(self, provider: str | None = None, collection: str | None = None) -> Any:
        """Everything in this namespace (seed format), or one provider's collection as a list."""
        if provider and collection:
            return self.control("GET", f"state/{provider}/{collection}")
        state = self.control("GET", "state")
        return state[provider] if provider else state

    def reset(self, provider: str | None = None) -> None:
        """Back to the world, then the session's seed files (this namespace only)."""
        self.control("POST", "reset", provider=provider)
        for doc in self.seeds:
            part = doc if provider is None else {name: data for name, data in doc.items() if name == provider}
            if part:
                self.seed(part)

    def delete(self) -> None:
        """Remove this namespace and everything in it from the server."""
        self.control("DELETE", f"namespaces/{urllib.parse.quote(self.namespace, safe='')}")

    # ---- journal -------------------------------------------------------------------------------

    def requests(self, operation: str | None = None, provider: str | None = None, status: int | None = None,
                 since: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded requests of this namespace, oldest first (secrets masked); ``limit``: the newest ones."""
        return self.control("GET", "requests", operation=operation, provider=provider, status=status,
                            since=since, limit=limit)["requests"]

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def assert_called(self, operation: str, times: int | None = None, json_contains: dict | None = None,
                      status: int | None = None) -> list[dict[str, Any]]:
        """Assert ``operation`` was called (``times`` exactly, if given) with a body containing ``json_contains``.

        On failure the message lists the closest recorded requests and how each differs.
        """
        recorded = self.requests()
        matching = [e for e in recorded if e["operation"] == operation and _differences(e, json_contains, status) == []]
        if (times is None and matching) or (times is not None and len(matching) == times):
            return matching
        wanted = f"{operation}" + (f" with body containing {json_contains}" if json_contains else "")
        wanted += f" answered {status}" if status is not None else ""
        count = f"{times} time(s)" if times is not None else "at least once"
        lines = [f"expected {wanted} {count}; {len(matching)} matched among {len(recorded)} recorded request(s)"]
        ranked = sorted(recorded, key=lambda e: (e["operation"] != operation,
                                                 len(_differences(e, json_contains, status))))
        for entry in ranked[:5]:
            diffs = ([f"operation is {entry['operation']}"] if entry["operation"] != operation else [])
            diffs += _differences(entry, json_contains, status)
            lines.append(f"  #{entry['id']} {entry['method']} {entry['path']} -> {entry['status']}: "
                         + ("; ".join(diffs) or "matches"))
        raise AssertionError("\n".join(lines))

    # ---- faults, time, ids, snapshots ----------------------------------------------------------

    def fault(self, type: str, provider: str | None = None, operation: str | None = None,
              times: int | None = None, probability: float | None = None, seed: int | None = None,
              **action: Any) -> dict[str, Any]:
        """Add a fault rule in this namespace, e.g. ``fault("status", status=503, operation="ckan.package_create")``."""
        rule = {"action": {"type": type, **action}, "provider": provider, "operation": operation, "times": times,
                "seed": seed}
        if probability is not None:
            rule["probability"] = probability
        return self.control("POST", "faults", rule)

    def faults(self) -> list[dict[str, Any]]:
        return self.control("GET", "faults")["faults"]

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """``seed=``, ``freezeTime=``, ``advance=``, ``providers={...}`` for this namespace."""
        return self.control("POST", "config", settings)

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move this namespace's clock forward."""
        return self.control("POST", "advance", {"seconds": seconds})

    def snapshot(self, name: str = "default") -> None:
        self.control("POST", "snapshot", {"name": name})

    def restore(self, name: str = "default") -> None:
        self.control("POST", "restore", {"name": name})


def _differences(entry: dict[str, Any], json_contains: dict | None, status: int | None) -> list[str]:
    diffs = []
    if status is not None and entry["status"] != status:
        diffs.append(f"status {entry['status']} != {status}")
    body = entry.get("body")
    for key, value in (json_contains or {}).items():
        if not isinstance(body, dict) or key not in body:
            diffs.append(f"body has no {key!r}")
        elif body[key] != value:
            diffs.append(f"body[{key!r}] is {body[key]!r}, not {value!r}")
    return diffs


def _call(method: str, url: str, token: str | None, body: Any = None) -> Any:
    if body is None and method in ("POST", "PUT", "PATCH", "DELETE"):
        body = {}  # state-changing control calls carry a JSON body
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["X-Emulator-Token"] = token
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    path = urllib.parse.urlsplit(url).path.removeprefix("/_emulator/")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise EmulatorError(f"{method} {path}: {exc.code} {exc.read().decode(errors='replace')}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise EmulatorError(f"{method} {path}: cannot reach the emulator at {url}: "
                            f"{getattr(exc, 'reason', exc)}") from None


def client_paths(base_url: str, token: str | None = None) -> dict[str, str]:
    """``{provider: path}`` of each real client's base URL on the server (``/redivis/api/v1``, ...)."""
    providers = _call("GET", f"{base_url.rstrip('/')}/_emulator/providers", token)["providers"]
    return {p["name"]: p["clientPath"] for p in providers}


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """Control characters escaped: a request path cannot break the report into lines it forged."""
    return _CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def journal_lines(entries: list[dict[str, Any]]) -> list[str]:
    """One line per request: method, path, status, operation, and for a rejected request why."""
    lines = []
    for entry in entries:
        line = f"#{entry['id']} {entry['method']} {entry['path']} -> {entry['status']} {entry['operation']}"
        if entry.get("fault"):
            line += f" (fault: {entry['fault']})"
        if entry["status"] >= 400:
            why = entry.get("errors")
            why = why if isinstance(why, str) else json.dumps(why, separators=(",", ":"))
            line += f": {why[:300]}"
        lines.append(_one_line(line))
    return lines


class EmulatorSession:
    """What every test of this process shares: the server, the seed files, the namespace mode."""

    def __init__(self, config: pytest.Config) -> None:
        self.url: str | None = (config.getoption("--emulator-url") or "").rstrip("/") or None
        self.token: str | None = config.getoption("--emulator-token")
        self.keep: bool = config.getoption("--emulator-keep")
        self.seeds = [self._load(config, name) for name in config.getini("emulator_seed")]
        name = config.getini("emulator_namespace").strip()
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        self.namespace = f"{name}-{worker}" if name and worker else name or None
        self.env: dict[str, str] = {}
        for pair in config.getini("emulator_env"):
            variable, sep, provider = pair.partition("=")
            if not sep or not variable or not provider:
                raise pytest.UsageError(f"emulator_env: {pair!r} is not VARIABLE=provider")
            self.env[variable] = provider
        self._server = self._app = None
        self._client_paths: dict[str, str] | None = None
        self._counter = itertools.count(1)

    @staticmethod
    def _load(config: pytest.Config, name: str) -> dict[str, Any]:
        path = config.rootpath / name
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise pytest.UsageError(f"emulator_seed: cannot read {path}: {exc}") from None

    def base_url(self) -> str:
        """The server's base URL; starts the in-thread server on first need."""
        if self.url is None:
            from .app import create_app
            from .config import Settings
            from .server import BackgroundServer

            self._server = BackgroundServer(port=0)
            self._app = create_app(Settings(state=None, port=self._server.port))
            self._server.start(self._app)
            self.url = self._server.url
        return self.url

    def client_paths(self) -> dict[str, str]:
        if self._client_paths is None:
            self._client_paths = client_paths(self.base_url(), self.token)
        return self._client_paths

    def handle(self) -> Emulator:
        """A handle on the next test's namespace (not created yet)."""
        worker = os.environ.get("PYTEST_XDIST_WORKER", "w")
        namespace = self.namespace or f"t-{worker}-{next(self._counter)}-{uuid.uuid4().hex[:8]}"
        return Emulator(self.base_url(), namespace, self.token, self.client_paths(), self.seeds)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._app.extensions["emulator"].close()


SESSION = pytest.StashKey[EmulatorSession]()
HANDLE = pytest.StashKey[Emulator]()
OUTCOMES = pytest.StashKey[dict[str, str]]()


def _is_xdist_controller(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    session = config.stash[SESSION] = EmulatorSession(config)
    if session.namespace and session.env and not _is_xdist_controller(config):
        # Session mode: application code may read its URLs once, when a test module imports it.
        try:
            handle = session.handle()
            os.environ.update({name: handle.url(provider) for name, provider in session.env.items()})
        except EmulatorError as exc:
            raise pytest.UsageError(f"emulator_env: {exc}") from None


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(SESSION, None)
    if session is not None:
        session.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    item.stash.setdefault(OUTCOMES, {})[report.when] = report.outcome
    handle = item.stash.get(HANDLE, None)
    if handle is not None and report.when == "call" and report.failed:
        _add_journal(report, handle)
    return report


def _add_journal(report: pytest.TestReport, handle: Emulator) -> None:
    """Put the test's requests into its failure report (terminal output and JUnit XML alike)."""
    try:
        lines = journal_lines(handle.requests()) or ["(no requests)"]
    except EmulatorError as exc:
        lines = [f"(journal unavailable: {exc})"]
    title = f"emulator journal: namespace {handle.namespace}"
    if hasattr(report.longrepr, "addsection"):
        report.longrepr.addsection(title, "\n".join(lines))
    else:
        report.sections.append((title, "\n".join(lines)))


@pytest.fixture(scope="session")
def emulator_server(request: pytest.FixtureRequest) -> str:
    """Base URL of the emulator serving this session: in-thread, or the one named by --emulator-url."""
    return request.config.stash[SESSION].base_url()


@pytest.fixture
def emulator(emulator_server: str, request: pytest.FixtureRequest,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """A namespace holding the world (and the ``emulator_seed`` files): the test's own, or the session's."""
    session = request.config.stash[SESSION]
    handle = session.handle()
    if session.namespace:  # the previous test's records, journal, faults and clock go
        with contextlib.suppress(EmulatorError):  # the first test of the session finds no namespace
            handle.delete()
    handle.reset()  # creates the namespace: the world, then the seed files
    request.node.stash[HANDLE] = handle
    if session.env and not session.namespace:
        handle.setenv(monkeypatch, **session.env)
    yield handle
    outcomes = request.node.stash.get(OUTCOMES, {})
    passed = outcomes.get("setup") == "passed" and outcomes.get("call") == "passed"
    if passed and not session.keep and not session.namespace:
        handle.delete()
