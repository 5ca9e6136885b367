"""Whole-article views of a parsed doc, built once and shared by entities, coref and quotes.

Doc.text and Doc.ents make a Token or Span object for every word or entity on each call;
the extractors would otherwise build them several times per article. The views of the
last doc asked about are kept here, not in the doc: entity spans kept in
`doc.user_data` would make a reference cycle, and each doc, with its arrays, would
then wait for the cyclic garbage collector (a worker's memory grew by hundreds of MiB).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass(slots=True)
class _Views:
    doc: Doc | None = None
    text: str | None = None
    ents: tuple[Span, ...] | None = None


_last = _Views()


def _views(doc: Doc) -> _Views:
    if _last.doc is not doc:
        _last.doc, _last.text, _last.ents = doc, None, None
    return _last


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc."""
    views = _views(doc)
    if views.text is None:
        views.text = doc.text
    return views.text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """doc.ents, built once per doc (read it only after the NER has run)."""
    views = _views(doc)
    if views.ents is None:
        views.ents = tuple(doc.ents)
    return views.ents
