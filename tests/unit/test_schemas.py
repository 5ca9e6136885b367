"""The events we publish match the JSON Schemas we ship for consumers."""

from __future__ import annotations

import orjson
import pytest
from jsonschema import Draft202012Validator
from spacy.language import Language

from stream.codec import encode, load_schema
from stream.events import dead_letter, entity_events, occurrences, quote_change_events, quote_events
from stream.lineage import record_occurrence
from stream.models import Article, EnrichedArticle, SourceRecord
from stream.nlp import enrich
from stream.versions import advance


@pytest.mark.parametrize("name", ["article", "enriched", "quote", "entity", "dead_letter", "lineage"])
def test_schemas_are_valid_json_schema(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))


def test_enriched_quote_and_entity_events_validate(nlp: Language, sample_gold: dict) -> None:
    [event] = enrich(nlp, [Article(id="s", body=sample_gold["body"], headline="Palmyra")], model="m")
    assert isinstance(event, EnrichedArticle)
    Draft202012Validator(load_schema("enriched")).validate(orjson.loads(encode(event)))
    quotes = quote_events(event)
    assert quotes
    for quote in quotes:
        Draft202012Validator(load_schema("quote")).validate(orjson.loads(encode(quote)))
    entities = entity_events(event)
    assert len(entities) == len(event.entities) > 0
    for entity in entities:
        Draft202012Validator(load_schema("entity")).validate(orjson.loads(encode(entity)))


def test_dead_letter_validates() -> None:
    letter = dead_letter(
        b"{", reason="invalid_json", error="InvalidJsonError", message="m", source=SourceRecord("t", 0, 1)
    )
    Draft202012Validator(load_schema("dead_letter")).validate(orjson.loads(encode(letter)))


def test_an_invalid_event_is_caught_by_the_schema() -> None:
    with pytest.raises(Exception, match="is a required property"):
        Draft202012Validator(load_schema("enriched")).validate({"article_id": "a"})


def test_quote_changes_and_lineage_events_validate(nlp: Language, sample_gold: dict) -> None:
    [event] = enrich(nlp, [Article(id="s", body=sample_gold["body"], version=2)], model="m")
    assert isinstance(event, EnrichedArticle)
    step = advance(None, event, version=2, now_ms=0)
    changes = quote_change_events(event, step.changes)
    assert changes
    for change in changes:
        Draft202012Validator(load_schema("quote")).validate(orjson.loads(encode(change)))
    found = occurrences(event, step.changes, seen_ms=0)
    assert found
    _, lineage = record_occurrence(None, found[0], now_ms=0)
    Draft202012Validator(load_schema("lineage")).validate(orjson.loads(encode(lineage)))
