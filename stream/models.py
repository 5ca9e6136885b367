"""Frozen records that flow through the service.

orjson serializes dataclasses natively, so these carry no encoding logic.
Offsets (`start`, `end`) are character offsets into the article body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Article:
    """A raw article as it arrives on the input topic."""

    id: str
    body: str
    headline: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str | None = None
    version: str | int | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article body."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical entity of an article with all its mentions.

    `name` is the canonical name ("Dmitry Peskov" for "Peskov" too), `first` the
    offset of the first mention, `salience` a 0..1 score (headline, lead, frequency;
    see the README), None for dates, times and numbers, which are not ranked.
    Places carry a GeoNames id and ISO country code when known.
    """

    name: str
    label: str
    mentions: list[Span]
    count: int
    first: int
    salience: float | None
    geonames_id: int | None = None
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is attributed to; every field is None when the text names no one.

    `text` is the speaker as written ("he", "Peskov", "A Russian officer ..."),
    `name` the full name it resolves to within the article, `role` a title kept
    apart from the name ("Kremlin spokesman"), `entity` the entity label of the
    resolved speaker (PERSON, ORG, ...), `affiliation` the organisation the speaker
    speaks for ("a Freedom Mobile spokesperson"), also when unnamed, and `names` every
    name of a joint speaker ("Tore Sohlberg and Lehla Abreder"), `name` being the first.
    """

    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    role: str | None = None
    entity: str | None = None
    affiliation: str | None = None
    names: tuple[str, ...] = ()


NO_SPEAKER = Speaker()


QuoteKind = Literal["direct", "indirect", "mixed"]
# "statement": a speech or writing act (said, wrote, announced, according to);
# "thought": an attribution that is not one (believed, found, heard, a wording
# quoted in a description), kept only when all attributions are asked for.
Act = Literal["statement", "thought"]
# Which attributions extraction returns: "statements" only, or "all" (also thoughts).
Attributions = Literal["statements", "all"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted or reported statement: who said what, with which verb.

    `kind` is "direct" (all inside quote marks), "indirect" (reported speech,
    no marks) or "mixed" (reported speech holding a quoted fragment).
    """

    id: str
    kind: QuoteKind
    content: Span
    cue: Span | None
    speaker: Speaker = NO_SPEAKER
    act: Act = "statement"


@dataclass(frozen=True, slots=True)
class EnrichedArticle:
    """The event published for each article on the enriched topic."""

    event_id: str
    article_id: str
    headline: str | None
    byline: str | None
    source: str | None
    url: str | None
    published_at: str | None
    language: str | None
    version: str | int | None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    model: str = ""
    pipeline_version: str = ""
    processing_ms: float = 0.0
    previous_version: str | int | None = None


@dataclass(frozen=True, slots=True)
class QuoteEvent:
    """The event published per quote change on the quotes topic: a wire line without a join.

    `change` is "added" (new in `version`) or "removed" (in the version before, gone
    in `version`); `first_version` is the version the quote first appeared in.
    """

    quote_id: str
    article_id: str
    event_id: str
    kind: QuoteKind
    act: Act
    quote: str
    speaker: str | None
    speaker_name: str | None
    speaker_role: str | None
    speaker_affiliation: str | None
    speaker_names: tuple[str, ...]
    cue: str | None
    content: Span
    headline: str | None
    source: str | None
    url: str | None
    published_at: str | None
    change: str = "added"
    version: str | int | None = None
    first_version: str | int | None = None


@dataclass(frozen=True, slots=True)
class EntityEvent:
    """The event published per (article, canonical entity) on the entities topic; key = entity name."""

    entity: str
    label: str
    article_id: str
    event_id: str
    geonames_id: int | None
    country_code: str | None
    count: int
    salience: float | None
    first: int
    headline: str | None
    published_at: str | None
    source: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """Where a Kafka message came from."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """The event published on the dead-letter topic for input we could not process.

    The original value travels base64-encoded (`value_b64`), cut to a bounded
    size so the dead letter itself always fits on the topic; the full value
    stays on the source topic at `source.offset`.
    """

    reason: str
    error: str
    message: str
    source: SourceRecord
    article_id: str | None
    value_b64: str
    value_size: int
    value_truncated: bool
    failed_at: str
    service_version: str
