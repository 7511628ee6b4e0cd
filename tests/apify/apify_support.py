"""Helpers for the Apify tests: drive the real client, sync or async, with its retries turned off."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from apify_client import ApifyClient, ApifyClientAsync

DEMO_TOKEN = "apify_api_demo_token"
OTHER_TOKEN = "apify_api_other_token"
DEMO_USER_ID = "dEmOuSeR0000000a1"
OTHER_USER_ID = "oThEruSeR00000b02"
ID_PATTERN = r"^[a-zA-Z0-9]{17}$"
TIMESTAMP_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
NAME_RULE_MESSAGE = ("Invalid value provided in dataset: name can only contain letters 'a' through 'z', the digits "
                     "'0' through '9', and the hyphen ('-') but only in the middle of the string (e.g. 'my-value-1')")


class Api:
    """One flavour of the real client (``sync`` or ``async``) pointed at the emulator.

    ``call(lambda client: client.datasets().list())`` runs the call (awaiting it for the async client) and returns
    its result or raises its exception. The client never retries: an answer it would have retried (a 5xx, a 429,
    a timeout) fails the test instead of being hidden by a second attempt.
    """

    def __init__(self, flavour: str, base_url: str, token: str | None = DEMO_TOKEN) -> None:
        self.flavour, self.base_url, self.token = flavour, base_url, token

    def with_token(self, token: str | None) -> Api:
        return Api(self.flavour, self.base_url, token)

    def options(self) -> dict[str, Any]:
        return {"api_url": self.base_url, "api_public_url": self.base_url, "max_retries": 0}

    def call(self, action: Callable[[Any], Any]) -> Any:
        if self.flavour == "sync":
            return action(ApifyClient(self.token, **self.options()))

        async def run() -> Any:
            return await action(ApifyClientAsync(self.token, **self.options()))

        return asyncio.run(run())
