"""From attributions to Quote records: repeats dropped, split parts joined on request,
speakers resolved in reading order."""

from __future__ import annotations

import hashlib

from stream.models import NO_SPEAKER, Quote, Span, Speaker
from stream.nlp.coref import SUBJECT_DEPS, Coref, Mention
from stream.nlp.quotes.layout import Attribution, Layout
from stream.nlp.speakers import resolve_speaker

# A quote with no speaker of its own continues the previous one when no other paragraph
# stands between them, or one that names no person (see _inherited).
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


def _previous_paragraph(text: str, start: int) -> tuple[int, int] | None:
    """Character range of the last paragraph with words in it before offset `start`."""
    end = text.rfind("\n", 0, start)
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        if any(ch.isalnum() for ch in text[begin:end]):
            return begin, end
        end = begin - 1
    return None


def _people_in(layout: Layout, coref: Coref, begin: int, end: int) -> list[Mention]:
    """Mentions of people between character offsets `begin` and `end`, outside quotation marks."""
    tokens = layout.tokens
    return [
        m
        for m in coref.mentions
        if begin <= tokens[m.start].idx < end
        and coref.entities[m.entity].label == "PERSON"
        and not layout.in_quote(tokens[m.end - 1])
    ]


def _is_subject(mention: Mention, layout: Layout) -> bool:
    """The mention is the subject of its clause, or the possessor of the subject ("Her message is ...")."""
    head = layout.doc[mention.end - 1]
    return head.dep_ in SUBJECT_DEPS or (head.dep_ == "poss" and head.head.dep_ in SUBJECT_DEPS)


def _inherited(layout: Layout, item: Attribution, previous: Quote | None, coref: Coref) -> tuple[Speaker, Span | None]:
    """Who says a quote with no attribution of its own, and the cue, if anyone.

    The speaker of the quote right before, when no paragraph stands between them. A quote
    that is a paragraph of its own is said by the person the paragraph before it is about
    (its last subject naming a person: "Garland said ...", "Her message is simple:"), if that
    paragraph quotes no one itself; when it names no person, the quote goes on from the
    quote before that paragraph.
    """
    text = layout.text
    gap = None
    if previous is not None and previous.speaker is not NO_SPEAKER and previous.speaker.text is not None:
        gap = _paragraphs_between(text, previous.content.end, item.start_char)
        if gap <= MAX_INHERIT_PARAGRAPHS:
            return previous.speaker, previous.cue
    before = _previous_paragraph(text, item.start_char)
    line_end = text.find("\n", item.end_char)
    after = text[item.end_char : line_end if line_end >= 0 else len(text)]
    if before is None or any(ch.isalnum() for ch in text[before[1] : item.start_char] + after):
        return NO_SPEAKER, None  # not a paragraph of its own: the words around it may name the speaker
    if any(region.start < before[1] and region.end > before[0] for region in layout.regions):
        return NO_SPEAKER, None  # a paragraph with a quote of its own ('"..." ― Jane Roe') is no lead-in
    people = _people_in(layout, coref, *before)
    subjects = [m for m in people if _is_subject(m, layout)]
    if subjects:
        return resolve_speaker(layout.doc, subjects[-1].start, subjects[-1].end - 1, coref=coref), None
    if previous is not None and not people and gap == MAX_INHERIT_PARAGRAPHS + 1:
        return previous.speaker, previous.cue
    return NO_SPEAKER, None


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
            speaker, cue = _inherited(layout, item, quotes[-1] if quotes else None, coref)
        else:
            speaker = NO_SPEAKER
        start, end = item.start_char, item.end_char
        content = Span(text[start:end], start, end)
        quotes.append(Quote(quote_id(article_id, start, end), item.kind, content, cue, speaker, item.act))
    return quotes
