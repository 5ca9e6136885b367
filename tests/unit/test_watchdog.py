"""A stall is input waiting with no finished batch for longer than the timeout; idle is not a stall."""

from __future__ import annotations

import time

from stream.watchdog import Progress, stalled_seconds


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
