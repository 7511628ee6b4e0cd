"""The control API under /_emulator and the test controls behind it (journal, faults, settings)."""
