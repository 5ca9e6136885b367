"""Log set-up: a Kafka client's repeated errors are held back, everything else passes."""

from __future__ import annotations

import logging

from stream.logs import RepeatFilter


def record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_repeated_client_error_shows_once_a_window_with_the_count_held_back() -> None:
    now = [0.0]
    repeats = RepeatFilter(window=10)
    repeats.clock = lambda: now[0]
    shown = []
    for second in range(25):
        now[0] = float(second)
        for _ in range(40):
            entry = record("aiokafka.client", "Unable connect to node with id %s: %s", 1, "refused")
            if repeats.filter(entry):
                shown.append((second, entry.getMessage()))
    assert [second for second, _ in shown] == [0, 10, 20]
    assert shown[0][1] == "Unable connect to node with id 1: refused"
    assert shown[1][1] == "Unable connect to node with id 1: refused (and 399 more like it in the last 10 s)"


def test_other_templates_and_other_loggers_are_never_held_back() -> None:
    repeats = RepeatFilter(window=10)
    repeats.clock = lambda: 0.0
    assert repeats.filter(record("aiokafka", "Unable to update metadata from %s", 1))
    assert repeats.filter(record("aiokafka", "Heartbeat failed"))
    assert all(repeats.filter(record("stream.agents", "dead letter: %s", "schema")) for _ in range(100))
