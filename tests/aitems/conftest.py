"""Fixtures of the aitems tests: a signed client on this test's namespace, and its settings."""

from __future__ import annotations

from typing import Any

import pytest
from aitems_signer import AitemsClient


@pytest.fixture
def aitems(emulator) -> AitemsClient:
    return AitemsClient(emulator.mount("aitems"))


@pytest.fixture
def aitems_config(emulator):
    """Set this namespace's aitems settings (seeded, so the provider checks them)."""

    def apply(**settings: Any) -> None:
        emulator.seed({"aitems": {"config": [settings]}})

    return apply
