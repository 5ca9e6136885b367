"""Assembling the outgoing events from enrichment results. Pure functions."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from stream import __version__
from stream.models import DeadLetter, EnrichedArticle, EntityEvent, QuoteEvent, SourceRecord

# Keeps a dead letter well under Kafka's default 1 MB message limit.
MAX_DEAD_VALUE_BYTES = 256 * 1024


def quote_events(event: EnrichedArticle) -> list[QuoteEvent]:
    """One event per quote of an enriched article, in text order."""
    return [
        QuoteEvent(
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
        )
        for q in event.quotes
    ]


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
