from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

from stream.logs import JsonFormatter
from stream.monitor import lag_seconds

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published_at", "expected"),
    [
        ("2024-05-01T11:59:30Z", 30.0),
        ("2024-05-01T13:59:30+02:00", 30.0),
        ("2024-05-01T11:59:30", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_lag_from_published_at(published_at: str | None, expected: float | None) -> None:
    assert lag_seconds(published_at, now=NOW) == expected


def test_json_log_lines_are_single_objects() -> None:
    record = logging.LogRecord("stream.agents", logging.INFO, __file__, 1, "batch: %d", (3,), None)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == ("info", "stream.agents", "batch: 3")
