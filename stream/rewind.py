"""Input a partition's commit waits for but that never reached the agent: read it again.

Faust commits a partition up to its first unacknowledged offset. A record its
fetcher skips is never handed to the agent, so that commit stops for good: the
article is never enriched, and every later offset is read again at the next
restart. This was seen after a restart whose table recovery started the fetcher
before the input partitions were sought to their committed offsets: the first
records of each partition were acknowledged nowhere and in flight nowhere.

So when the next offset to commit has been passed by acknowledged ones, with
nothing of that partition in flight, twice in a row, the partition is sought
back to it. What was already done is done again (same event ids: at-least-once).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import faust

from stream import metrics

log = logging.getLogger(__name__)

CHECK_SECONDS = 15.0


def skipped_heads(
    acked: Mapping[Any, Sequence[int]],
    committed: Mapping[Any, int | None],
    in_flight: Iterable[tuple[Any, int]],
    covered: Mapping[Any, Iterable[int]] | None = None,
) -> dict[Any, int]:
    """Partitions whose next offset to commit lies below acknowledged offsets and is neither
    acknowledged, in flight, nor a known gap in the log (`covered`); each with that offset."""
    lowest_in_flight: dict[Any, int] = {}
    for tp, offset in in_flight:
        lowest_in_flight[tp] = min(offset, lowest_in_flight.get(tp, offset))
    heads = {}
    for tp, offsets in acked.items():
        head = committed.get(tp)
        if head is None or not offsets or head in offsets:
            continue
        if min(offsets) <= head or head in set((covered or {}).get(tp, ())):
            continue
        if lowest_in_flight.get(tp, min(offsets)) < min(offsets):
            continue
        heads[tp] = head
    return heads


def consumer_heads(app: faust.App, topic: str) -> dict[Any, int]:
    """skipped_heads() over the input topic's partitions, read from Faust's consumer.

    Faust keeps acknowledged offsets, committed offsets and log gaps (offsets no
    record has, such as transaction markers) in private fields; this is the only
    place that reads them.
    """
    consumer: Any = app.consumer
    assigned = consumer.assignment()
    acked = {tp: list(offsets) for tp, offsets in consumer._acked.items() if tp.topic == topic and tp in assigned}
    covered = {tp: [o for iv in consumer._gap.get(tp, ()) for o in range(iv.begin, iv.end)] for tp in acked}
    in_flight = [(m.tp, m.offset) for m in list(consumer.unacked) if m.tp.topic == topic and not m.acked]
    return skipped_heads(acked, consumer._committed_offset, in_flight, covered)


def install(app: faust.App, topic: str) -> None:
    """Check the input partitions every CHECK_SECONDS; seek back a head seen skipped twice in a row."""
    seen: dict[Any, int] = {}

    @app.timer(interval=CHECK_SECONDS)  # type: ignore[untyped-decorator]
    async def rewind_skipped_input() -> None:
        nonlocal seen
        heads = consumer_heads(app, topic)
        for tp, offset in heads.items():
            if seen.get(tp) != offset:
                continue
            acked = len(app.consumer._acked.get(tp, ()))  # type: ignore[attr-defined]
            log.warning(
                "%s[%d]: offset %d was never processed though %d later offsets were; reading from it again",
                tp.topic,
                tp.partition,
                offset,
                acked,
            )
            metrics.input_rewinds.inc()
            await app.consumer.seek(tp, offset)
        seen = heads
