"""Notices a stuck pipeline: input waiting, yet no batch finished for a long time.

The event loop answering (/livez) does not show that batches move: a batch
can wait for ever on a future that never completes while the loop idles.
The agent marks the stage its oldest batch is in and each finished batch;
the monitor compares that with the consumer lag.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class Progress:
    """Where the pipeline is, updated by the agent and read by the monitor."""

    stage: str = "waiting for input"
    last_batch: float = field(default_factory=time.monotonic)
    batches: int = 0
    lag: int = 0
    stalled: bool = False  # as last reported
    # Why the broker did not answer (a failed produce, changelog write or lag reading),
    # until it answers again.
    broker_error: str | None = None
    last_reread: float = 0.0  # when the input was last sought back because of a stall

    def at(self, stage: str) -> None:
        self.stage = stage

    def batch_done(self) -> None:
        self.batches += 1
        self.last_batch = time.monotonic()
        self.stage = "waiting for input"
        self.broker_error = None

    def broker_failing(self, error: str) -> None:
        self.broker_error = error

    def broker_answered(self) -> None:
        self.broker_error = None

    def observe_lag(self, lag: int) -> None:
        """Messages waiting on this worker's partitions; none waiting counts as progress.

        An idle worker is not a stuck one, and input that arrives after a quiet
        hour gets the full timeout to be processed.
        """
        self.lag = lag
        if lag == 0:
            self.last_batch = time.monotonic()


def stalled_seconds(progress: Progress, *, now: float, timeout: float) -> float:
    """Seconds since the last finished batch when input is waiting and that is over `timeout`; else 0."""
    idle = now - progress.last_batch
    if progress.lag > 0 and idle > timeout:
        return idle
    return 0.0


def liveness(progress: Progress, *, now: float, timeout: float) -> tuple[int, dict[str, object]]:
    """/livez's status and body: 503 for a stall a restart may cure, else 200.

    A batch that waits because the broker refuses or cannot be reached is reported
    stalled but stays live: a restarted worker would meet the same broker, and
    restarting during an outage only churns.
    """
    stalled = stalled_seconds(progress, now=now, timeout=timeout)
    if not stalled:
        return 200, {"status": "ok"}
    where = {"stage": progress.stage, "seconds": round(stalled)}
    if progress.broker_error is not None:
        return 200, {"status": "waiting for the broker", **where, "error": progress.broker_error}
    return 503, {"status": "stalled", **where}


def should_reread(progress: Progress, *, in_flight: int, now: float, timeout: float) -> bool:
    """True for a stall with input waiting, no batch taken, nothing in flight and the broker
    answering, at most once a timeout: the consumer holds nothing yet hands on nothing.

    Seeking its partitions back to their committed offsets loses nothing (nothing is
    in flight) and is what Faust itself does after a rebalance.
    """
    if not progress.stalled or progress.stage != "waiting for input" or in_flight or progress.broker_error:
        return False
    if now - progress.last_reread < timeout:
        return False
    progress.last_reread = now
    return True
