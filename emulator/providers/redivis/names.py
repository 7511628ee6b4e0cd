"""Redivis's name escaping and its dataset reference grammar."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Lower-case Crockford base32 without i, l, o, u: every character of 97 recorded ids, nothing else.
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_RE = re.compile(r"^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{9}$")
USER_NAME_RE = re.compile(r"^[A-Za-z0-9_]+$")
VERSION_RE = re.compile(r"^(?:v(\d+)[._](\d+)|current|next)$")
REFERENCE_ID_RE = re.compile(r"^[0-9a-z]{4}$")
RELEASED_TAG_RE = re.compile(r"v(\d+)\.(\d+)")  # how a released version's tag is stored
_NOT_NAME_CHAR_RE = re.compile(r"[^a-z0-9_]")
_UNDERSCORES_RE = re.compile(r"_+")


@functools.lru_cache(maxsize=65536)  # a response escapes its dataset's name several times
def escaped(name: str) -> str:
    """The name as references spell it; reproduces 95/95 recorded name -> reference pairs."""
    return _UNDERSCORES_RE.sub("_", _NOT_NAME_CHAR_RE.sub("_", name.lower())).strip("_")


def tag_of(major: int, minor: int) -> str:
    """The resource form of a version tag (``v1.0``)."""
    return f"v{major}.{minor}"


def reference_tag(tag: str) -> str:
    """The reference/URI form of a version tag (``v1_0``; ``next`` stays)."""
    return tag.replace(".", "_")


def url_tag(tag: str) -> str:
    """The ``?v=`` form on redivis.com (``1.0``; ``next`` stays)."""
    return tag[1:] if tag.startswith("v") and tag[1:2].isdigit() else tag


@dataclass(frozen=True)
class Reference:
    owner: str
    name: str
    reference_id: str | None
    version: str | None  # None (default), "current", "next" or (major, minor) as "vM.m"
    sample: bool


def parse_reference(text: str) -> Reference | None:
    """``owner.name[:refId][:sample][:version]``, already URL-decoded; None when it cannot be one."""
    owner, dot, rest = text.partition(".")
    if not dot or not owner or not rest:
        return None
    name, *tokens = rest.split(":")
    reference_id = version = None
    sample = False
    for position, token in enumerate(tokens):
        match = VERSION_RE.fullmatch(token)
        if match and version is None:
            version = tag_of(int(match[1]), int(match[2])) if match[1] is not None else token
        elif token == "sample" and not sample:
            sample = True
        elif position == 0 and REFERENCE_ID_RE.fullmatch(token.lower()):
            reference_id = token.lower()
        else:
            return None
    if not name and reference_id is None:
        return None
    return Reference(owner, name, reference_id, version, sample)
