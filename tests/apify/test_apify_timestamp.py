"""Timestamps read as JavaScript's ``toISOString()`` did under the strftime formatting, for any instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from emulator.providers.apify.model import timestamp


def strftime_timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 2, 3, 4, 5, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 6, 1, 0, 0, 0, 999, tzinfo=UTC),
    datetime(2026, 6, 1, 0, 0, 0, 1000, tzinfo=UTC),
    datetime(2026, 6, 1, 0, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    datetime(2026, 6, 1, 0, 0, 0, 654321),
    datetime(1000, 1, 1, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
])
def test_same_text_as_strftime(moment: datetime) -> None:
    assert timestamp(moment) == strftime_timestamp(moment)
