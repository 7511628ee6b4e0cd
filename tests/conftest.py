import sys
from pathlib import Path

import pytest

# Test helpers (the dummy provider, the subprocess server) are plain modules beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def dummy_base():
    """Base URL of an in-thread server with only the provider-agnostic dummy provider."""
    from dummy_provider import DummyProvider

    from emulator.app import create_app
    from emulator.config import Settings
    from emulator.server import BackgroundServer

    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port, default_world=False, journal_size=50),
                     providers=[DummyProvider()])
    server.start(app)
    yield server.url
    server.stop()
