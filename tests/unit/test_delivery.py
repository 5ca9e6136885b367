"""Batches prepared concurrently are delivered, and their input acked, in the order read."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest

from stream import agents
from stream.agents import PreparedBatch, deliver_in_order
from stream.nlp import Enrichment
from stream.watchdog import Progress


class AckingStream:
    def __init__(self) -> None:
        self.acked: list[str] = []

    async def ack(self, event: str) -> None:
        self.acked.append(event)


# An empty batch routes to no message and no state write, so no table is touched.
NO_TABLES = SimpleNamespace(articles=None, lineage=None)


async def test_batches_prepared_together_are_delivered_and_acked_in_input_order() -> None:
    finished: list[str] = []

    async def prepare(name: str, seconds: float) -> PreparedBatch:
        await asyncio.sleep(seconds)
        finished.append(name)
        return PreparedBatch([name], [], [], Enrichment([]), time.perf_counter())  # type: ignore[list-item]

    in_flight = asyncio.Semaphore(agents.BATCHES_IN_FLIGHT)
    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
    for name, seconds in (("first", 0.3), ("second", 0.0)):
        await in_flight.acquire()
        preparing.put_nowait(asyncio.create_task(prepare(name, seconds)))
    stream = AckingStream()
    progress = Progress()
    delivering = asyncio.create_task(
        deliver_in_order(preparing, stream, None, NO_TABLES, in_flight, progress)  # type: ignore[arg-type]
    )
    for _ in range(agents.BATCHES_IN_FLIGHT):  # each delivered batch frees its slot
        await asyncio.wait_for(in_flight.acquire(), timeout=10)
    delivering.cancel()
    assert finished == ["second", "first"]
    assert stream.acked == ["first", "second"]
    assert progress.batches == 2


async def test_a_batch_that_fails_to_prepare_ends_delivery_unacked() -> None:
    async def fail() -> PreparedBatch:
        raise RuntimeError("bug in a batch")

    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
    preparing.put_nowait(asyncio.create_task(fail()))
    stream = AckingStream()
    progress = Progress()
    with pytest.raises(RuntimeError, match="bug in a batch"):
        await deliver_in_order(preparing, stream, None, NO_TABLES, asyncio.Semaphore(1), progress)  # type: ignore[arg-type]
    assert stream.acked == []
    assert (progress.batches, progress.stage) == (0, "enriching")
