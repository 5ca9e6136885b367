"""Input a partition's commit waits for but that never reached the agent: read it again.

Faust commits a partition up to its first unacknowledged offset (the head), and
hands the agent only offsets at or above the last one it handed on (its read
offset). A record that is skipped is never handed to the agent, so that commit
stops for good: the article is never enriched, and every later offset is read
again at the next restart. Two ways this was seen:
- after a restart whose table recovery started the fetcher before the input
  partitions were sought to their committed offsets, the first records of each
  partition were acknowledged nowhere and in flight nowhere, below later
  acknowledged ones;
- after a second worker left, a partition came back whose read offset stood
  above its head (a batch fetched before the rebalance was still being handed
  on after the seek), so the records from the head up were dropped as already
  read, with nothing after them to acknowledge.

So when the head has been passed, by acknowledged offsets or by the read offset,
with nothing of that partition in flight below, twice in a row, the partition is
sought back to it (which also sets the read offset there). What was already done
is done again (same event ids: at-least-once).

Faust can also commit past such a record, which loses it (see `held_commit`):
`guard_commits` holds those commits, so the head stays and is read again here.
"""

from __future__ import annotations

import logging
from collections import defaultdict
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
    read: Mapping[Any, int | None] | None = None,
) -> dict[Any, int]:
    """Partitions whose head (next offset to commit) will never reach the agent, each with that offset.

    The head is passed by the lowest acknowledged offset or, with none, by the read
    offset (`read`); it is neither acknowledged, in flight below what passed it, nor
    a known gap in the log (`covered`).
    """
    lowest_in_flight: dict[Any, int] = {}
    for tp, offset in in_flight:
        lowest_in_flight[tp] = min(offset, lowest_in_flight.get(tp, offset))
    heads = {}
    for tp, head in committed.items():
        if head is None or head in (covered or {}).get(tp, ()):
            continue
        offsets = acked.get(tp) or ()
        passed = min(offsets) if offsets else (read or {}).get(tp)
        if passed is None or passed <= head:  # the head itself is acknowledged, or not yet passed
            continue
        if lowest_in_flight.get(tp, passed) < passed:
            continue
        heads[tp] = head
    return heads


def consumer_heads(app: faust.App, topic: str) -> dict[Any, tuple[int, int | None]]:
    """skipped_heads() over the input topic's assigned partitions, read from Faust's consumer:
    for each, the skipped offset and the offset that passed it.

    Faust keeps acknowledged, committed and read offsets and log gaps (offsets no
    record has, such as transaction markers) in private fields; this is the only
    place that reads them. A gap is asked about the head alone: its intervals may
    span many offsets.
    """
    consumer: Any = app.consumer
    assigned = [tp for tp in consumer.assignment() if tp.topic == topic]
    committed = {tp: consumer._committed_offset.get(tp) for tp in assigned}
    acked = {tp: list(consumer._acked.get(tp, ())) for tp in assigned}
    read = {tp: consumer._read_offset.get(tp) for tp in assigned}
    covered = {
        tp: [head]
        for tp, head in committed.items()
        if head is not None and tp in consumer._gap and consumer._gap[tp].overlaps(head)
    }
    in_flight = [(m.tp, m.offset) for m in in_flight_messages(consumer) if m.tp.topic == topic]
    heads = skipped_heads(acked, committed, in_flight, covered, read)
    return {tp: (head, min(acked[tp]) if acked[tp] else read[tp]) for tp, head in heads.items()}


def held_commit(
    committed: int | None, acked: Collection[int], fetched: Collection[int], gaps: Iterable[tuple[int, int]]
) -> tuple[bool, list[int]]:
    """Whether a partition's commit must stay at `committed`, and which offsets are no gap.

    Faust commits up to the first offset neither acknowledged nor in a gap (offsets
    it believes hold no record, [begin, end) intervals), with two holes that lose a
    record the consumer dropped:
    - it lets the committed offset itself go unacknowledged when the next one is
      acknowledged (so that a transaction marker there does not hold it): one article
      in each of three partitions was lost this way after a rebalance;
    - after a seek it may hand on a record fetched before the seek and take the jump
      from the committed offset to it for a gap: offsets 48 to 52 were, with records.

    An offset the fetcher returned (`fetched`) holds a record. So the commit stays
    while the committed offset was fetched and is not acknowledged but a later one is,
    and fetched offsets that are not acknowledged are no gap.
    """
    done, intervals = set(acked), list(gaps)
    hold = (
        committed is not None
        and committed in fetched
        and committed not in done
        and any(offset > committed for offset in done)
    )
    records = sorted(
        offset
        for offset in fetched
        if offset not in done
        and (committed is None or offset >= committed)
        and any(begin <= offset < end for begin, end in intervals)
    )
    return hold, records


def guard_commits(consumer: Any, topic: str) -> None:
    """Hold the input topic's commits that would pass a record fetched but never processed.

    Wraps two of the consumer's own steps, looked up on it each time they run: the one
    making a message of each fetched record (to note its offset) and the one working out
    a partition's commit (to apply held_commit first).
    """
    fetched: defaultdict[Any, set[int]] = defaultdict(set)
    held: dict[Any, int] = {}  # the offset each partition's commit is held at, logged once
    to_message, new_offset = consumer._to_message, consumer._new_offset

    def noting_offset(tp: Any, record: Any) -> Any:
        if tp.topic == topic:
            fetched[tp].add(record.offset)
        return to_message(tp, record)

    def guarded_offset(tp: Any) -> int | None:
        if tp.topic != topic:
            passed: int | None = new_offset(tp)
            return passed
        committed = consumer._committed_offset.get(tp)
        gap = consumer._gap.get(tp)
        intervals = [(interval.begin, interval.end) for interval in gap] if gap else []
        hold, records = held_commit(committed, consumer._acked.get(tp, ()), fetched[tp], intervals)
        for record in records:
            gap.chop(record, record + 1)
        if records:
            log.warning("%s[%d]: offsets %s were taken for a gap but hold records", tp.topic, tp.partition, records)
        if hold:
            if held.get(tp) != committed:
                held[tp] = committed
                log.warning(
                    "%s[%d]: commit held at offset %d, fetched but never processed; it will be read again",
                    tp.topic,
                    tp.partition,
                    committed,
                )
                metrics.commits_held.inc()
            return None
        commit: int | None = new_offset(tp)
        if commit is not None:
            fetched[tp] = {offset for offset in fetched[tp] if offset >= commit}
        return commit

    consumer._to_message = noting_offset
    consumer._new_offset = guarded_offset


def in_flight_messages(consumer: Any) -> list[Any]:
    """Messages handed to an agent and not yet acknowledged.

    Faust's `unacked` set is not that: a record handed on again after a seek back,
    whose offset was already acknowledged or committed, is marked acked by ack() but
    stays in the set (Faust itself filters such messages out while it waits for the
    set to empty).
    """
    return [message for message in list(consumer.unacked) if not message.acked]


def install(app: faust.App, topic: str) -> None:
    """Guard the input's commits from the first assignment on, and check the input partitions
    every CHECK_SECONDS: seek back a head seen skipped twice in a row."""
    seen: dict[Any, int] = {}
    guarded: list[Any] = []

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def guard_once(app: faust.App, assigned: set[Any], **kwargs: Any) -> None:  # noqa: ARG001
        if not guarded:  # before any fetch: fetching starts after the first assignment
            guarded.append(app.consumer)
            guard_commits(app.consumer, topic)

    @app.timer(interval=CHECK_SECONDS)  # type: ignore[untyped-decorator]
    async def rewind_skipped_input() -> None:
        nonlocal seen
        heads = consumer_heads(app, topic)
        for tp, (offset, passed) in heads.items():
            if seen.get(tp) != offset:
                continue
            log.warning(
                "%s[%d]: offset %d was never processed though the consumer has passed it (at %s); "
                "reading from it again",
                tp.topic,
                tp.partition,
                offset,
                passed,
            )
            metrics.input_rewinds.inc()
            await app.consumer.seek(tp, offset)
        seen = {tp: offset for tp, (offset, _) in heads.items()}


async def reread_from_committed(app: faust.App) -> None:
    """Seek every assigned partition back to its committed offset (and Faust's read offsets with it)."""
    log.warning(
        "pipeline stalled with input waiting and nothing in flight; "
        "seeking every assigned partition back to its committed offset"
    )
    metrics.input_rewinds.inc()
    await app.consumer.perform_seek()
