from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from faust.exceptions import ConsumerNotStarted
from faust.types import TP

from stream.logs import JsonFormatter
from stream.monitor import input_partitions, lag_seconds, messages_in_flight

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


class _Consumer:
    def __init__(self, assignment: set | None) -> None:
        self._assignment = assignment

    def assignment(self) -> set:
        if self._assignment is None:
            raise ConsumerNotStarted("Consumer thread not yet started")
        return self._assignment


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        (None, []),  # /readyz asked while the model loads, before the consumer thread starts
        ({TP("raw", 0), TP("other", 1)}, [TP("raw", 0)]),
    ],
)
def test_input_partitions_are_none_until_the_consumer_starts(assignment, expected) -> None:
    app = SimpleNamespace(consumer=_Consumer(assignment))
    assert input_partitions(app, "raw") == expected  # type: ignore[arg-type]


def test_messages_in_flight_leaves_out_acked_messages_still_in_fausts_unacked_set() -> None:
    # A record handed on again after a seek back, below what was committed: ack() marks it
    # acked but leaves it in the set, where it would hide a stall with nothing in flight.
    handed_again = SimpleNamespace(acked=True)
    consumer = SimpleNamespace(unacked=[handed_again, SimpleNamespace(acked=False), SimpleNamespace(acked=False)])
    assert messages_in_flight(consumer) == 2
    assert messages_in_flight(SimpleNamespace(unacked=[handed_again])) == 0
