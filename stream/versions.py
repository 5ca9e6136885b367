"""Story versions: what changed in an article's quotes since the version before. Pure functions.

A wire updates a story under one id. The worker keeps, per article id, the last
version processed (`ArticleState`); `advance()` compares a new version with it
and returns the quotes added and removed, and the state to keep.

A quote is the same quote across versions when its words are the same once
case, punctuation, quote-mark style and whitespace are folded (`normalise_words`):
offsets and quote ids move when a paragraph is added above, the words do not.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from stream.models import EnrichedArticle, Quote, Span, Speaker

Version = str | int

FIRST = "first"  # no state for the article yet
UPDATE = "update"  # a newer version (or the same version with other content)
REPLAY = "replay"  # the version already processed, same content: its changes were published
STALE = "stale"  # older than the version already processed: ignored for changes

ADDED = "added"
REMOVED = "removed"


def normalise_words(text: str) -> str:
    """Lower-case words of `text` with punctuation, quote marks and spacing folded away."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PZC" else ch for ch in folded)
    return " ".join(kept.split())


def resolve_version(version: Version | None, published_at: str | None, received_ms: int | None) -> Version | None:
    """The article's own version, else its `published_at`, else when Kafka received it (ISO 8601, UTC)."""
    if version is not None:
        return version
    if published_at:
        return published_at
    if received_ms is not None:
        return datetime.fromtimestamp(received_ms / 1000, UTC).isoformat(timespec="milliseconds")
    return None


def version_key(version: Version | None) -> tuple[int, float, str]:
    """Sort key of a version: numbers by value, then timestamps by time, then other strings as text.

    Integers and digit strings compare as numbers ("10" after "9"); ISO 8601 timestamps
    with a time zone compare as instants; anything else compares as text. Of two
    versions of different kinds, a number sorts before a timestamp before text.
    """
    if version is None:
        return (-1, 0.0, "")
    if isinstance(version, int):
        return (0, float(version), "")
    text = version.strip()
    if text.isdigit():
        return (0, float(text), "")
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return (2, 0.0, text)
    if instant.tzinfo is None:
        return (2, 0.0, text)
    return (1, instant.timestamp(), "")


@dataclass(frozen=True, slots=True)
class KnownQuote:
    """A quote of the last processed version, with the version it first appeared in."""

    key: str
    first_version: Version | None
    quote: Quote


@dataclass(frozen=True, slots=True)
class ArticleState:
    """What the worker remembers of an article: its last processed version."""

    version: Version | None
    event_id: str
    previous_version: Version | None
    quotes: list[KnownQuote]
    entities: list[str]
    updated_ms: int
    partition: int = 0


@dataclass(frozen=True, slots=True)
class QuoteChange:
    """A quote added in this version, or one of the previous version that is gone."""

    change: str
    first_version: Version | None
    quote: Quote


@dataclass(frozen=True, slots=True)
class VersionStep:
    """The outcome of one version: its changes, and the state to keep (None: keep the old one)."""

    outcome: str
    previous_version: Version | None
    changes: list[QuoteChange] = field(default_factory=list)
    state: ArticleState | None = None


def known_quotes(quotes: list[Quote], *, version: Version | None, before: dict[str, KnownQuote]) -> list[KnownQuote]:
    """The quotes of a version keyed by their words, first occurrence of repeated words only."""
    known: dict[str, KnownQuote] = {}
    for quote in quotes:
        key = normalise_words(quote.content.text)
        if key and key not in known:
            earlier = before.get(key)
            known[key] = KnownQuote(key, earlier.first_version if earlier else version, quote)
    return list(known.values())


def advance(
    state: ArticleState | None, event: EnrichedArticle, *, version: Version | None, now_ms: int, partition: int = 0
) -> VersionStep:
    """Compare a new version of an article with the state kept for it.

    Returns the quote changes (added ones in text order, then removed ones in
    their old order) and the new state. A version older than the kept one is
    STALE: no changes, state kept. The kept version again with the same
    event_id is a REPLAY (its changes were published before the state was
    written): no changes, state kept.
    """
    if state is not None:
        if version_key(version) < version_key(state.version):
            return VersionStep(STALE, None)
        if version_key(version) == version_key(state.version) and event.event_id == state.event_id:
            return VersionStep(REPLAY, state.previous_version)
    before = {q.key: q for q in state.quotes} if state is not None else {}
    now = known_quotes(event.quotes, version=version, before=before)
    keys = {q.key for q in now}
    changes = [QuoteChange(ADDED, q.first_version, q.quote) for q in now if q.key not in before]
    changes += [QuoteChange(REMOVED, q.first_version, q.quote) for q in before.values() if q.key not in keys]
    previous = state.version if state is not None else None
    new_state = ArticleState(
        version=version,
        event_id=event.event_id,
        previous_version=previous,
        quotes=now,
        entities=[e.name for e in event.entities],
        updated_ms=now_ms,
        partition=partition,
    )
    return VersionStep(FIRST if state is None else UPDATE, previous, changes, new_state)


def article_state_from_dict(data: dict[str, Any]) -> ArticleState:
    """Rebuild an ArticleState from its JSON form (as orjson wrote it)."""
    return ArticleState(
        version=data["version"],
        event_id=data["event_id"],
        previous_version=data["previous_version"],
        quotes=[KnownQuote(q["key"], q["first_version"], quote_from_dict(q["quote"])) for q in data["quotes"]],
        entities=list(data["entities"]),
        updated_ms=int(data["updated_ms"]),
        partition=int(data.get("partition", 0)),
    )


def quote_from_dict(data: dict[str, Any]) -> Quote:
    """Rebuild a Quote from its JSON form; fields added to Quote or Speaker later pass through."""
    cue = data.get("cue")
    plain = {f.name: data[f.name] for f in fields(Quote) if f.name in data}
    # JSON gives lists where Speaker holds tuples (names).
    speaker: dict[str, Any] = {
        f.name: tuple(value) if isinstance(value, list) else value
        for f in fields(Speaker)
        if (value := data["speaker"].get(f.name)) is not None
    }
    plain.update(content=Span(**data["content"]), cue=Span(**cue) if cue else None, speaker=Speaker(**speaker))
    return Quote(**plain)
