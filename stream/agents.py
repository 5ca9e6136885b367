"""The hot path: decode -> enrich (in the pool) -> route against the state -> send -> save state -> ack.

At-least-once: a batch's input events are acked (and so become committable)
only after the broker has acknowledged every event produced for the batch
(acks=all) and then every changelog record of the state it changed. A crash,
a cancelled batch on shutdown or a produce failure leaves them unacked, so
they are read again; the replayed events carry the same ids.

What each message is and where it goes is decided by pure functions
(stream.routing, stream.versions, stream.lineage); this module only does I/O.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import faust
import orjson
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from faust.types import EventT as FaustEvent

from stream import metrics
from stream.app import PRODUCER_MAX_REQUEST_BYTES, Topics
from stream.codec import decode_article
from stream.errors import ArticleError
from stream.events import dead_letter
from stream.lineage import LineageState, lineage_state_from_dict, occurrence_from_dict, record_occurrence
from stream.models import Article, DeadLetter, EnrichedArticle, SourceRecord
from stream.monitor import lag_seconds
from stream.nlp import Enrichment, EnrichmentFailure
from stream.pool import EnrichPool
from stream.produce import produce
from stream.routing import Message, article_messages, dead_letter_message, failure_letter, lineage_message
from stream.settings import Settings
from stream.state import StateTable, Tables
from stream.versions import ArticleState, advance, article_state_from_dict, resolve_version
from stream.watchdog import Progress

log = logging.getLogger(__name__)

Event = FaustEvent[bytes]

# Waits between attempts to produce a batch's events when the broker refuses them.
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)

# Batches taken but not yet delivered: the next batch waits in the pool's queue
# while one is parsed, so an NLP process that finishes its part starts on the next
# batch at once instead of idling through routing, the other process's longer
# part, producing and the take of another batch.
BATCHES_IN_FLIGHT = 2


@dataclass(frozen=True, slots=True)
class Decoded:
    article: Article
    source: SourceRecord
    value: bytes
    event: Event


def _millis(seconds: float | None) -> int | None:
    return int(seconds * 1000) if seconds else None


def source_of(event: Event) -> SourceRecord:
    message = event.message
    key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else None
    return SourceRecord(message.topic, message.partition, message.offset, _millis(message.timestamp), key)


def decode_events(events: Sequence[Event], settings: Settings) -> tuple[list[Decoded], list[DeadLetter]]:
    """Valid articles with where they came from, and a dead letter for each of the rest."""
    decoded, letters = [], []
    for event in events:
        value = event.message.value
        source = source_of(event)
        try:
            article = decode_article(value, max_bytes=settings.max_message_bytes, max_chars=settings.max_body_chars)
        except ArticleError as exc:
            letters.append(
                dead_letter(value, reason=exc.reason, error=type(exc).__name__, message=str(exc), source=source)
            )
            continue
        decoded.append(Decoded(article, source, value or b"", event))
    return decoded, letters


@dataclass(slots=True)
class Routed:
    """What route_batch returns: messages, the state writes to make once the broker has
    them, and counts for the metrics."""

    messages: list[Message] = field(default_factory=list)
    writes: list[tuple[Event, str, object]] = field(default_factory=list)
    enriched: list[tuple[EnrichedArticle, SourceRecord]] = field(default_factory=list)
    dead: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)
    lineage: Counter[str] = field(default_factory=Counter)
    failed_stages: Counter[str] = field(default_factory=Counter)

    def add_dead_letter(self, letter: DeadLetter) -> None:
        self.messages.append(dead_letter_message(letter))
        self.dead[letter.reason] += 1
        source = letter.source
        log.warning(
            "dead letter: %s (%s) at %s[%d]@%d",
            letter.reason,
            letter.error,
            source.topic,
            source.partition,
            source.offset,
        )


def route_batch(
    decoded: Sequence[Decoded], letters: Sequence[DeadLetter], enrichment: Enrichment, articles: StateTable
) -> Routed:
    """Messages for a batch: dead letters, then per article its enriched event, quote changes, entities.

    Each article's version is compared with the state of its id, read in the
    context of its own event (its own partition). A batch holding two versions
    of one article compares the second with the first.
    """
    routed = Routed()
    for reject in letters:
        routed.add_dead_letter(reject)
    pending: dict[str, ArticleState] = {}
    now_ms = int(time.time() * 1000)
    for result, item in zip(enrichment.results, decoded, strict=True):
        letter: DeadLetter | None = None
        if isinstance(result, EnrichmentFailure):
            routed.failed_stages[result.stage] += 1
            letter = failure_letter(item.value, item.source, result)
        else:
            article_id = result.article_id
            if article_id in pending:
                state: ArticleState | None = pending[article_id]
            else:
                stored = articles.get(item.event, article_id)
                state = article_state_from_dict(stored) if stored is not None else None
            version = resolve_version(result.version, result.published_at, item.source.timestamp_ms)
            step = advance(state, result, version=version, now_ms=now_ms, partition=item.source.partition)
            messages, letter = article_messages(
                result, step, version=version, source=item.source, value=item.value, fits=fits_in_request
            )
            if letter is None:
                routed.messages += messages
                routed.versions[step.outcome] += 1
                routed.enriched.append((result, item.source))
                if step.state is not None:
                    pending[article_id] = step.state
                    routed.writes.append((item.event, article_id, step.state))
        if letter is not None:
            routed.add_dead_letter(letter)
    return routed


def fits_in_request(key: bytes, value: bytes) -> bool:
    """True when the producer accepts this record: aiokafka's own size estimate against its configured maximum."""
    size: int = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, [])
    return size <= PRODUCER_MAX_REQUEST_BYTES


async def send_all(messages: Sequence[Message], topics: Topics, progress: Progress | None = None) -> None:
    """Produce messages and wait for the broker to acknowledge every one.

    Messages are sent in order, so events for one key keep their order on
    each topic. On a produce error all of them are sent again after a pause:
    a stalled stream is better than a lost article, and duplicates carry the
    same ids.
    """
    attempt = 0
    while True:
        try:
            await produce(messages, topics, fits_in_request)
            return
        except Exception as exc:  # noqa: BLE001 - any produce failure is retried
            metrics.produce_errors.inc()
            if progress is not None:
                progress.broker_failing(repr(exc))
            delay = SEND_RETRY_DELAYS[min(attempt, len(SEND_RETRY_DELAYS) - 1)]
            attempt += 1
            log.error("producing %d messages failed (%r); retry %d in %.1fs", len(messages), exc, attempt, delay)
            await asyncio.sleep(delay)


async def save_state(
    table: StateTable, writes: Sequence[tuple[Event, str, object]], progress: Progress | None = None
) -> None:
    """Write table entries and wait for the broker to acknowledge their changelog records.

    Runs after the batch's events are acknowledged and before its input is:
    a crash before this point replays the batch against the old state (same
    changes, same ids); after it, the replay finds its version already kept.
    A changelog write that fails is made again after a pause, like a produce
    error: writing an entry twice leaves the same state.
    """
    attempt = 0
    while True:
        try:
            await asyncio.gather(*(table.put(event, key, value) for event, key, value in writes))
            return
        except Exception as exc:  # noqa: BLE001 - any changelog failure is retried
            metrics.produce_errors.inc()
            if progress is not None:
                progress.broker_failing(repr(exc))
            delay = SEND_RETRY_DELAYS[min(attempt, len(SEND_RETRY_DELAYS) - 1)]
            attempt += 1
            log.error(
                "writing %d %s entries failed (%r); retry %d in %.1fs", len(writes), table.name, exc, attempt, delay
            )
            await asyncio.sleep(delay)


@dataclass(slots=True)
class PreparedBatch:
    """A batch decoded and enriched, waiting for its turn to be routed and produced."""

    events: Sequence[Event]
    decoded: list[Decoded]
    letters: list[DeadLetter]
    enrichment: Enrichment
    started: float


async def prepare_batch(events: Sequence[Event], pool: EnrichPool, settings: Settings) -> PreparedBatch:
    """Decode and enrich one batch of raw events; nothing is produced yet."""
    started = time.perf_counter()
    decoded, letters = decode_events(events, settings)
    enrichment = await pool.enrich([item.article for item in decoded])
    return PreparedBatch(events, decoded, letters, enrichment, started)


async def deliver_in_order(
    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]],
    stream: faust.StreamT[bytes],
    topics: Topics,
    tables: Tables,
    in_flight: asyncio.Semaphore,
    progress: Progress,
) -> None:
    """Route, produce, save state, then ack each batch, one batch after another.

    Runs beside the agent so that producing batch k overlaps enriching batch
    k+1, while batches (and so the versions of an article) are compared with
    the state and produced in the order read. A batch whose preparation raised
    ends this task, and so the worker.
    """
    while True:
        progress.at("waiting for input")
        prepared = await preparing.get()
        progress.at("enriching")
        batch = await prepared
        routed = route_batch(batch.decoded, batch.letters, batch.enrichment, tables.articles)
        progress.at("producing")
        await send_all(routed.messages, topics, progress)
        progress.at("saving state")
        await save_state(tables.articles, routed.writes, progress)
        for event in batch.events:
            await stream.ack(event)
        record_metrics(batch, routed)
        log_batch(batch, routed)
        progress.batch_done()
        in_flight.release()


def log_batch(batch: PreparedBatch, routed: Routed) -> None:
    elapsed = time.perf_counter() - batch.started
    metrics.batch_seconds.observe(elapsed)
    log.info(
        "batch: consumed=%d enriched=%d quotes=%d dead=%s versions=%s spacy=%.0fms extraction=%.0fms total=%.0fms",
        len(batch.events),
        len(routed.enriched),
        sum(len(e.quotes) for e, _ in routed.enriched),
        dict(routed.dead),
        dict(routed.versions),
        batch.enrichment.parse_seconds * 1000,
        batch.enrichment.extract_seconds * 1000,
        elapsed * 1000,
    )


def exit_without_committing(task: asyncio.Task[None] | None = None) -> None:
    """Leave at once on an unexpected error, so the batches in flight are read again.

    Faust would restart the agent past them, and their unacked offsets would hold
    back every later commit; the next worker instead picks them up, nothing lost.
    """
    if task is not None and (task.cancelled() or task.exception() is None):
        return
    error = task.exception() if task is not None else None
    log.critical("unexpected error in a batch; exiting without committing it", exc_info=error or True)
    logging.shutdown()
    os._exit(70)


def record_metrics(batch: PreparedBatch, routed: Routed) -> None:
    """Count what a batch did, once its events are acknowledged."""
    metrics.articles_consumed.inc(len(batch.events))
    metrics.articles_enriched.inc(len(routed.enriched))
    metrics.batch_size.observe(len(batch.events))
    for reason, count in routed.dead.items():
        metrics.articles_dead_lettered.labels(reason).inc(count)
    for stage, count in routed.failed_stages.items():
        metrics.extraction_failures.labels(stage).inc(count)
    for outcome, count in routed.versions.items():
        metrics.story_versions.labels(outcome).inc(count)
    for output, count in Counter(message.output for message in routed.messages).items():
        metrics.events_produced.labels(output).inc(count)
    metrics.nlp_seconds.labels("spacy").inc(batch.enrichment.parse_seconds)
    metrics.nlp_seconds.labels("extraction").inc(batch.enrichment.extract_seconds)
    now = datetime.now(UTC)
    for event, source in routed.enriched:
        metrics.article_seconds.observe(event.processing_ms / 1000)
        metrics.quotes_per_article.observe(len(event.quotes))
        metrics.entities_per_article.observe(len(event.entities))
        for quote in event.quotes:
            metrics.quotes.labels(quote.kind).inc()
        published_lag = lag_seconds(event.published_at, now=now)
        if published_lag is not None:
            metrics.event_lag.labels("published").observe(max(0.0, published_lag))
        if source.timestamp_ms:
            metrics.event_lag.labels("kafka").observe(max(0.0, now.timestamp() - source.timestamp_ms / 1000))


def register_agents(
    app: faust.App, topics: Topics, tables: Tables, pool: EnrichPool, settings: Settings, progress: Progress
) -> None:
    @app.agent(topics.raw_topic, name="enrich_articles")
    async def enrich_articles(stream: faust.StreamT[bytes]) -> None:
        # Batches are prepared concurrently (up to BATCHES_IN_FLIGHT) and delivered in order.
        in_flight = asyncio.Semaphore(BATCHES_IN_FLIGHT)
        preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
        delivering = asyncio.create_task(deliver_in_order(preparing, stream, topics, tables, in_flight, progress))
        delivering.add_done_callback(exit_without_committing)
        # noack_take, unlike take, never acks on its own: batches cut short by a
        # shutdown are handed back uncommitted instead of being skipped.
        batches = stream.noack_take(settings.batch_size, within=settings.batch_wait)  # type: ignore[attr-defined]
        try:
            async for events in batches:
                await in_flight.acquire()
                preparing.put_nowait(asyncio.create_task(prepare_batch(events, pool, settings)))
        finally:
            delivering.cancel()
            while not preparing.empty():
                preparing.get_nowait().cancel()

    @app.agent(topics.fingerprints_topic, name="trace_quotes")
    async def trace_quotes(stream: faust.StreamT[bytes]) -> None:
        batches = stream.noack_take(settings.batch_size, within=settings.batch_wait)  # type: ignore[attr-defined]
        async for events in batches:
            try:
                routed = trace_batch(events, tables.lineage)
                await send_all(routed.messages, topics)
                await save_state(tables.lineage, routed.writes)
            except Exception:
                exit_without_committing()
            for event in events:
                await stream.ack(event)
            for output, count in Counter(message.output for message in routed.messages).items():
                metrics.events_produced.labels(output).inc(count)
            for change, count in routed.lineage.items():
                metrics.lineage_events.labels(change).inc(count)
            for reason, count in routed.dead.items():
                metrics.articles_dead_lettered.labels(reason).inc(count)


def trace_batch(events: Sequence[Event], lineage: StateTable) -> Routed:
    """Lineage events for a batch of quote occurrences, and the lineage states to keep."""
    routed = Routed()
    pending: dict[str, LineageState] = {}
    now_ms = int(time.time() * 1000)
    for event in events:
        try:
            occurrence = occurrence_from_dict(orjson.loads(event.message.value or b""))
        except (orjson.JSONDecodeError, TypeError, KeyError) as exc:
            letter = dead_letter(
                event.message.value,
                reason="schema",
                error=type(exc).__name__,
                message=str(exc),
                source=source_of(event),
            )
            routed.add_dead_letter(letter)
            continue
        key = occurrence.fingerprint
        if key in pending:
            state: LineageState | None = pending[key]
        else:
            stored = lineage.get(event, key)
            state = lineage_state_from_dict(stored) if stored is not None else None
        new, change = record_occurrence(state, occurrence, now_ms=now_ms, partition=event.message.partition)
        if new is not None:
            pending[key] = new
            routed.writes.append((event, key, new))
        if change is not None:
            routed.messages.append(lineage_message(change))
            routed.lineage[change.change] += 1
    return routed
