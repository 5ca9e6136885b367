"""Quote lineage across articles: who reported a quote first, and how many articles repeat it. Pure functions.

A quote's fingerprint is a hash of its words once case, punctuation, quote-mark
style and whitespace are folded, so "Peace is near," and 'peace is near' match.
Quotes under MIN_FINGERPRINT_WORDS words ("no comment", "absolutely") are too
common to say anything about who copied whom and get no fingerprint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from stream.versions import normalise_words

MIN_FINGERPRINT_WORDS = 6

# Article ids kept per fingerprint to tell a new article from a repeat; past it
# the oldest are forgotten (a forgotten article repeating the quote counts again).
MAX_TRACKED_ARTICLES = 1000

FIRST_SEEN = "first_seen"
REPEATED = "repeated"


def fingerprint(text: str) -> str | None:
    """32 hex chars naming the quote's words, or None for a quote too short to trace."""
    words = normalise_words(text)
    if len(words.split()) < MIN_FINGERPRINT_WORDS:
        return None
    return hashlib.blake2b(words.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One article carrying a fingerprinted quote."""

    fingerprint: str
    article_id: str
    quote_id: str
    quote: str
    speaker_name: str | None
    source: str | None
    published_at: str | None
    seen_ms: int


@dataclass(frozen=True, slots=True)
class LineageState:
    """The lineage of a fingerprint: its first occurrence and the articles that carry it."""

    first: Occurrence
    count: int
    article_ids: list[str]
    updated_ms: int
    partition: int = 0


@dataclass(frozen=True, slots=True)
class LineageEvent:
    """The event on quotes.lineage, keyed by fingerprint. `event_id` is stable for (fingerprint, article)."""

    event_id: str
    fingerprint: str
    change: str
    count: int
    first: Occurrence
    occurrence: Occurrence


def lineage_event_id(fingerprint: str, article_id: str) -> str:
    return hashlib.blake2b(f"{fingerprint}:{article_id}".encode(), digest_size=16).hexdigest()


def _instant(occurrence: Occurrence) -> float:
    """When the occurrence was published, else when it was seen: the order of 'first'."""
    if occurrence.published_at:
        try:
            return datetime.fromisoformat(occurrence.published_at.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return occurrence.seen_ms / 1000


def record_occurrence(
    state: LineageState | None, occurrence: Occurrence, *, now_ms: int, partition: int = 0
) -> tuple[LineageState | None, LineageEvent | None]:
    """Add an article's occurrence to a fingerprint's lineage.

    Returns the new state and the event to publish, or (None, None) when the
    article was already counted (a repeat within one article, a later version
    of it, or a replay). The first occurrence is the earliest published one,
    so an article that arrives late but was published earlier takes its place.
    """
    event_id = lineage_event_id(occurrence.fingerprint, occurrence.article_id)
    if state is None:
        new = LineageState(occurrence, 1, [occurrence.article_id], now_ms, partition)
        return new, LineageEvent(event_id, occurrence.fingerprint, FIRST_SEEN, 1, occurrence, occurrence)
    if occurrence.article_id in state.article_ids:
        return None, None
    first = occurrence if _instant(occurrence) < _instant(state.first) else state.first
    article_ids = [*state.article_ids, occurrence.article_id][-MAX_TRACKED_ARTICLES:]
    new = replace(state, first=first, count=state.count + 1, article_ids=article_ids, updated_ms=now_ms)
    return new, LineageEvent(event_id, occurrence.fingerprint, REPEATED, new.count, first, occurrence)


def occurrence_from_dict(data: dict[str, Any]) -> Occurrence:
    return Occurrence(**data)


def lineage_state_from_dict(data: dict[str, Any]) -> LineageState:
    return LineageState(
        first=occurrence_from_dict(data["first"]),
        count=int(data["count"]),
        article_ids=list(data["article_ids"]),
        updated_ms=int(data["updated_ms"]),
        partition=int(data.get("partition", 0)),
    )
