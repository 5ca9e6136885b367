"""A per-article name table: map short mentions to the fullest name the article uses.

"Peskov" resolves to "Dmitry Peskov" when the article names him in full anywhere,
before or after. Only people are merged by surname; organisations and places keep
their own (cleaned) text, so "Russia" and "Russian" stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from stream.nlp.views import doc_ents, span_text

HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame rev rev. sen sen. rep rep. gov gov.".split()
)
NAME_CACHE_SIZE = 16384
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = " \t\n,;:.\"'“”‘’()[]-–—"
NOT_MERGED_LABELS = frozenset({"NORP", "GPE", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"})


@lru_cache(maxsize=NAME_CACHE_SIZE)  # the same words and names come up in article after article
def clean_name(text: str) -> str:
    """Strip a leading "the", honorifics, edge punctuation and a possessive "'s"."""
    name = " ".join(text.split()).strip(_EDGE_PUNCT)
    name = _POSSESSIVE.sub("", name)
    name = _LEADING_THE.sub("", name)
    words = name.split()
    while words and words[0].lower() in HONORIFICS:
        words = words[1:]
    return " ".join(words).strip(_EDGE_PUNCT)


def _surname_key(name: str) -> str:
    words = name.split()
    return words[-1].lower() if words else ""


def _compatible(short: str, full: str) -> bool:
    """True when every word of `short` appears in `full` ("Peskov" in "Dmitry Peskov")."""
    full_words = {w.lower() for w in full.split()}
    return all(w.lower() in full_words for w in short.split())


@dataclass(frozen=True, slots=True)
class NameTable:
    """Fullest person name for each surname used in one article."""

    people: dict[str, str] = field(default_factory=dict)

    def canonical_text(self, text: str, *, label: str | None = None) -> str:
        """The canonical name for a mention written as `text`."""
        name = clean_name(text)
        if not name or label in NOT_MERGED_LABELS:
            return name
        full = self.people.get(_surname_key(name))
        if full and _compatible(name, full):
            return full
        return name

    def canonical(self, mention: Span) -> str:
        """The canonical name for an entity mention (a spaCy Span)."""
        return self.canonical_text(mention.text, label=mention.label_ or None)

    def is_person(self, name: str) -> bool:
        return self.people.get(_surname_key(name)) == name


def build_name_table(doc: Doc) -> NameTable:
    """Collect the fullest form of every person named in `doc`."""
    people: dict[str, str] = {}
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        name = clean_name(span_text(ent))
        key = _surname_key(name)
        if not key or not any(ch.isalpha() for ch in key):
            continue
        best = people.get(key)
        if best is None or len(name.split()) > len(best.split()):
            people[key] = name
    return NameTable(people)
