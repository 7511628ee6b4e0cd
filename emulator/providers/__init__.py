"""The registry: adding a provider means adding its package and one name here."""

from __future__ import annotations

from importlib import import_module

from .base import Provider

PROVIDER_PACKAGES = (
    "ckan",
    "apify",
    "redivis",
    "aitems",
    "qrvey",
)


def all_providers() -> list[Provider]:
    """Fresh provider instances, in registry order (each package exposes ``create()``)."""
    return [import_module(f"{__name__}.{name}").create() for name in PROVIDER_PACKAGES]
