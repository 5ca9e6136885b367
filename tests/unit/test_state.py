"""The state helpers that need no broker: expiry, key partitions, the view answers."""

from __future__ import annotations

import orjson
from aiokafka.partitioner import murmur2

from stream.models import EnrichedArticle, Quote, Span
from stream.state import article_answer, is_expired, key_partition
from stream.versions import advance

DAY_MS = 86_400_000


def test_an_entry_expires_after_the_retention_not_before() -> None:
    week = 7 * 86_400
    assert not is_expired(0, now_ms=7 * DAY_MS, retention_seconds=week)
    assert is_expired(0, now_ms=7 * DAY_MS + 1, retention_seconds=week)


def test_key_partitions_follow_the_java_clients_murmur2() -> None:
    for key in (b"story-0", b"kremlin-palmyra", b"a" * 40):
        assert key_partition(key, 12) == (murmur2(key) & 0x7FFFFFFF) % 12


def test_the_article_view_shows_version_quotes_and_entities() -> None:
    article = EnrichedArticle(
        event_id="e1",
        article_id="story",
        headline=None,
        byline=None,
        source=None,
        url=None,
        published_at=None,
        language=None,
        version=None,
        quotes=[Quote("q1", "direct", Span("Peace is near", 1, 14), None)],
    )
    state = advance(None, article, version=3, now_ms=5).state
    answer = article_answer("story", orjson.loads(orjson.dumps(state)))
    assert answer == {
        "article_id": "story",
        "version": 3,
        "previous_version": None,
        "event_id": "e1",
        "quotes": [{"quote_id": "q1", "quote": "Peace is near", "first_version": 3}],
        "entities": [],
        "updated_ms": 5,
    }
