"""A parsed article's text, built once: Doc.text makes a Token object for every word."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newswire_text"


def doc_text(doc: Doc) -> str:
    """doc.text, kept in doc.user_data after the first call (entities, coref and quotes all read it)."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.user_data[_KEY] = doc.text
    return text
