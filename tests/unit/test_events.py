from __future__ import annotations

import base64
from datetime import UTC, datetime

from stream.events import MAX_DEAD_VALUE_BYTES, dead_letter, entity_events, quote_events
from stream.models import EnrichedArticle, Entity, Quote, SourceRecord, Span, Speaker

SOURCE = SourceRecord("articles.raw", 2, 41, 1_700_000_000_000, "a1")


def enriched_article(**content: object) -> EnrichedArticle:
    """An enriched event of article a1 with the given entities or quotes."""
    return EnrichedArticle(
        event_id="e1",
        article_id="a1",
        headline="H",
        byline=None,
        source="Desk",
        url="https://x/1",
        published_at="2024-01-01T00:00:00Z",
        language="en",
        version=None,
        **content,  # type: ignore[arg-type]
    )


def test_dead_letter_keeps_the_original_bytes_and_source() -> None:
    letter = dead_letter(
        b"\xff{bad",
        reason="invalid_json",
        error="InvalidJsonError",
        message="nope",
        source=SOURCE,
        now=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert base64.b64decode(letter.value_b64) == b"\xff{bad"
    assert (letter.value_size, letter.value_truncated) == (5, False)
    assert letter.source.offset == 41
    assert letter.failed_at == "2024-01-01T00:00:00.000+00:00"


def test_dead_letter_bounds_a_huge_value() -> None:
    value = b"x" * (MAX_DEAD_VALUE_BYTES * 3)
    letter = dead_letter(value, reason="too_large", error="TooLargeError", message="big", source=SOURCE)
    assert len(base64.b64decode(letter.value_b64)) == MAX_DEAD_VALUE_BYTES
    assert letter.value_truncated and letter.value_size == len(value)


def test_one_quote_event_per_quote_with_the_article_context() -> None:
    quote = Quote(
        id="q1",
        kind="direct",
        content=Span("We will rebuild", 10, 25),
        cue=Span("said", 27, 31),
        speaker=Speaker("Odenwald", 32, 40, "Clara Odenwald", "Finance Minister", "PERSON"),
    )
    event = enriched_article(quotes=[quote, quote])
    events = quote_events(event)
    assert len(events) == 2
    first = events[0]
    assert (first.quote, first.speaker_name, first.speaker_role, first.cue) == (
        "We will rebuild",
        "Clara Odenwald",
        "Finance Minister",
        "said",
    )
    assert (first.article_id, first.headline, first.url) == ("a1", "H", "https://x/1")
    assert (first.kind, first.act) == ("direct", "statement")


def test_one_entity_event_per_canonical_entity_with_the_article_context() -> None:
    oslo = Entity("Oslo", "GPE", [Span("Oslo", 0, 4), Span("Oslo", 30, 34)], 2, 0, 0.8, 3143244, "NO")
    berg = Entity("Anna Berg", "PERSON", [Span("Berg", 10, 14)], 1, 10, 0.4)
    event = enriched_article(entities=[oslo, berg])
    events = entity_events(event)
    assert [(e.entity, e.label, e.count, e.geonames_id, e.country_code) for e in events] == [
        ("Oslo", "GPE", 2, 3143244, "NO"),
        ("Anna Berg", "PERSON", 1, None, None),
    ]
    assert {(e.article_id, e.event_id, e.headline, e.url) for e in events} == {("a1", "e1", "H", "https://x/1")}


def test_a_date_entity_event_has_no_salience_and_fits_the_schema() -> None:
    from dataclasses import replace

    import orjson
    from jsonschema import Draft202012Validator

    from stream.codec import encode, load_schema

    monday = Entity("Monday", "DATE", [Span("Monday", 5, 11)], 1, 5, None)
    [event] = entity_events(replace(enriched_article(entities=[monday]), event_id="0" * 32))
    assert (event.entity, event.label, event.salience) == ("Monday", "DATE", None)
    Draft202012Validator(load_schema("entity")).validate(orjson.loads(encode(event)))
