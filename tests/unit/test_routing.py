"""The agent's pure steps, without a broker: which messages a batch turns into."""

from __future__ import annotations

import orjson

from stream import agents
from stream.agents import BatchReport, Decoded, Outbox, add_results
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
    monkeypatch.setattr(agents, "MAX_EVENT_BYTES", 2_000)
    items = [decoded("ok", 1), decoded("broken", 2), decoded("huge", 3)]
    report = BatchReport(consumed=3)
    report.enrichment = Enrichment(
        [
            event("ok"),
            EnrichmentFailure(items[1].article, "ValueError", "boom"),
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
    assert letters[1]["source"]["offset"] == 3
    assert [e.article_id for e in report.enriched] == ["ok"]
    assert dict(report.dead) == {"enrichment_failed": 1, "too_large": 1}
