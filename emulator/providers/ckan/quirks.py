"""CKAN 2.11.5's crashes, reproduced on purpose, in one place.

Real CKAN answers some bodies with its catch-all 500 (``{"__type": "Internal Server Error"}``) because a
validator, the database driver or PostgreSQL raises where CKAN expects nothing to go wrong. A client's
production code meets these on a real site, so the emulator answers them the same way. Each quirk below
names the input and says where CKAN crashes; the callers only ask.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .errors import InternalError

TRUTHY = ("true", "yes", "on", "y", "t", "1")
FALSY = ("false", "no", "off", "n", "f", "0")


class Crash(InternalError):
    """One of CKAN's own 500s; ``quirk`` names which."""

    def __init__(self, quirk: str) -> None:
        super().__init__(quirk)
        self.quirk = quirk


def crash(quirk: str) -> NoReturn:
    raise Crash(quirk)


def private_not_text(value: Any) -> None:
    """``boolean_validator`` calls ``.lower()`` on anything that is not a bool or None (``"private": 1``)."""
    if value is not None and not isinstance(value, bool | str):
        crash("private-not-text")


def bool_text(value: Any) -> None:
    """``asbool`` (``include_plugin_data``, ``use_default_schema``) raises on a string it does not know."""
    if isinstance(value, str) and value.strip().lower() not in (*TRUTHY, *FALSY):
        crash("bool-text-unknown")


def blank_natural_number(value: Any) -> None:
    """``natural_number_validator`` compares ``int_validator``'s None (for a blank string) with 0."""
    if value is None:
        crash("natural-number-blank")


def lone_surrogate() -> NoReturn:
    """A body with a lone surrogate escape (``"\\ud800"``): PostgreSQL cannot store the text; nothing is written."""
    crash("lone-surrogate")


def nul_in_query(ref: Any) -> None:
    """PostgreSQL refuses a NUL character in a query parameter: a name, id or reference CKAN looks up."""
    if isinstance(ref, str) and "\x00" in ref:
        crash("nul-in-query")


def nul_in_saved_text(value: Any) -> None:
    """PostgreSQL refuses a NUL character in stored text (``notes``, ``title``, an extra, a resource url...)."""
    if isinstance(value, str):
        nul_in_query(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            nul_in_saved_text(key)
            nul_in_saved_text(item)
    elif isinstance(value, list):
        for item in value:
            nul_in_saved_text(item)


def package_ref_not_text(ref: Any) -> None:
    """``model.Package.get`` with a list, number or object (``package_show`` with ``id`` as a list, or
    repeated in the query string) makes an invalid SQL comparison."""
    if not isinstance(ref, str):
        crash("package-ref-not-text")


def name_not_text(name: Any) -> None:
    """``package_name_validator`` looks a name up in the database even after ``name_validator`` said "Names
    must be strings" (the update schema puts it first): a number or list makes an invalid SQL comparison."""
    if not isinstance(name, str):
        crash("name-not-text")


def junk_key(data: dict[str, Any]) -> None:
    """A truthy top-level ``__junk`` in the body (with no real junk beside it) breaks navl's junk run."""
    if data.get("__junk"):
        crash("dunder-junk-key")


def extras_key_unhashable(key: Any) -> None:
    """``duplicate_extras_key`` puts each extras key in a set: a list or object key crashes it."""
    if isinstance(key, list | dict):
        crash("extras-key-unhashable")


def groups_not_iterable(groups: Any) -> None:
    """The group check of the auth functions iterates ``groups`` (``null`` or a number crashes it)."""
    if groups is None or isinstance(groups, bool | int | float):
        crash("groups-not-iterable")


def url_not_text(url: Any) -> None:
    """``urlparse`` on a resource url that is a number, list or object."""
    if url and not isinstance(url, str):
        crash("resource-url-not-text")


def update_resources_not_dicts(resources: Any) -> None:
    """``package_update`` builds an uploader for each resource before validating: ``null``, a number, or an
    entry that is not an object crashes it (a string or object is iterated, so each key or character too)."""
    if resources is None or isinstance(resources, bool | int | float):
        crash("update-resources-not-dicts")
    for entry in resources:
        if not isinstance(entry, dict):
            crash("update-resources-not-dicts")
        url_not_text(entry.get("url"))


def extras_value(value: Any) -> Any:
    """What the extras ``value`` column holds for a value that is not text.

    psycopg2 cannot adapt an object (500); it sends a list as a PostgreSQL ARRAY, which the text column
    stores in PostgreSQL's array syntax (``["a", "b c"]`` -> ``{a,"b c"}``); an array of mixed types or
    ragged dimensions is refused (500). Other values are left to the caller.
    """
    if isinstance(value, dict):
        crash("extras-value-object")
    if isinstance(value, list):
        return _array_text(value)
    return value


def _array_text(items: list[Any]) -> str:
    kinds = {_kind(item) for item in items} - {"null"}
    if len(kinds) > 1:
        crash("extras-value-mixed-array")
    if kinds == {"array"} and len({len(item) for item in items if isinstance(item, list)}) > 1:
        crash("extras-value-mixed-array")
    return "{" + ",".join(_element(item) for item in items) + "}"


def _kind(item: Any) -> str:
    if item is None:
        return "null"
    if isinstance(item, bool):
        return "bool"
    if isinstance(item, int | float):
        return "number"
    if isinstance(item, list):
        return "array"
    if isinstance(item, str):
        return "text"
    crash("extras-value-object")


def _element(item: Any) -> str:
    if item is None:
        return "NULL"
    if isinstance(item, bool):
        return "t" if item else "f"
    if isinstance(item, list):
        return _array_text(item)
    if isinstance(item, str):
        plain = item and item.upper() != "NULL" and not any(c in item for c in '{}",\\') \
            and not any(c.isspace() for c in item)
        return item if plain else '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(item)
