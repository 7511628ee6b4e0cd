import sys
from pathlib import Path

# Test helpers (the dummy provider, signers) are plain modules beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["pytester"]
