"""The agent's pure steps, without a broker: which messages a batch turns into."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from stream import agents
from stream.agents import BatchReport, Decoded, Outbox, PreparedBatch, add_results, deliver_in_order
from stream.app import Topics
from stream.models import Article, EnrichedArticle, Entity, SourceRecord, Span
from stream.nlp import Enrichment, EnrichmentFailure

TOPICS = Topics(
    raw_topic="raw",
    enriched_topic="enriched",
    quotes_topic="quotes",  # type: ignore[arg-type]
    entities_topic="entities",
    dlq_topic="dlq",
)


def decoded(article_id: str, offset: int) -> Decoded:
    article = Article(id=article_id, body="Anna Berg spoke.")
    return Decoded(article, SourceRecord("raw", 0, offset, None, article_id), orjson.dumps({"id": article_id}))


def event(article_id: str, *, entity_name: str = "Anna Berg") -> EnrichedArticle:
    entity = Entity(
        name=entity_name,
        label="PERSON",
        mentions=[Span(entity_name, 0, 9)],
        count=1,
        first=0,
        salience=1.0,
        geonames_id=None,
        country_code=None,
    )
    return EnrichedArticle(
        event_id="e-" + article_id,
        article_id=article_id,
        headline=None,
        byline=None,
        source=None,
        url=None,
        published_at=None,
        language=None,
        version=None,
        entities=[entity],
    )


def outputs(outbox: Outbox) -> list[tuple[str, str]]:
    return [(output, key.decode()) for output, _, key, _ in outbox.messages]


def test_events_failures_and_oversized_events_each_go_where_they_belong(monkeypatch) -> None:
    monkeypatch.setattr(agents, "PRODUCER_MAX_REQUEST_BYTES", 2_000)
    items = [decoded("ok", 1), decoded("broken", 2), decoded("huge", 3)]
    report = BatchReport(consumed=3)
    report.enrichment = Enrichment(
        [
            event("ok"),
            EnrichmentFailure(items[1].article, "ValueError", "boom", "quotes"),
            event("huge", entity_name="x" * 3_000),
        ]
    )
    outbox = Outbox()
    add_results(items, outbox, TOPICS, report)
    assert outputs(outbox) == [("enriched", "ok"), ("entities", "Anna Berg"), ("dlq", "broken"), ("dlq", "huge")]
    letters = [orjson.loads(value) for output, _, _, value in outbox.messages if output == "dlq"]
    assert [(d["reason"], d["error"]) for d in letters] == [
        ("enrichment_failed", "ValueError"),
        ("too_large", "EventTooLargeError"),
    ]
    assert letters[0]["message"] == "quotes stage failed: ValueError: boom"
    assert letters[1]["source"]["offset"] == 3
    assert [e.article_id for e in report.enriched] == ["ok"]
    assert dict(report.dead) == {"enrichment_failed": 1, "too_large": 1}
    assert dict(report.failed_stages) == {"quotes": 1}


class AckingStream:
    def __init__(self) -> None:
        self.acked: list[str] = []

    async def ack(self, event: str) -> None:
        self.acked.append(event)


async def test_batches_prepared_together_are_delivered_and_acked_in_input_order() -> None:
    finished: list[str] = []

    async def prepare(name: str, seconds: float) -> PreparedBatch:
        await asyncio.sleep(seconds)
        finished.append(name)
        return PreparedBatch([name], BatchReport(consumed=1), Outbox(), time.perf_counter())  # type: ignore[list-item]

    in_flight = asyncio.Semaphore(agents.BATCHES_IN_FLIGHT)
    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
    for name, seconds in (("first", 0.3), ("second", 0.0)):
        await in_flight.acquire()
        preparing.put_nowait(asyncio.create_task(prepare(name, seconds)))
    stream = AckingStream()
    delivering = asyncio.create_task(deliver_in_order(preparing, stream, in_flight))  # type: ignore[arg-type]
    for _ in range(agents.BATCHES_IN_FLIGHT):  # each delivered batch frees its slot
        await asyncio.wait_for(in_flight.acquire(), timeout=10)
    delivering.cancel()
    assert finished == ["second", "first"]
    assert stream.acked == ["first", "second"]


async def test_a_batch_that_fails_to_prepare_ends_delivery_unacked() -> None:
    async def fail() -> PreparedBatch:
        raise RuntimeError("bug in a batch")

    preparing: asyncio.Queue[asyncio.Task[PreparedBatch]] = asyncio.Queue()
    preparing.put_nowait(asyncio.create_task(fail()))
    stream = AckingStream()
    with pytest.raises(RuntimeError, match="bug in a batch"):
        await deliver_in_order(preparing, stream, asyncio.Semaphore(1))  # type: ignore[arg-type]
    assert stream.acked == []


def test_a_failed_stage_is_counted_by_stage() -> None:
    from prometheus_client import REGISTRY

    def failures(stage: str) -> float:
        return REGISTRY.get_sample_value("newswire_extraction_failures_total", {"stage": stage}) or 0.0

    item = decoded("broken", 1)
    report = BatchReport(consumed=1)
    report.enrichment = Enrichment([EnrichmentFailure(item.article, "KeyError", "'x'", "entities")])
    outbox = Outbox()
    add_results([item], outbox, TOPICS, report)
    before = failures("entities")
    agents.record_metrics(report, outbox)
    assert failures("entities") == before + 1
