"""Story versions: quote changes between versions of one article, without Kafka."""

from __future__ import annotations

import orjson
import pytest

from stream.models import EnrichedArticle, Entity, Quote, Span, Speaker
from stream.versions import (
    FIRST,
    REPLAY,
    STALE,
    UPDATE,
    advance,
    article_state_from_dict,
    normalise_words,
    resolve_version,
    version_key,
)


def quote(text: str, start: int = 0, speaker: str | None = "Anna Berg") -> Quote:
    return Quote(
        id=f"q{start}",
        kind="direct",
        content=Span(text, start, start + len(text)),
        cue=Span("said", 0, 4),
        speaker=Speaker(text=speaker, name=speaker),
    )


def article(event_id: str, *quotes: Quote) -> EnrichedArticle:
    return EnrichedArticle(
        event_id=event_id,
        article_id="story",
        headline=None,
        byline=None,
        source="Wire A",
        url=None,
        published_at=None,
        language=None,
        version=None,
        entities=[Entity("Anna Berg", "PERSON", [Span("Anna Berg", 0, 9)], 1, 0, 1.0)],
        quotes=list(quotes),
    )


def changes(step) -> list[tuple[str, str, object]]:  # type: ignore[no-untyped-def]
    return [(c.change, c.quote.content.text, c.first_version) for c in step.changes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win,” she said", "we will win she said"),
        ('"We  will\nWIN!"', "we will win"),
        ("don’t stop", "don t stop"),
        ("don't stop", "don t stop"),
        ("  ", ""),
    ],
)
def test_words_fold_case_punctuation_marks_and_spaces(text: str, expected: str) -> None:
    assert normalise_words(text) == expected


def test_three_versions_add_then_correct_a_quote() -> None:
    bridge, money, fixed = "We will rebuild the bridge,", "The money is set aside,", "We will rebuild the old bridge,"
    first = advance(None, article("e1", quote(bridge, 10)), version=1, now_ms=1)
    assert (first.outcome, first.previous_version, changes(first)) == (FIRST, None, [("added", bridge, 1)])

    # A paragraph added above moves the offsets (new quote ids); the words are the same quote.
    second = advance(first.state, article("e2", quote(bridge, 90), quote(money, 150)), version=2, now_ms=2)
    assert (second.outcome, second.previous_version, changes(second)) == (UPDATE, 1, [("added", money, 2)])

    third = advance(second.state, article("e3", quote(fixed, 90), quote(money, 150)), version=3, now_ms=3)
    assert changes(third) == [("added", fixed, 3), ("removed", bridge, 1)]
    assert third.state is not None
    assert [(q.key, q.first_version) for q in third.state.quotes] == [
        ("we will rebuild the old bridge", 3),
        ("the money is set aside", 2),
    ]
    assert third.state.entities == ["Anna Berg"]


def test_an_older_version_is_stale_and_the_same_one_again_a_replay() -> None:
    kept = advance(None, article("e2", quote("Peace is near")), version=2, now_ms=1).state
    stale = advance(kept, article("e1", quote("War is here")), version=1, now_ms=2)
    assert (stale.outcome, stale.changes, stale.state) == (STALE, [], None)
    replay = advance(kept, article("e2", quote("Peace is near")), version=2, now_ms=2)
    assert (replay.outcome, replay.changes, replay.state) == (REPLAY, [], None)
    # The same version number with other content is an update (a correction without a new number).
    fixed = advance(kept, article("e2b", quote("Peace is close")), version=2, now_ms=2)
    assert (fixed.outcome, changes(fixed)) == (
        UPDATE,
        [("added", "Peace is close", 2), ("removed", "Peace is near", 2)],
    )


def test_the_same_words_twice_in_one_version_are_one_quote() -> None:
    step = advance(None, article("e1", quote("Peace is near", 0), quote("peace is NEAR.", 50)), version=1, now_ms=1)
    assert changes(step) == [("added", "Peace is near", 1)]


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        (2, 10),
        ("2", "10"),
        (9, "10"),
        ("2026-03-03T10:00:00Z", "2026-03-03T11:00:00+00:00"),
        ("2026-03-03T12:00:00+02:00", "2026-03-03T11:00:00Z"),
        ("v1", "v2"),
        (None, 1),
    ],
)
def test_versions_order_numbers_by_value_and_timestamps_by_instant(older: object, newer: object) -> None:
    assert version_key(older) < version_key(newer)  # type: ignore[arg-type]


def test_a_missing_version_falls_back_to_published_then_received() -> None:
    assert resolve_version(3, "2026-03-03T10:00:00Z", 0) == 3
    assert resolve_version(None, "2026-03-03T10:00:00Z", 0) == "2026-03-03T10:00:00Z"
    assert resolve_version(None, None, 1_772_532_000_000) == "2026-03-03T10:00:00.000+00:00"
    assert resolve_version(None, None, None) is None


def test_the_state_survives_its_json_form() -> None:
    state = advance(None, article("e1", quote("Peace is near"), quote("War is over", 30, None)), version=1, now_ms=5)
    assert state.state is not None
    assert article_state_from_dict(orjson.loads(orjson.dumps(state.state))) == state.state
