"""What makes two servers' answers comparable: base URLs, generated ids and timestamps replaced by tokens.

Ids are numbered by their first appearance within one scenario on one server, so ``<id:3>`` on both sides
means "the third id this scenario met", whatever either server generated.
"""

from __future__ import annotations

import json
import re
from typing import Any

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


class Normaliser:
    """One per scenario and server: it remembers the ids met so far."""

    def __init__(self, base_url: str, id_patterns: tuple[str, ...], time_patterns: tuple[str, ...] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.ids: dict[str, str] = {}
        self.id_pattern = _either(id_patterns)
        self.time_pattern = _either((TIMESTAMP.pattern, *time_patterns))

    def _number(self, match: re.Match[str]) -> str:
        return self.ids.setdefault(match.group(0), f"<id:{len(self.ids) + 1}>")

    def text(self, text: str) -> str:
        text = text.replace(self.base_url, "<base>")
        text = self.time_pattern.sub("<time>", text)
        if self.id_pattern is not None:
            text = self.id_pattern.sub(self._number, text)
        return text


def _either(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def canonical(value: Any) -> str:
    """One JSON text per value, whatever the key order (for the "same JSON" verdict)."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)


def dig(value: Any, path: str) -> Any:
    """``result.resources.0.id`` in a parsed answer; None when the path is not there."""
    for part in path.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def keep_run_items(value: Any, path: str, run: str) -> Any:
    """In a list answer shared with other users of a real service, keep only this run's items."""
    *parents, last = path.split(".")
    holder = dig(value, ".".join(parents)) if parents else value
    if isinstance(holder, dict) and isinstance(holder.get(last), list):
        holder[last] = [item for item in holder[last] if _names_run(item, run)]
    return value


def _names_run(item: Any, run: str) -> bool:
    """A name holding the run id, or an object with such a name among its string values."""
    if isinstance(item, dict):
        return any(isinstance(v, str) and run in v for v in item.values())
    return isinstance(item, str) and run in item
