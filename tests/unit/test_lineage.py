"""Quote lineage: fingerprints and first occurrences across articles, without Kafka."""

from __future__ import annotations

import orjson
import pytest

from stream.lineage import (
    FIRST_SEEN,
    MAX_TRACKED_ARTICLES,
    REPEATED,
    Occurrence,
    fingerprint,
    lineage_state_from_dict,
    record_occurrence,
)

WORDS = "The new rail line will connect every city"


def occurrence(article_id: str, published_at: str | None = None, seen_ms: int = 0) -> Occurrence:
    return Occurrence(
        fingerprint=fingerprint(WORDS) or "",
        article_id=article_id,
        quote_id="q-" + article_id,
        quote=WORDS,
        speaker_name="Anna Berg",
        source="Wire " + article_id,
        published_at=published_at,
        seen_ms=seen_ms,
    )


@pytest.mark.parametrize(
    "variant",
    [
        "“The new rail line will connect every city,”",
        '"the new rail line will connect EVERY city."',
        "The  new rail line\nwill connect every city",
        "'The new rail-line will connect every city'",
    ],
)
def test_a_fingerprint_ignores_case_punctuation_marks_and_spacing(variant: str) -> None:
    key = fingerprint(WORDS)
    assert key is not None and len(key) == 32
    assert fingerprint(variant) == key


def test_other_words_or_short_quotes_have_another_or_no_fingerprint() -> None:
    assert fingerprint("The new rail line will connect no city") != fingerprint(WORDS)
    assert fingerprint("No comment at this time.") is None  # under six words
    assert fingerprint("“”") is None


def test_the_first_article_then_a_repeat_from_another() -> None:
    state, first = record_occurrence(None, occurrence("a", "2026-03-03T10:00:00Z"), now_ms=1)
    assert first is not None and state is not None
    assert (first.change, first.count, first.first.article_id) == (FIRST_SEEN, 1, "a")
    state, repeat = record_occurrence(state, occurrence("b", "2026-03-03T11:00:00Z"), now_ms=2)
    assert repeat is not None and state is not None
    assert (repeat.change, repeat.count, repeat.first.article_id, repeat.occurrence.article_id) == (
        REPEATED,
        2,
        "a",
        "b",
    )
    assert state.article_ids == ["a", "b"]


def test_an_earlier_article_arriving_late_becomes_the_first() -> None:
    state, _ = record_occurrence(None, occurrence("late", "2026-03-03T12:00:00Z"), now_ms=1)
    state, event = record_occurrence(state, occurrence("early", "2026-03-03T10:00:00+00:00"), now_ms=2)
    assert event is not None and state is not None
    assert (state.first.article_id, state.count, event.first.article_id) == ("early", 2, "early")


def test_without_published_at_the_order_seen_decides() -> None:
    state, _ = record_occurrence(None, occurrence("a", seen_ms=5_000), now_ms=1)
    state, _ = record_occurrence(state, occurrence("b", seen_ms=9_000), now_ms=2)
    assert state is not None and state.first.article_id == "a"


def test_the_same_article_again_counts_once_with_a_stable_event_id() -> None:
    state, first = record_occurrence(None, occurrence("a"), now_ms=1)
    assert record_occurrence(state, occurrence("a"), now_ms=2) == (None, None)
    _, again = record_occurrence(None, occurrence("a"), now_ms=3)
    assert first is not None and again is not None and first.event_id == again.event_id


def test_the_tracked_articles_stay_bounded() -> None:
    state, _ = record_occurrence(None, occurrence("a0"), now_ms=1)
    for i in range(1, MAX_TRACKED_ARTICLES + 5):
        state, _ = record_occurrence(state, occurrence(f"a{i}"), now_ms=1)
    assert state is not None
    assert len(state.article_ids) == MAX_TRACKED_ARTICLES
    assert state.count == MAX_TRACKED_ARTICLES + 5


def test_the_state_survives_its_json_form() -> None:
    state, _ = record_occurrence(None, occurrence("a", "2026-03-03T10:00:00Z"), now_ms=1, partition=3)
    assert state is not None
    assert lineage_state_from_dict(orjson.loads(orjson.dumps(state))) == state
