"""The hot path: decode -> enrich (in the pool) -> encode -> send or dead-letter.

At-least-once: a batch's input events are acked (and so become committable)
only after the broker has acknowledged every event produced for the batch
(acks=all). A crash, a cancelled batch on shutdown or a produce failure leaves
them unacked, so they are read again; the replayed events carry the same
`event_id`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import faust
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from faust.types import EventT as FaustEvent

from stream import metrics
from stream.app import PRODUCER_MAX_REQUEST_BYTES, Topics
from stream.codec import decode_article, encode
from stream.errors import ArticleError, EnrichmentError, TooLargeError
from stream.events import dead_letter, entity_events, quote_events
from stream.models import Article, DeadLetter, EnrichedArticle, SourceRecord
from stream.monitor import lag_seconds
from stream.nlp import Enrichment, EnrichmentFailure
from stream.pool import EnrichPool
from stream.settings import Settings

log = logging.getLogger(__name__)

Event = FaustEvent[bytes]

# Waits between attempts to produce a batch's events when the broker refuses them.
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)

# Batches taken but not yet delivered: the next batch waits in the pool's queue
# while one is parsed, so an NLP process that finishes its part starts on the next
# batch at once instead of idling through encoding, the other process's longer
# part, producing and the take of another batch.
BATCHES_IN_FLIGHT = 2


@dataclass(slots=True)
class Outbox:
    """Messages produced for one batch, sent together and awaited together."""

    messages: list[tuple[str, faust.TopicT, bytes, bytes]] = field(default_factory=list)

    def add(self, output: str, topic: faust.TopicT, key: str, value: bytes) -> None:
        self.messages.append((output, topic, key.encode(), value))


@dataclass(frozen=True, slots=True)
class Decoded:
    article: Article
    source: SourceRecord
    value: bytes


@dataclass(slots=True)
class BatchReport:
    consumed: int = 0
    enriched: list[EnrichedArticle] = field(default_factory=list)
    enriched_sources: list[SourceRecord] = field(default_factory=list)
    dead: Counter[str] = field(default_factory=Counter)
    failed_stages: Counter[str] = field(default_factory=Counter)
    enrichment: Enrichment = field(default_factory=lambda: Enrichment([]))


def _millis(seconds: float | None) -> int | None:
    return int(seconds * 1000) if seconds else None


def source_of(event: Event) -> SourceRecord:
    message = event.message
    key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else None
    return SourceRecord(message.topic, message.partition, message.offset, _millis(message.timestamp), key)


def decode_events(
    events: Sequence[Event], outbox: Outbox, topics: Topics, settings: Settings, report: BatchReport
) -> list[Decoded]:
    """Valid articles with where they came from; the rest go to the outbox as dead letters."""
    decoded = []
    for event in events:
        value = event.message.value
        source = source_of(event)
        try:
            article = decode_article(value, max_bytes=settings.max_message_bytes, max_chars=settings.max_body_chars)
        except ArticleError as exc:
            letter = dead_letter(value, reason=exc.reason, error=type(exc).__name__, message=str(exc), source=source)
            add_dead_letter(outbox, topics, report, letter)
            continue
        decoded.append(Decoded(article, source, value or b""))
    return decoded


def add_dead_letter(outbox: Outbox, topics: Topics, report: BatchReport, letter: DeadLetter) -> None:
    source = letter.source
    key = letter.article_id or source.key or f"{source.partition}:{source.offset}"
    outbox.add("dlq", topics.dlq_topic, key, encode(letter))
    report.dead[letter.reason] += 1
    log.warning(
        "dead letter: %s (%s) at %s[%d]@%d", letter.reason, letter.error, source.topic, source.partition, source.offset
    )


def add_results(decoded: Sequence[Decoded], outbox: Outbox, topics: Topics, report: BatchReport) -> None:
    for result, item in zip(report.enrichment.results, decoded, strict=True):
        if isinstance(result, EnrichmentFailure):
            report.failed_stages[result.stage] += 1
            letter = dead_letter(
                item.value,
                reason=EnrichmentError.reason,
                error=result.error_type,
                message=result.describe(),
                source=item.source,
                article_id=result.article.id,
            )
            add_dead_letter(outbox, topics, report, letter)
            continue
        event = encode(result)
        if not fits_in_request(result.article_id.encode(), event):
            # The producer would refuse it on every retry and stall the stream.
            letter = dead_letter(
                item.value,
                reason=TooLargeError.reason,
                error="EventTooLargeError",
                message=f"the enriched event is {len(event)} bytes; with its key and record overhead it is over "
                f"the producer's {PRODUCER_MAX_REQUEST_BYTES}-byte request limit",
                source=item.source,
                article_id=result.article_id,
            )
            add_dead_letter(outbox, topics, report, letter)
            continue
        outbox.add("enriched", topics.enriched_topic, result.article_id, event)
        for quote in quote_events(result):
            outbox.add("quotes", topics.quotes_topic, result.article_id, encode(quote))
        for entity in entity_events(result):
            # Keyed by name: one partition holds an entity's whole history across articles.
            outbox.add("entities", topics.entities_topic, entity.entity, encode(entity))
        report.enriched.append(result)
        report.enriched_sources.append(item.source)


def fits_in_request(key: bytes, value: bytes) -> bool:
    """True when the producer accepts this record: aiokafka's own size estimate against its configured maximum."""
    size: int = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, [])
    return size <= PRODUCER_MAX_REQUEST_BYTES


async def send_all(outbox: Outbox) -> None:
    """Produce the outbox and wait for the broker to acknowledge every message.

    Messages are sent in order, so events for one article id keep their order on
    each topic. On a produce error the whole outbox is sent again after a pause:
    a stalled stream is better than a lost article, and duplicates carry the
    same event_id.
    """
    attempt = 0
    while True:
        try:
            pending: list[Awaitable[object]] = []
            for _, topic, key, value in outbox.messages:
                pending.append(await topic.send(key=key, value=value))
            await asyncio.gather(*pending)
            return
        except Exception as exc:  # noqa: BLE001 - any produce failure is retried
            metrics.produce_errors.inc()
            delay = SEND_RETRY_DELAYS[min(attempt, len(SEND_RETRY_DELAYS) - 1)]
            attempt += 1
            log.error("producing %d messages failed (%r); retry %d in %.1fs", len(outbox.messages), exc, attempt, delay)
            await asyncio.sleep(delay)


@dataclass(slots=True)
class PreparedBatch:
    """A batch enriched and encoded, waiting for its turn to be produced."""

    events: Sequence[Event]
    report: BatchReport
    outbox: Outbox
    started: float


async def prepare_batch(events: Sequence[Event], topics: Topics, pool: EnrichPool, settings: Settings) -> PreparedBatch:
    """Decode, enrich and encode one batch of raw events; nothing is produced yet."""
    started = time.perf_counter()
    report = BatchReport(consumed=len(events))
    outbox = Outbox()
    decoded = decode_events(events, outbox, topics, settings, report)
    report.enrichment = await pool.enrich([item.article for item in decoded])
    add_results(decoded, outbox, topics, report)
    return PreparedBatch(events, report, outbox, started)


async def deliver_in_order(
    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]], stream: faust.StreamT[bytes], in_flight: asyncio.Semaphore
) -> None:
    """Produce batches one after another; ack each batch's input once the broker has its events.

    Runs beside the agent so that producing batch k overlaps enriching batch k+1,
    while the order of batches, and so of events per article id, stays as read.
    A batch whose preparation raised ends this task, and so the worker.
    """
    while True:
        batch = await (await preparing.get())
        await send_all(batch.outbox)
        for event in batch.events:
            await stream.ack(event)
        record_metrics(batch.report, batch.outbox)
        log_batch(batch)
        in_flight.release()


def log_batch(batch: PreparedBatch) -> None:
    elapsed = time.perf_counter() - batch.started
    metrics.batch_seconds.observe(elapsed)
    report = batch.report
    log.info(
        "batch: consumed=%d enriched=%d quotes=%d dead=%s spacy=%.0fms extraction=%.0fms total=%.0fms",
        report.consumed,
        len(report.enriched),
        sum(len(e.quotes) for e in report.enriched),
        dict(report.dead),
        report.enrichment.parse_seconds * 1000,
        report.enrichment.extract_seconds * 1000,
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


def record_metrics(report: BatchReport, outbox: Outbox) -> None:
    """Count what a batch did, once its events are acknowledged."""
    metrics.articles_consumed.inc(report.consumed)
    metrics.articles_enriched.inc(len(report.enriched))
    metrics.batch_size.observe(report.consumed)
    for reason, count in report.dead.items():
        metrics.articles_dead_lettered.labels(reason).inc(count)
    for stage, count in report.failed_stages.items():
        metrics.extraction_failures.labels(stage).inc(count)
    for output, count in Counter(output for output, *_ in outbox.messages).items():
        metrics.events_produced.labels(output).inc(count)
    metrics.nlp_seconds.labels("spacy").inc(report.enrichment.parse_seconds)
    metrics.nlp_seconds.labels("extraction").inc(report.enrichment.extract_seconds)
    now = datetime.now(UTC)
    for event, source in zip(report.enriched, report.enriched_sources, strict=True):
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


def register_agents(app: faust.App, topics: Topics, pool: EnrichPool, settings: Settings) -> None:
    @app.agent(topics.raw_topic, name="enrich_articles")
    async def enrich_articles(stream: faust.StreamT[bytes]) -> None:
        # Batches are prepared concurrently (up to BATCHES_IN_FLIGHT) and delivered in order.
        in_flight = asyncio.Semaphore(BATCHES_IN_FLIGHT)
        preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
        delivering = asyncio.create_task(deliver_in_order(preparing, stream, in_flight))
        delivering.add_done_callback(exit_without_committing)
        # noack_take, unlike take, never acks on its own: batches cut short by a
        # shutdown are handed back uncommitted instead of being skipped.
        batches = stream.noack_take(settings.batch_size, within=settings.batch_wait)  # type: ignore[attr-defined]
        try:
            async for events in batches:
                await in_flight.acquire()
                preparing.put_nowait(asyncio.create_task(prepare_batch(events, topics, pool, settings)))
        finally:
            delivering.cancel()
            while not preparing.empty():
                preparing.get_nowait().cancel()
