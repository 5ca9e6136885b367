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
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import faust

from stream import metrics

log = logging.getLogger(__name__)

CHECK_SECONDS = 15.0


def skipped_heads(
    acked: Mapping[Any, Sequence[int]],
    committed: Mapping[Any, int | None],
    in_flight: Iterable[tuple[Any, int]],
    covered: Mapping[Any, Collection[int]] | None = None,
) -> dict[Any, int]:
    """Partitions whose next offset to commit lies below acknowledged offsets and is neither
    acknowledged, in flight, nor a known gap in the log (`covered`); each with that offset."""
    lowest_in_flight: dict[Any, int] = {}
    for tp, offset in in_flight:
        lowest_in_flight[tp] = min(offset, lowest_in_flight.get(tp, offset))
    heads = {}
    for tp, offsets in acked.items():
        head = committed.get(tp)
        if head is None or not offsets:
            continue
        lowest = min(offsets)  # at or below the head: the head itself is acknowledged or not yet passed
        if lowest <= head or head in (covered or {}).get(tp, ()):
            continue
        if lowest_in_flight.get(tp, lowest) < lowest:
            continue
        heads[tp] = head
    return heads


def consumer_heads(app: faust.App, topic: str) -> dict[Any, tuple[int, int]]:
    """skipped_heads() over the input topic's partitions, read from Faust's consumer: for
    each, the skipped offset and how many later offsets were acknowledged.

    Faust keeps acknowledged offsets, committed offsets and log gaps (offsets no
    record has, such as transaction markers) in private fields; this is the only
    place that reads them. A gap is asked about the head alone: its intervals may
    span many offsets.
    """
    consumer: Any = app.consumer
    assigned = consumer.assignment()
    committed = consumer._committed_offset
    acked = {tp: list(offsets) for tp, offsets in consumer._acked.items() if tp.topic == topic and tp in assigned}
    covered = {
        tp: [committed[tp]]
        for tp in acked
        if committed.get(tp) is not None and tp in consumer._gap and consumer._gap[tp].overlaps(committed[tp])
    }
    in_flight = [(m.tp, m.offset) for m in list(consumer.unacked) if m.tp.topic == topic and not m.acked]
    heads = skipped_heads(acked, committed, in_flight, covered)
    return {tp: (head, len(acked[tp])) for tp, head in heads.items()}


def install(app: faust.App, topic: str) -> None:
    """Check the input partitions every CHECK_SECONDS; seek back a head seen skipped twice in a row."""
    seen: dict[Any, int] = {}

    @app.timer(interval=CHECK_SECONDS)  # type: ignore[untyped-decorator]
    async def rewind_skipped_input() -> None:
        nonlocal seen
        heads = consumer_heads(app, topic)
        for tp, (offset, acked) in heads.items():
            if seen.get(tp) != offset:
                continue
            log.warning(
                "%s[%d]: offset %d was never processed though %d later offsets were; reading from it again",
                tp.topic,
                tp.partition,
                offset,
                acked,
            )
            metrics.input_rewinds.inc()
            await app.consumer.seek(tp, offset)
        seen = {tp: offset for tp, (offset, _) in heads.items()}
