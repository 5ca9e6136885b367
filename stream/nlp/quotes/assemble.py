"""From attributions to Quote records: repeats dropped, split parts joined on request,
speakers resolved in reading order."""

from __future__ import annotations

import hashlib

from stream.models import NO_SPEAKER, Quote, Span, Speaker
from stream.nlp.coref import Coref
from stream.nlp.quotes.layout import Attribution, Layout
from stream.nlp.speakers import resolve_speaker

# A quote with no speaker of its own continues the previous one only when no
# other paragraph stands between them.
MAX_INHERIT_PARAGRAPHS = 0
MAX_JOIN_GAP_WORDS = 14


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end_char, b.end_char) - max(a.start_char, b.start_char))


def drop_repeats(found: list[Attribution]) -> list[Attribution]:
    """Keep one attribution per content span: the earliest found wins."""
    kept: list[Attribution] = []
    for item in found:
        size = item.end_char - item.start_char
        if not any(_overlap(k, item) > 0.9 * min(k.end_char - k.start_char, size) for k in kept[-3:]):
            kept.append(item)
    return kept


def _continues(text: str, first: Attribution, second: Attribution) -> bool:
    """True when `second` goes on with the statement of `first`, only its attribution between."""
    if first.kind != "direct" or second.kind != "direct" or second.start_char < first.end_char:
        return False
    gap = text[first.end_char : second.start_char]
    if not any(ch.isalnum() for ch in gap):
        return second.inherits and gap.count("\n") <= 2
    if len(gap.split()) > MAX_JOIN_GAP_WORDS or first.cue_chars is None:
        return False
    cue_between = first.end_char <= first.cue_chars[0] and first.cue_chars[1] <= second.start_char
    if second.inherits:
        return cue_between and gap.count("\n") <= 2
    return cue_between and second.cue_chars == first.cue_chars and "\n" not in gap


def join_split_parts(text: str, found: list[Attribution]) -> list[Attribution]:
    """Join each part of an interrupted quote ('"X," he said. "Y."') to the part before it."""
    joined: list[Attribution] = []
    for item in found:
        if joined and _continues(text, joined[-1], item):
            last = joined[-1]
            joined[-1] = Attribution(
                last.kind, last.start_char, item.end_char, last.cue_chars, last.speaker_tokens, last.inherits, last.act
            )
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
    if _paragraphs_between(text, previous.content.end, item.start_char) > MAX_INHERIT_PARAGRAPHS:
        return NO_SPEAKER, None
    return previous.speaker, previous.cue


def assemble_quotes(layout: Layout, found: list[Attribution], *, coref: Coref, article_id: str = "") -> list[Quote]:
    """Resolve speakers in reading order and build Quote records."""
    doc, text = layout.doc, layout.text
    quotes: list[Quote] = []
    for item in found:
        cue = _span(text, item.cue_chars)
        if item.speaker_tokens is not None:
            first, last = item.speaker_tokens
            speaker = resolve_speaker(doc, first, last, coref=coref)
        elif item.inherits:
            speaker, cue = _inherited(text, item, quotes[-1] if quotes else None)
        else:
            speaker = NO_SPEAKER
        start, end = item.start_char, item.end_char
        content = Span(text[start:end], start, end)
        quotes.append(Quote(quote_id(article_id, start, end), item.kind, content, cue, speaker, item.act))
    return quotes
