"""A stall is input waiting with no finished batch for longer than the timeout; idle is not a stall."""

from __future__ import annotations

import time

from stream.watchdog import Progress, liveness, should_reread, stalled_seconds


def test_input_waiting_with_no_batch_finished_past_the_timeout_is_a_stall() -> None:
    progress = Progress()
    progress.observe_lag(40)
    progress.at("producing")
    now = progress.last_batch + 121
    assert stalled_seconds(progress, now=now, timeout=120) == 121
    assert stalled_seconds(progress, now=progress.last_batch + 119, timeout=120) == 0


def test_an_idle_worker_is_not_stalled_and_new_input_gets_the_whole_timeout() -> None:
    progress = Progress(last_batch=time.monotonic() - 3600)
    assert stalled_seconds(progress, now=time.monotonic(), timeout=120) == 0  # nothing waiting
    progress.observe_lag(0)  # the lag reading that showed nothing waiting
    progress.observe_lag(25)  # input arrives
    assert stalled_seconds(progress, now=time.monotonic(), timeout=120) == 0


def test_a_finished_batch_ends_a_stall() -> None:
    progress = Progress(last_batch=time.monotonic() - 600)
    progress.observe_lag(5)
    assert stalled_seconds(progress, now=time.monotonic(), timeout=120) > 0
    progress.batch_done()
    assert stalled_seconds(progress, now=time.monotonic(), timeout=120) == 0
    assert (progress.batches, progress.stage) == (1, "waiting for input")


def test_a_stall_is_not_live_unless_the_batch_is_retrying_the_broker() -> None:
    progress = Progress()
    progress.observe_lag(40)
    progress.at("producing")
    now = progress.last_batch + 200
    assert liveness(progress, now=progress.last_batch + 1, timeout=120) == (200, {"status": "ok"})
    stalled = {"status": "stalled", "stage": "producing", "seconds": 200}
    assert liveness(progress, now=now, timeout=120) == (503, stalled)
    progress.broker_failing("KafkaConnectionError()")
    status, body = liveness(progress, now=now, timeout=120)
    assert (status, body["status"], body["error"]) == (200, "waiting for the broker", "KafkaConnectionError()")
    progress.broker_answered()  # the broker is back: a stall from here on is not its doing
    assert liveness(progress, now=now, timeout=120)[0] == 503
    progress.broker_failing("consumer lag unreadable")
    progress.batch_done()  # a finished batch shows the broker answered
    assert progress.broker_error is None


def test_a_stall_with_nothing_taken_or_in_flight_is_read_again_once_a_timeout() -> None:
    progress = Progress(stalled=True)
    assert should_reread(progress, in_flight=0, now=1000.0, timeout=30)
    assert not should_reread(progress, in_flight=0, now=1010.0, timeout=30)  # once per timeout
    assert should_reread(progress, in_flight=0, now=1031.0, timeout=30)
    assert not should_reread(progress, in_flight=3, now=2000.0, timeout=30)  # something in flight
    progress.at("enriching")
    assert not should_reread(progress, in_flight=0, now=3000.0, timeout=30)  # a batch is being worked on
    progress.at("waiting for input")
    progress.broker_failing("consumer lag unreadable")
    assert not should_reread(progress, in_flight=0, now=4000.0, timeout=30)  # the broker's outage, not ours
    assert not should_reread(Progress(), in_flight=0, now=5000.0, timeout=30)  # not stalled
