"""'Name: statement' lines, as in interview transcripts ("FALLIN: Well, I think ...").

The name must be someone the article names elsewhere (a person or organisation),
so that labels ("WATCH:", "ENERGY:", "BREXIT VOTE:") are not speakers, and the
line must read as a sentence, not a headline in title case ("Sanders: Clinton
Email Story Has Moved").
"""

from __future__ import annotations

from spacy.tokens import Doc

from stream.models import QuoteKind
from stream.nlp.lexicon import SPEAKING_ENTITIES
from stream.nlp.quotes.grammar import token_span_offsets
from stream.nlp.quotes.layout import Attribution, Layout
from stream.nlp.views import doc_ents, doc_tokens, doc_words

MAX_NAME_TOKENS = 5
MIN_CONTENT_WORDS = 3
NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PART", "PUNCT"})


def _line_starts(layout: Layout) -> list[int]:
    """Token index of the first token after every line break, and 0."""
    starts = {0} if len(layout.doc) else set()
    for offset in layout.paragraph_breaks:
        i = layout.first_token_from(offset + 1)
        if i < len(layout.doc):
            starts.add(i)
    return sorted(starts)


def _name_before_colon(layout: Layout, first: int) -> int | None:
    """Index of the colon ending a short, verbless name at token `first`, if any."""
    doc = layout.doc
    tokens, words = layout.tokens, doc_words(doc)  # the word list: no string made per token.text
    for i in range(first, min(first + MAX_NAME_TOKENS + 1, len(doc))):
        word = words[i]
        if word == ":":
            return i if i > first and tokens[i - 1].pos_ == "PROPN" or i > first and tokens[i - 1].is_upper else None
        if "\n" in word or tokens[i].pos_ not in NAME_POS or word in ",.;!?":
            return None
    return None


def _named_elsewhere(doc: Doc, first: int, colon: int) -> bool:
    """True when the name's last word ends a person or organisation named outside the line."""
    tokens = doc_tokens(doc)
    word = tokens[colon - 1].lower_
    return any(
        ent.label_ in SPEAKING_ENTITIES and ent.label_ != "GPE" and ent[-1].lower_ == word
        for ent in doc_ents(doc)
        if not first <= ent.start < colon
    )


def speaker_line_attributions(layout: Layout, claimed: set[int]) -> list[Attribution]:
    """One attribution per line opened by 'Name:'; content runs to the end of the line."""
    doc = layout.doc
    tokens, texts = layout.tokens, doc_words(doc)  # the word list: no string made per token.text
    out: list[Attribution] = []
    for first in _line_starts(layout):
        colon = _name_before_colon(layout, first)
        if colon is None or colon + 1 >= len(doc):
            continue
        last = colon + 1
        while last + 1 < len(doc) and "\n" not in texts[last + 1]:
            last += 1
        words = sum(1 for i in range(colon + 1, last + 1) if not tokens[i].is_punct)
        if words < MIN_CONTENT_WORDS or layout.in_headline(tokens[first].idx):
            continue
        if not _named_elsewhere(doc, first, colon):
            continue
        start, end = token_span_offsets(doc, colon + 1, last)
        touched = {layout.token_region[i] for i in range(colon + 1, last + 1)} - {-1}
        regions = [layout.regions[i] for i in sorted(touched)]
        inside = sum(r.end - r.start for r in regions)
        kind: QuoteKind = "direct" if regions and inside >= 0.8 * (end - start) else "mixed" if regions else "indirect"
        claimed.update(touched)
        cue = (tokens[colon].idx, tokens[colon].idx + 1)
        out.append(Attribution(kind, start, end, cue, (first, colon - 1)))
    return out
