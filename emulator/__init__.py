"""dataset-api-emulator: a local emulator of dataset-creation APIs."""

__version__ = "0.1.0"
