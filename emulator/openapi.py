"""OpenAPI 3.1 documents per provider, generated with apispec from the providers' marshmallow schemas."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from . import __version__
from .providers.base import Provider


def document(provider: Provider, server_url: str) -> dict:
    """The provider's contract as served by this emulator at ``server_url`` (its mount)."""
    spec = APISpec(
        title=f"{provider.title or provider.name} (dataset-api-emulator)",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        servers=[{"url": server_url}],
    )
    provider.openapi(spec)
    return spec.to_dict()
