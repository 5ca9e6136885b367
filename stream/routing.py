"""Which messages an article, a dead letter or a lineage change turns into, and under which key. Pure.

The agents hand these messages to the producer as they are; the output names
(`enriched`, `quotes`, `entities`, `fingerprints`, `lineage`, `dlq`) map to topics in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from stream.codec import encode
from stream.errors import EnrichmentError, TooLargeError
from stream.events import dead_letter, entity_events, occurrences, quote_change_events
from stream.lineage import LineageEvent
from stream.models import DeadLetter, EnrichedArticle, SourceRecord
from stream.nlp import EnrichmentFailure
from stream.versions import Version, VersionStep


@dataclass(frozen=True, slots=True)
class Message:
    """One message to produce: output name, key and encoded value."""

    output: str
    key: str
    value: bytes


def dead_letter_message(letter: DeadLetter) -> Message:
    """The dead letter keyed by article id, else the input key, else partition:offset."""
    source = letter.source
    key = letter.article_id or source.key or f"{source.partition}:{source.offset}"
    return Message("dlq", key, encode(letter))


def failure_letter(value: bytes, source: SourceRecord, failure: EnrichmentFailure) -> DeadLetter:
    """The dead letter of an article whose enrichment raised."""
    return dead_letter(
        value,
        reason=EnrichmentError.reason,
        error=failure.error_type,
        message=failure.describe(),
        source=source,
        article_id=failure.article.id,
    )


def article_messages(
    event: EnrichedArticle,
    step: VersionStep,
    *,
    version: Version | None,
    source: SourceRecord,
    value: bytes,
    fits: Callable[[bytes, bytes], bool],
) -> tuple[list[Message], DeadLetter | None]:
    """The enriched event (with its versions), quote changes, entities and fingerprint occurrences.

    An enriched event for which `fits(key, value)` is false (too large for the
    producer's request) is a dead letter instead: the producer would refuse it
    on every retry and stall the stream.
    """
    versioned = replace(event, version=version, previous_version=step.previous_version)
    enriched = encode(versioned)
    if not fits(event.article_id.encode(), enriched):
        letter = dead_letter(
            value,
            reason=TooLargeError.reason,
            error="EventTooLargeError",
            message=f"the enriched event is {len(enriched)} bytes; with its key and record overhead it is over "
            "the producer's request limit",
            source=source,
            article_id=event.article_id,
        )
        return [], letter
    messages = [Message("enriched", event.article_id, enriched)]
    messages += [Message("quotes", event.article_id, encode(q)) for q in quote_change_events(versioned, step.changes)]
    # Keyed by name: one partition holds an entity's whole history across articles.
    messages += [Message("entities", e.entity, encode(e)) for e in entity_events(versioned)]
    # Keyed by fingerprint: the repartition that brings every article's copy of a quote to one table partition.
    seen_ms = source.timestamp_ms or 0
    messages += [
        Message("fingerprints", o.fingerprint, encode(o)) for o in occurrences(versioned, step.changes, seen_ms=seen_ms)
    ]
    return messages, None


def lineage_message(event: LineageEvent) -> Message:
    return Message("lineage", event.fingerprint, encode(event))
