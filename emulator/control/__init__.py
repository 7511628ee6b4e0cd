"""The control API under /_emulator: health, providers, seed, state, reset."""

from .routes import control_blueprint, control_error

__all__ = ["control_blueprint", "control_error"]
