"""Whole-article views of a parsed doc, built once and shared by entities, coref and quotes.

Doc.text and Doc.ents make a Token or Span object for every word or entity on each call;
the extractors would otherwise build them several times per article.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_TEXT = "newswire_text"
_ENTS = "newswire_ents"


def doc_text(doc: Doc) -> str:
    """doc.text, kept in doc.user_data after the first call."""
    text = doc.user_data.get(_TEXT)
    if not isinstance(text, str):
        text = doc.user_data[_TEXT] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """doc.ents, kept in doc.user_data after the first call (read it only after the NER has run)."""
    ents = doc.user_data.get(_ENTS)
    if not isinstance(ents, tuple):
        ents = doc.user_data[_ENTS] = tuple(doc.ents)
    return ents
