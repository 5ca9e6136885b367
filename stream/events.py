"""Assembling the outgoing events from enrichment results. Pure functions."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from stream import __version__
from stream.lineage import Occurrence, fingerprint
from stream.models import DeadLetter, EnrichedArticle, EntityEvent, Quote, QuoteEvent, SourceRecord
from stream.versions import ADDED, QuoteChange

# Keeps a dead letter well under Kafka's default 1 MB message limit.
MAX_DEAD_VALUE_BYTES = 256 * 1024


def quote_events(event: EnrichedArticle) -> list[QuoteEvent]:
    """One event per quote of an enriched article, in text order (each one added)."""
    return [quote_event(event, q, change=ADDED, first_version=event.version) for q in event.quotes]


def quote_change_events(event: EnrichedArticle, changes: list[QuoteChange]) -> list[QuoteEvent]:
    """One event per quote added in this version or removed since the version before."""
    return [quote_event(event, c.quote, change=c.change, first_version=c.first_version) for c in changes]


def quote_event(event: EnrichedArticle, q: Quote, *, change: str, first_version: str | int | None) -> QuoteEvent:
    return QuoteEvent(
        quote_id=q.id,
        article_id=event.article_id,
        event_id=event.event_id,
        kind=q.kind,
        act=q.act,
        quote=q.content.text,
        speaker=q.speaker.text,
        speaker_name=q.speaker.name,
        speaker_role=q.speaker.role,
        speaker_affiliation=q.speaker.affiliation,
        speaker_names=q.speaker.names,
        cue=q.cue.text if q.cue else None,
        content=q.content,
        headline=event.headline,
        source=event.source,
        url=event.url,
        published_at=event.published_at,
        change=change,
        version=event.version,
        first_version=first_version,
    )


def occurrences(event: EnrichedArticle, changes: list[QuoteChange], *, seen_ms: int) -> list[Occurrence]:
    """The added quotes long enough to trace, as occurrences for the lineage table."""
    found = []
    for change in changes:
        if change.change != ADDED:
            continue
        key = fingerprint(change.quote.content.text)
        if key is None:
            continue
        found.append(
            Occurrence(
                fingerprint=key,
                article_id=event.article_id,
                quote_id=change.quote.id,
                quote=change.quote.content.text,
                speaker_name=change.quote.speaker.name,
                source=event.source,
                published_at=event.published_at,
                seen_ms=seen_ms,
            )
        )
    return found


def entity_events(event: EnrichedArticle) -> list[EntityEvent]:
    """One event per canonical entity of an enriched article, in order of first mention."""
    return [
        EntityEvent(
            entity=e.name,
            label=e.label,
            article_id=event.article_id,
            event_id=event.event_id,
            geonames_id=e.geonames_id,
            country_code=e.country_code,
            count=e.count,
            salience=e.salience,
            first=e.first,
            headline=event.headline,
            published_at=event.published_at,
            source=event.source,
            url=event.url,
        )
        for e in event.entities
    ]


def dead_letter(
    value: bytes | None,
    *,
    reason: str,
    error: str,
    message: str,
    source: SourceRecord,
    article_id: str | None = None,
    now: datetime | None = None,
) -> DeadLetter:
    """A dead letter carrying the original value (bounded) and where it came from."""
    raw = value or b""
    kept = raw[:MAX_DEAD_VALUE_BYTES]
    return DeadLetter(
        reason=reason,
        error=error,
        message=message[:2000],
        source=source,
        article_id=article_id,
        value_b64=base64.b64encode(kept).decode("ascii"),
        value_size=len(raw),
        value_truncated=len(kept) < len(raw),
        failed_at=(now or datetime.now(UTC)).isoformat(timespec="milliseconds"),
        service_version=__version__,
    )
