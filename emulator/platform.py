"""The provider-agnostic core: namespaces, their tables, runtimes, request scopes, seeding and export."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any

from . import jsontext
from .config import Settings
from .errors import ControlError, NamespaceLimitError
from .faults import Faults
from .journal import Journal
from .providers import rules
from .providers.base import Provider, Record, SeedError
from .runtime import Runtime
from .store import Store

log = logging.getLogger("emulator")

DEFAULT_NAMESPACE = "default"
WORLD_NAMESPACE = "_world"  # where the default world is prepared once; not a valid user namespace
NAMESPACE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def default_world() -> dict[str, Any]:
    return json.loads(resources.files("emulator.fixtures").joinpath("default.json").read_text())


class Table:
    """One collection of one provider in one namespace."""

    def __init__(self, store: Store, name: str, key_fields: tuple[str, ...]) -> None:
        self.store, self.name, self.key_fields = store, name, key_fields

    def key(self, *values: Any) -> str:
        return "|".join(str(v) for v in values)

    def get(self, *key: Any) -> Record | None:
        return self.store.get(self.name, self.key(*key))

    def put(self, record: Record) -> Record:
        return self.store.put(self.name, record, self.key(*(record.get(f) for f in self.key_fields)))

    def delete(self, *key: Any) -> bool:
        return self.store.delete(self.name, self.key(*key))

    def all(self) -> list[Record]:
        return self.store.records(self.name)

    # Through the store's secondary indexes: a look-up by field costs the same at 100k records as at 10.
    def find(self, **equals: Any) -> list[Record]:
        return self.store.find(self.name, equals)

    def first(self, **equals: Any) -> Record | None:
        found = self.store.find(self.name, equals, limit=1)
        return found[0] if found else None

    def count(self) -> int:
        return self.store.count(self.name)


class Scope:
    """The namespace and provider a request (or a seed) acts in, with what it looked up once."""

    __slots__ = ("platform", "namespace", "provider", "preview", "_runtime", "_config", "_tables", "_base_url",
                 "memo")

    def __init__(self, platform: Platform, namespace: str, provider: str, preview: bool = False) -> None:
        """``preview``: the namespace does not exist (and must not be created); read the world it would start
        with, on a clock of its own that nothing keeps."""
        self.platform, self.namespace, self.provider, self.preview = platform, namespace, provider, preview
        self._runtime: Runtime | None = None
        self._config: dict[str, Any] | None = None
        self._tables: dict[str, Table] = {}
        self._base_url: str | None = None
        self.memo: dict[Any, Any] = {}

    def table(self, collection: str) -> Table:
        table = self._tables.get(collection)
        if table is None:
            table = self._tables[collection] = (
                self.platform.world_table(self.provider, collection) if self.preview
                else self.platform.table(self.namespace, self.provider, collection))
        return table

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            prefix = "" if self.namespace == "default" else f"/_ns/{self.namespace}"
            self._base_url = f"{self.platform.settings.base_url()}{prefix}/{self.provider}"
        return self._base_url

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = (self.platform.fresh_runtime() if self.preview
                             else self.platform.runtime(self.namespace))
        return self._runtime

    @property
    def config(self) -> dict[str, Any]:
        # Read once per request: settings change through other (control) requests.
        if self._config is None:
            self._config = self.platform.config(self.namespace, self.provider)
        return self._config


# The current request's scope, read by ``emulator.context``. A context variable rather than flask.g:
# providers call context functions dozens of times a request, and a LocalProxy look-up costs several
# times a ContextVar read.
SCOPE: ContextVar[Scope | None] = ContextVar("emulator_scope", default=None)


class Platform:
    def __init__(self, settings: Settings, providers: list[Provider]) -> None:
        self.settings = settings
        self.providers = {p.name: p for p in providers}
        self.store = Store(settings.state, self._key_of, durable=settings.durable, repair=settings.repair)
        self._runtimes: dict[str, Runtime] = {}
        self.journal = Journal(settings.journal_size, [h for p in providers for h in p.secret_headers],
                               [q for p in providers for q in p.secret_params])
        self.faults = Faults()
        self.snapshots: dict[tuple[str, str], dict] = {}
        self._ready: set[str] = {t.split("/", 1)[0] for t in self.store.tables()}
        self._ns_lock = threading.Lock()
        self.stopping = threading.Event()  # set when the server stops: fault delays end at once
        # The world: what every namespace starts with and goes back to on reset. It is prepared once in a
        # store of its own, which each namespace forks (copy on write: a namespace that only reads it costs
        # no records); it lives in memory, rebuilt from the settings at every start. A world that namespaces
        # fork is frozen: changing it makes a new one, so namespaces that exist keep the world they had.
        builtin = {p: c for p, c in default_world().items() if p in self.providers} if settings.default_world else {}
        self._world_docs = [builtin] + [load_seed_file(path) for path in settings.seed_files]
        self._world_store = Store(None, self._key_of)
        self._start_world: dict[str, Any] | None = None  # the prepared start-up world, for reset_world()
        self._world_lock = threading.RLock()  # a namespace never forks a half-merged world

    def close(self) -> None:
        self.stopping.set()
        self.store.close()

    def _key_of(self, table: str, record: Record) -> str:
        _, provider, collection = table.split("/")
        fields = self.providers[provider].collections[collection]
        return "|".join(str(record.get(f)) for f in fields)

    # ---- namespaces ----------------------------------------------------------------------------

    def check_namespace(self, namespace: str) -> str:
        if namespace not in self._ready and not NAMESPACE_RE.fullmatch(namespace):
            raise ControlError(f"invalid namespace {namespace!r}: use 1-64 of [A-Za-z0-9_.-], "
                               "starting with a letter or digit")
        return namespace

    def has_namespace(self, namespace: str) -> bool:
        return namespace in self._ready

    def exists(self, namespace: str) -> bool:
        """Whether a namespace is in use; ``default`` always is (it is created when first needed)."""
        return self.has_namespace(namespace) or namespace == DEFAULT_NAMESPACE

    def ensure_namespace(self, namespace: str) -> None:
        """Create a namespace on first use, with the world in it.

        Runs inside a request context: providers prepare seed records through ``emulator.context``.
        Refused (``NamespaceLimitError``) once ``max_namespaces`` exist.
        """
        if namespace in self._ready:
            return
        with self._ns_lock:
            if namespace in self._ready:
                return
            limit = self.settings.max_namespaces
            if len(self._ready) >= limit:
                raise NamespaceLimitError(f"namespace {namespace!r} cannot be created: the emulator keeps at most "
                                          f"{limit} namespaces (delete some through DELETE "
                                          "/_emulator/namespaces/<ns>, or serve with --max-namespaces)")
            self._fork_world(namespace)
            self._ready.add(namespace)  # only now: concurrent first requests wait for the world above

    def _fork_world(self, namespace: str, provider: str | None = None) -> None:
        """Give a namespace the world (or one provider's part of it, replacing what it held): its tables read
        the world's until written."""
        with self._world_lock:
            self.prepare_world()
            if provider:
                self.store.fork(f"{namespace}/{provider}", self._world_store, f"{WORLD_NAMESPACE}/{provider}")
            else:
                self.store.fork(namespace, self._world_store, WORLD_NAMESPACE)

    @contextmanager
    def bound(self, namespace: str, provider: str) -> Iterator[None]:
        """Act as ``provider`` in ``namespace`` outside a request of its own (seeding)."""
        token = SCOPE.set(Scope(self, namespace, provider))
        try:
            yield
        finally:
            SCOPE.reset(token)

    def world_table(self, provider: str, collection: str) -> Table:
        """A table as every new namespace starts with it: for reading a namespace that does not exist yet."""
        self.prepare_world()
        return self.table(WORLD_NAMESPACE, provider, collection)

    def namespaces(self) -> list[str]:
        return sorted(self._ready)

    def delete_namespace(self, namespace: str) -> None:
        """Remove a namespace with everything it holds: records, journal, faults, clock, snapshots."""
        with self._ns_lock:
            self.store.drop(f"{namespace}/")
            self._ready.discard(namespace)
            self._runtimes.pop(namespace, None)
        self.journal.clear(namespace)
        self.faults.remove(namespace)
        for key in [key for key in self.snapshots if key[0] == namespace]:
            del self.snapshots[key]

    # ---- the world -----------------------------------------------------------------------------

    def prepare_world(self) -> None:
        """Prepare the start-up world (the default world, then each seed file) unless it is ready.

        Runs inside a request context, like seeding; a bad seed file raises ``ControlError``.
        """
        with self._world_lock:
            if self._start_world is None:
                for doc in self._world_docs:
                    self.seed(WORLD_NAMESPACE, doc)
                self._start_world = self.export(WORLD_NAMESPACE)

    def share_world(self) -> None:
        """Let the namespaces loaded from the state file read the world again where they hold what it holds.

        A restart loads each namespace's copy of the world it forked (the log holds those records), so a
        long-lived durable server would grow with every namespace it ever made; ``Store.share`` gives the
        memory back and keeps every answer. Runs at start-up, inside a request context (it prepares the world).
        """
        with self._world_lock:
            self.prepare_world()
            self.store.share(self._ready, self._world_store, WORLD_NAMESPACE)

    def world(self) -> dict[str, dict[str, list[Record]]]:
        with self._world_lock:
            self.prepare_world()
            return self.export(WORLD_NAMESPACE)

    def seed_world(self, data: Any) -> dict[str, dict[str, int]]:
        """Merge a seed document into the world: namespaces created (or reset) from now on hold it."""
        with self._world_lock:
            self.prepare_world()
            if self._world_store.frozen:  # namespaces read it: the new world is a copy
                self._world_store = self._world_store.copy()
            return self.seed(WORLD_NAMESPACE, data)

    def reset_world(self) -> None:
        """Put back the world the server started with."""
        with self._world_lock:
            self.prepare_world()
            self._world_store = Store(None, self._key_of)
            self._merge(WORLD_NAMESPACE, self._start_world or {}, prepare=False)

    def runtime(self, namespace: str) -> Runtime:
        runtime = self._runtimes.get(namespace)
        if runtime is None:
            runtime = self._runtimes.setdefault(namespace, self.fresh_runtime())
        return runtime

    def fresh_runtime(self) -> Runtime:
        """The clock and ids a new namespace starts with."""
        fresh = Runtime()
        fresh.ids.reseed(self.settings.id_seed)
        fresh.clock.freeze(self.settings.freeze_time)
        return fresh

    def table(self, namespace: str, provider: str, collection: str) -> Table:
        fields = self.providers[provider].collections[collection]
        store = self._world_store if namespace == WORLD_NAMESPACE else self.store
        return Table(store, f"{namespace}/{provider}/{collection}", fields)

    def config(self, namespace: str, provider: str) -> dict[str, Any]:
        """The provider's settings in a namespace: its defaults overridden by its ``config`` record."""
        merged = dict(self.providers[provider].config_defaults)
        if "config" in self.providers[provider].collections:
            merged.update(self.config_record(namespace, provider))
        return merged

    def config_record(self, namespace: str, provider: str) -> Record:
        """The settings a namespace overrides (its provider's ``config`` record)."""
        return self.table(namespace, provider, "config").get() or {}

    # ---- seed, export, reset -------------------------------------------------------------------

    def seed(self, namespace: str, data: Any) -> dict[str, dict[str, int]]:
        """Merge ``{provider: {collection: [records]}}`` into a namespace (or the world); records replace by key.

        All or nothing: a record that is refused (``ControlError`` naming it) leaves the namespace as it was.
        """
        self._validate_seed(data)
        world = namespace == WORLD_NAMESPACE
        new = not world and namespace not in self._ready
        if not world:
            self.ensure_namespace(namespace)
        before = {p: self.export(namespace, p)[p] for p in data}
        try:
            return self._merge(namespace, data, prepare=True)
        except ControlError:  # put the touched providers back as they were
            if new:  # a refused seed leaves no namespace behind
                self.delete_namespace(namespace)
            else:
                store = self._world_store if world else self.store
                for provider in data:
                    store.drop(f"{namespace}/{provider}/")
                self._merge(namespace, before, prepare=False)
            raise

    def _validate_seed(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ControlError('seed must be a JSON object {"<provider>": {"<collection>": [records]}}')
        for provider, collections in data.items():
            if provider not in self.providers:
                raise ControlError(f"unknown provider {provider!r}; known: {sorted(self.providers)}")
            if not isinstance(collections, dict):
                raise ControlError(f"seed for {provider!r} must be an object of collections")
            for collection, records in collections.items():
                if collection not in self.providers[provider].collections:
                    known = sorted(self.providers[provider].collections)
                    raise ControlError(f"unknown collection {provider}.{collection}; known: {known}")
                if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                    raise ControlError(f"{provider}.{collection} must be a list of objects")

    def _merge(self, namespace: str, data: dict, prepare: bool) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for provider_name, collections in data.items():
            provider = self.providers.get(provider_name)
            if provider is None:
                continue
            for collection, records in collections.items():
                table = self.table(namespace, provider_name, collection)
                for index, record in enumerate(records):
                    try:
                        if prepare:
                            record = self._prepare(provider, namespace, collection, record)
                        missing = [f for f in table.key_fields if f not in record]
                        if missing:
                            raise SeedError(f"lacks key field(s) {missing}")
                        table.put(record)
                    except (SeedError, jsontext.Unportable) as exc:
                        raise ControlError(f"{provider_name}.{collection}[{index}] {json.dumps(record)[:200]}: "
                                           f"{exc}") from None
                counts.setdefault(provider_name, {})[collection] = len(records)
        return counts

    def _prepare(self, provider: Provider, namespace: str, collection: str, record: Record) -> Record:
        """The provider's stored form of a seed record, or ``SeedError`` saying why it is unusable.

        Any exception counts: a provider that meets a shape it did not expect (``"tags": 5``) refuses the
        record rather than failing the whole seed with a 500.
        """
        if collection == "config":
            problem = rules.problem(provider.config_rules, record)
            if problem:
                raise SeedError(problem)
        try:
            with self.bound(namespace, provider.name):
                return provider.prepare_seed(collection, record)
        except SeedError:
            raise
        except Exception as exc:  # noqa: BLE001 (see the docstring)
            log.info("seed record refused by %s: %r", provider.name, exc)
            raise SeedError(f"malformed record ({type(exc).__name__}: {exc})") from None

    def export(self, namespace: str, provider: str | None = None) -> dict[str, dict[str, list[Record]]]:
        if namespace != WORLD_NAMESPACE:
            self.ensure_namespace(namespace)
        names = [provider] if provider else list(self.providers)
        return {p: {c: self.table(namespace, p, c).all() for c in self.providers[p].collections}
                for p in names}

    def reset(self, namespace: str | None = None, provider: str | None = None) -> None:
        """Back to the world: every namespace, one namespace, or one provider in a namespace."""
        with self._ns_lock:
            if namespace is None:
                self.store.drop("")
                self._ready.clear()
                self._runtimes.clear()
            elif provider is None:
                self.store.drop(f"{namespace}/")
                self._ready.discard(namespace)
                self._runtimes.pop(namespace, None)
            elif namespace in self._ready:
                self._fork_world(namespace, provider)
        self.ensure_namespace(namespace or DEFAULT_NAMESPACE)

    def restore(self, namespace: str, data: dict) -> None:
        """Replace a namespace's records with an export (a snapshot), nothing else added."""
        with self._ns_lock:
            self.store.drop(f"{namespace}/")
            self._ready.add(namespace)
            self._merge(namespace, data, prepare=False)


def load_seed_file(path: Path) -> dict:
    try:
        return jsontext.loads(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise ControlError(f"cannot read seed file {path}: {exc}") from None
