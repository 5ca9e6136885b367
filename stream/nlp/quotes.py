"""Extract quoted and reported statements from a parsed article.

    extract_quotes(doc, article_id="a1") -> [Quote(kind, content, cue, speaker), ...]

Finding attributions (`attribution.py`) and naming their speakers (`speakers.py`)
are separate steps; this module wires them and builds the records.
"""

from __future__ import annotations

import hashlib
import logging

from spacy.tokens import Doc

from stream.models import NO_SPEAKER, Quote, Span, Speaker
from stream.nlp.attribution import verb_attributions
from stream.nlp.coref import Coref, build_coref
from stream.nlp.layout import Attribution, Layout, build_layout
from stream.nlp.regions import region_attributions
from stream.nlp.speaker_lines import speaker_line_attributions
from stream.nlp.speakers import resolve_speaker

log = logging.getLogger(__name__)

# A quote with no speaker of its own continues the previous one only when no
# other paragraph stands between them.
MAX_INHERIT_PARAGRAPHS = 0
MAX_JOIN_GAP_WORDS = 14


def find_attributions(layout: Layout, *, join_split: bool = False) -> list[Attribution]:
    """All attributions in `doc`, sorted by content start, repeats dropped.

    A cue right after a closing mark is the surest sign and goes first; then the
    reporting verbs; then whatever quoted regions are left.
    """
    claimed: set[int] = set()
    found = speaker_line_attributions(layout, claimed)
    found.extend(region_attributions(layout, claimed, adjacent_only=True))
    found.extend(verb_attributions(layout, claimed))
    found.extend(region_attributions(layout, claimed))
    found = drop_repeats(sorted(found, key=lambda a: (a.start, -a.end)))
    return join_split_parts(layout.text, found) if join_split else found


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def drop_repeats(found: list[Attribution]) -> list[Attribution]:
    """Keep one attribution per content span: the earliest found wins."""
    kept: list[Attribution] = []
    for item in found:
        size = item.end - item.start
        if not any(_overlap(k, item) > 0.9 * min(k.end - k.start, size) for k in kept[-3:]):
            kept.append(item)
    return kept


def _continues(text: str, first: Attribution, second: Attribution) -> bool:
    """True when `second` goes on with the statement of `first`, only its attribution between."""
    if first.kind != "direct" or second.kind != "direct" or second.start < first.end:
        return False
    gap = text[first.end : second.start]
    if not any(ch.isalnum() for ch in gap):
        return second.inherits and gap.count("\n") <= 2
    if len(gap.split()) > MAX_JOIN_GAP_WORDS or first.cue is None:
        return False
    cue_between = first.end <= first.cue[0] and first.cue[1] <= second.start
    if second.inherits:
        return cue_between and gap.count("\n") <= 2
    return cue_between and second.cue == first.cue and "\n" not in gap


def join_split_parts(text: str, found: list[Attribution]) -> list[Attribution]:
    """Join each part of an interrupted quote ('"X," he said. "Y."') to the part before it."""
    joined: list[Attribution] = []
    for item in found:
        if joined and _continues(text, joined[-1], item):
            last = joined[-1]
            joined[-1] = Attribution(last.kind, last.start, item.end, last.cue, last.speaker, last.inherits)
        else:
            joined.append(item)
    return joined


def quote_id(article_id: str, start: int, end: int) -> str:
    """Deterministic id: 16 hex chars of blake2b over the article id and offsets."""
    return hashlib.blake2b(f"{article_id}:{start}:{end}".encode(), digest_size=8).hexdigest()


def _span(text: str, offsets: tuple[int, int] | None) -> Span | None:
    if offsets is None:
        return None
    start, end = offsets
    return Span(text[start:end], start, end)


def _paragraphs_between(text: str, end: int, start: int) -> int:
    """Whole paragraphs with words in them between offsets `end` and `start`."""
    if end > start:
        return 0
    middle = text[end:start].split("\n")[1:-1]
    return sum(1 for line in middle if any(ch.isalnum() for ch in line))


def _inherited(text: str, item: Attribution, previous: Quote | None) -> tuple[Speaker, Span | None]:
    """The speaker (and cue) of the quote right before, when it is close enough to continue."""
    if previous is None or previous.speaker is NO_SPEAKER or previous.speaker.text is None:
        return NO_SPEAKER, None
    if _paragraphs_between(text, previous.content.end, item.start) > MAX_INHERIT_PARAGRAPHS:
        return NO_SPEAKER, None
    return previous.speaker, previous.cue


def assemble_quotes(layout: Layout, found: list[Attribution], *, coref: Coref, article_id: str = "") -> list[Quote]:
    """Resolve speakers in reading order and build Quote records."""
    doc, text = layout.doc, layout.text
    quotes: list[Quote] = []
    for item in found:
        cue = _span(text, item.cue)
        if item.speaker is not None:
            speaker = resolve_speaker(doc, item.speaker[0], item.speaker[1], coref=coref)
        elif item.inherits:
            speaker, cue = _inherited(text, item, quotes[-1] if quotes else None)
        else:
            speaker = NO_SPEAKER
        content = Span(text[item.start : item.end], item.start, item.end)
        quotes.append(Quote(quote_id(article_id, item.start, item.end), item.kind, content, cue, speaker))
    return quotes


def extract_quotes(doc: Doc, *, article_id: str = "", join_split: bool = False) -> list[Quote]:
    """Quotes in `doc`, sorted by content start; [] rather than an error on odd input.

    By default each part of '"X," he said, "Y."' is its own quote (content inside the
    marks). `join_split=True` returns one quote per interrupted statement, the
    convention of annotated corpora such as PolNeAR.
    """
    try:
        coref = build_coref(doc)
        layout = build_layout(doc)
        found = find_attributions(layout, join_split=join_split)
        return assemble_quotes(layout, found, coref=coref, article_id=article_id)
    except Exception:  # an extractor in a consumer must never take the stream down
        log.exception("quote extraction failed for article %r", article_id)
        return []
