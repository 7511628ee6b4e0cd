"""The control API under /_emulator: the HTTP API of the core's journal, faults, seeds and settings."""
