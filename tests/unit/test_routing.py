"""Which messages an article version turns into, and under which key, without a broker."""

from __future__ import annotations

import orjson

from stream import agents
from stream.events import dead_letter
from stream.lineage import fingerprint
from stream.models import Article, EnrichedArticle, Entity, Quote, SourceRecord, Span, Speaker
from stream.nlp import EnrichmentFailure
from stream.routing import article_messages, dead_letter_message, failure_letter
from stream.versions import advance

SOURCE = SourceRecord("raw", 1, 7, 1_772_532_000_000, "story")
LONG = "We will rebuild the bridge before the winter comes"


def fits_any(key: bytes, value: bytes) -> bool:
    return True


def event(article_id: str, *texts: str, entity_name: str = "Anna Berg") -> EnrichedArticle:
    entity = Entity(entity_name, "PERSON", [Span(entity_name, 0, 9)], 1, 0, 1.0)
    quotes = [
        Quote(f"q{i}", "direct", Span(text, 10 * i, 10 * i + len(text)), None, Speaker(text="she", name="Anna Berg"))
        for i, text in enumerate(texts)
    ]
    return EnrichedArticle(
        event_id="e-" + article_id,
        article_id=article_id,
        headline=None,
        byline=None,
        source="Wire A",
        url=None,
        published_at=None,
        language=None,
        version=None,
        entities=[entity],
        quotes=quotes,
    )


def test_a_version_gives_its_enriched_event_changes_entities_and_fingerprints() -> None:
    first = advance(None, event("story", LONG, "Short one"), version=1, now_ms=0)
    second_article = event("story", "Short one")
    second = advance(first.state, second_article, version=2, now_ms=0)
    messages, letter = article_messages(second_article, second, version=2, source=SOURCE, value=b"{}", fits=fits_any)
    assert letter is None
    assert [(m.output, m.key) for m in messages] == [
        ("enriched", "story"),
        ("quotes", "story"),
        ("entities", "Anna Berg"),
    ]
    enriched = orjson.loads(messages[0].value)
    assert (enriched["version"], enriched["previous_version"], len(enriched["quotes"])) == (2, 1, 1)
    removed = orjson.loads(messages[1].value)
    assert (removed["change"], removed["quote"], removed["version"], removed["first_version"]) == (
        "removed",
        LONG,
        2,
        1,
    )

    messages, _ = article_messages(
        event("story", LONG, "Short one"), first, version=1, source=SOURCE, value=b"{}", fits=fits_any
    )
    outputs = [(m.output, m.key) for m in messages]
    # Only the long quote is traced, keyed by its fingerprint; the short one is not.
    assert outputs.count(("quotes", "story")) == 2
    assert outputs[-1] == ("fingerprints", fingerprint(LONG))
    traced = orjson.loads(messages[-1].value)
    assert (traced["article_id"], traced["seen_ms"], traced["source"]) == ("story", SOURCE.timestamp_ms, "Wire A")


def test_an_oversized_enriched_event_is_a_dead_letter_instead(monkeypatch) -> None:
    monkeypatch.setattr(agents, "PRODUCER_MAX_REQUEST_BYTES", 2_000)
    small, huge = event("small"), event("huge", entity_name="x" * 3_000)
    for article in (small, huge):
        step = advance(None, article, version=1, now_ms=0)
        messages, letter = article_messages(
            article, step, version=1, source=SOURCE, value=b"{}", fits=agents.fits_in_request
        )
        assert (letter is None) == (article is small)
    assert messages == []
    assert letter is not None
    assert (letter.reason, letter.error, letter.article_id, letter.source.offset) == (
        "too_large",
        "EventTooLargeError",
        "huge",
        7,
    )


def test_an_enrichment_failure_names_its_stage() -> None:
    article = Article(id="broken", body="x")
    letter = failure_letter(b"{}", SOURCE, EnrichmentFailure(article, "ValueError", "boom", "quotes"))
    assert (letter.reason, letter.error, letter.article_id) == ("enrichment_failed", "ValueError", "broken")
    assert letter.message == "quotes stage failed: ValueError: boom"


def test_a_dead_letter_is_keyed_by_article_then_input_key_then_position() -> None:
    def key(article_id: str | None, source: SourceRecord) -> str:
        letter = dead_letter(b"x", reason="schema", error="E", message="m", source=source, article_id=article_id)
        return dead_letter_message(letter).key

    assert key("a1", SOURCE) == "a1"
    assert key(None, SOURCE) == "story"
    assert key(None, SourceRecord("raw", 1, 7)) == "1:7"
