"""Fixtures for the Qrvey tests: a requests session pointed at the emulator like a real devapi client."""

from __future__ import annotations

import pytest
from qrvey_world import Qrvey


@pytest.fixture
def qrvey(emulator) -> Qrvey:
    return Qrvey(emulator.url("qrvey"))
