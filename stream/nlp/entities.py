"""Canonical entities: the model's mentions grouped by name, labels repaired, places located.

Three steps over one Doc, each a small function:

1. `repair_label(ent, ...)`: a mention labelled PERSON, ORG or NORP whose text the
   gazetteer knows becomes GPE (LOC for a continent), when its context says it is a
   place; one the gazetteer does not know, written right before a facility noun
   ("Incirlik air base"), becomes FAC. Everything else keeps the model's label.
2. Group mentions by canonical name (the article's name table: "Peskov" is
   "Dmitry Peskov"; places and nationalities are never merged, so "Russia" and
   "Russian" stay apart). The entity's label is the first repaired label among its
   mentions, else the label most of them carry.
3. Score salience and attach GeoNames ids to places.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from stream.models import Entity, Span
from stream.nlp.gazetteer import Gazetteer, Place, load_gazetteer
from stream.nlp.names import NameTable, build_name_table

# Labels a newsroom tags with; numbers, ordinals and percentages are noise here.
DEFAULT_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"}
)
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Labels the small model often gives to places; the others (DATE "March", PRODUCT ...) are left alone.
REPAIRABLE_LABELS = frozenset({"PERSON", "ORG", "NORP"})

# A place name is the object of these: "in Mobile", "near Reading". Not "from", "to",
# "at", "with" or "by", which take people as often ("a letter from Jackson").
LOCATIVE_PREPOSITIONS = frozenset({"in", "near", "outside", "around", "across", "throughout", "inside", "within"})
# "the city of Palmyra", "Latakia province"
PLACE_NOUNS = frozenset(
    {
        "city",
        "town",
        "village",
        "capital",
        "port",
        "province",
        "region",
        "district",
        "county",
        "state",
        "governorate",
        "suburb",
        "suburbs",
        "outskirts",
        "municipality",
        "island",
        "country",
    }
)
# "Hmeymim airbase", "the Incirlik air base", "Mosul dam"
FACILITY_NOUNS = frozenset(
    {"airbase", "airport", "airfield", "base", "bridge", "dam", "stadium", "arena", "prison", "barracks", "refinery"}
)
SPEECH_VERBS = frozenset({"say", "tell", "add", "state", "announce", "claim", "insist", "deny", "argue", "write"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})

# Salience = HEADLINE_WEIGHT * (named in the headline) + LEAD_WEIGHT * (named in the lead
# paragraph) + FREQUENCY_WEIGHT * (mentions / mentions of the article's most-named entity).
HEADLINE_WEIGHT = 0.4
LEAD_WEIGHT = 0.2
FREQUENCY_WEIGHT = 0.4


@dataclass(frozen=True, slots=True)
class Mention:
    """One model mention after label repair."""

    span: Span
    label: str
    repaired: bool


def extract_entities(
    doc: Doc,
    *,
    headline: str | None = None,
    labels: frozenset[str] = DEFAULT_LABELS,
    gazetteer: Gazetteer | None = None,
) -> list[Entity]:
    """Canonical entities with the given labels, in order of first mention, each with its mentions."""
    places = gazetteer or load_gazetteer()
    table = build_name_table(doc)
    groups: dict[str, list[Mention]] = {}
    for ent in doc.ents:
        if ent.label_ not in labels and ent.label_ not in REPAIRABLE_LABELS:
            continue
        label, repaired = repair_label(ent, table=table, gazetteer=places)
        if label not in labels:
            continue
        span = ent[1:] if len(ent) > 1 and ent[0].lower_ == "the" else ent
        name = table.canonical_text(span.text, label=label)
        if not name or not any(ch.isalnum() for ch in name):
            continue
        groups.setdefault(name, []).append(Mention(Span(span.text, span.start_char, span.end_char), label, repaired))
    if not groups:
        return []
    lead = lead_end(doc)
    most = max(len(mentions) for mentions in groups.values())
    entities = []
    for name, mentions in groups.items():
        label = entity_label(mentions)
        place = locate(name, mentions, label=label, gazetteer=places)
        spans = [m.span for m in mentions]
        entities.append(
            Entity(
                name=name,
                label=label,
                mentions=spans,
                count=len(spans),
                first=spans[0].start,
                salience=salience(name, spans, headline=headline, lead_end=lead, most=most),
                geonames_id=place.geonames_id if place else None,
                country_code=place.country_code if place else None,
            )
        )
    entities.sort(key=lambda e: e.first)
    return entities


def repair_label(ent: SpacySpan, *, table: NameTable, gazetteer: Gazetteer) -> tuple[str, bool]:
    """(label, repaired): the model's label, or a place or facility label its text and context call for."""
    label = ent.label_
    if label not in REPAIRABLE_LABELS:
        return label, False
    text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
    place = gazetteer.lookup(text)
    if place is None:
        return ("FAC", True) if _before_facility_noun(ent) else (label, False)
    if label == "PERSON" and (table.canonical_text(text, label="PERSON") != text or _speaks(ent)):
        return label, False  # part of a fuller name in this article, or a speaker: a person
    if place.kind in ("country", "continent") and label != "PERSON":
        return _place_label(place), True  # "Russia" as ORG is the state: OntoNotes calls it GPE
    if _in_place_context(ent, gazetteer):
        return _place_label(place), True
    return label, False


def _place_label(place: Place) -> str:
    return "LOC" if place.kind == "continent" else "GPE"


def _in_place_context(ent: SpacySpan, gazetteer: Gazetteer) -> bool:
    """True when the words around a mention make it a place: "in X", "city of X", "X province", "X, Syria"."""
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is not None and after.text in POSSESSIVE:
        return False  # "in Jackson's view": Jackson owns something
    token = ent.root
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head  # "in Hmeymim and Tartus"
    if token.dep_ == "pobj":
        preposition = token.head
        if preposition.lower_ in LOCATIVE_PREPOSITIONS:
            return True
        if preposition.lower_ == "of" and _lemma(preposition.head) in PLACE_NOUNS:
            return True
    if after is not None and after.lower_ in PLACE_NOUNS and ent.root.head.i == after.i:
        return True
    if after is not None and after.text == "," and ent.end + 1 < len(doc):
        following = doc[ent.end + 1]
        if following.ent_type_ == "GPE" and following.ent_iob_ == "B":
            country = gazetteer.lookup(following.text)
            return country is not None and country.kind in ("country", "region")
    return False


def _before_facility_noun(ent: SpacySpan) -> bool:
    """True for "Hmeymim airbase", "Incirlik air base": the mention modifies a facility noun right after it."""
    head = ent.root.head
    if ent.root.dep_ not in ("compound", "nmod", "amod") or not ent.end <= head.i <= ent.end + 1:
        return False
    return _lemma(head) in FACILITY_NOUNS or head.lower_ in FACILITY_NOUNS


def _speaks(ent: SpacySpan) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "nsubjpass") and _lemma(root.head) in SPEECH_VERBS


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def entity_label(mentions: list[Mention]) -> str:
    """The first repaired label, else the most common one (the earliest on a tie)."""
    for mention in mentions:
        if mention.repaired:
            return mention.label
    counts = Counter(m.label for m in mentions)
    return max(counts, key=lambda label: (counts[label], -[m.label for m in mentions].index(label)))


def locate(name: str, mentions: Iterable[Mention], *, label: str, gazetteer: Gazetteer) -> Place | None:
    """The place a GPE or LOC entity is, by its name, a mention's text, or a country code ("US")."""
    if label not in PLACE_LABELS:
        return None
    for text in (name, *(m.span.text for m in mentions)):
        place = gazetteer.lookup_code(text) or gazetteer.lookup(text)
        if place is not None:
            return place
    return None


def lead_end(doc: Doc) -> int:
    """Where the lead ends: the first line break after the text starts, else the end of the first sentence."""
    text = doc.text
    start = len(text) - len(text.lstrip())
    newline = text.find("\n", start)
    if newline != -1:
        return newline
    if len(doc) and doc.has_annotation("SENT_START"):
        return next(iter(doc.sents)).end_char
    return len(text)


def salience(name: str, mentions: list[Span], *, headline: str | None, lead_end: int, most: int) -> float:
    """0..1: HEADLINE_WEIGHT if the headline names it, LEAD_WEIGHT if the lead does, FREQUENCY_WEIGHT * share."""
    in_headline = bool(headline) and any(_names(headline or "", form) for form in {name, *(m.text for m in mentions)})
    in_lead = mentions[0].start < lead_end
    share = len(mentions) / most if most else 0.0
    score = HEADLINE_WEIGHT * in_headline + LEAD_WEIGHT * in_lead + FREQUENCY_WEIGHT * share
    return round(min(1.0, score), 3)


def _names(text: str, form: str) -> bool:
    """True when `form` occurs in `text` as whole words, ignoring case."""
    return bool(form) and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None
