"""Named entities as the model finds them."""

from __future__ import annotations

from spacy.tokens import Doc

from stream.models import Entity

# Labels a newsroom tags with; numbers, ordinals and percentages are noise here.
DEFAULT_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"}
)


def extract_entities(doc: Doc, *, labels: frozenset[str] = DEFAULT_LABELS) -> list[Entity]:
    """Entity mentions with the given labels, in text order, leading "the" trimmed."""
    entities = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        span = ent[1:] if len(ent) > 1 and ent[0].lower_ == "the" else ent
        entities.append(Entity(span.text, ent.label_, span.start_char, span.end_char))
    return entities
