"""Pair quote marks across a whole article.

Straight, curly and guillemet double quotes are paired with one document-wide
inside-quote state. A quote never runs past a paragraph break: a paragraph that
opens a quote and does not close it ends its quote at the break, so the next
paragraph's opening mark is read as an opening again (the newspaper convention
for quotes over several paragraphs). Single quotes are never paired: they are
mostly apostrophes (Syria's, rock 'n' roll) and inner quotes that belong to the
outer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from stream.nlp.lexicon import AMBIGUOUS_MARKS, CLOSING_MARKS, DOUBLED_MARKS, OPENING_MARKS

ALL_MARKS = OPENING_MARKS | CLOSING_MARKS | AMBIGUOUS_MARKS


@dataclass(frozen=True, slots=True)
class Region:
    """Text between a pair of quote marks; `start`/`end` exclude the marks.

    `closed` is False when the paragraph ended before a closing mark.
    """

    start: int
    end: int
    closed: bool = True


def _looks_like_opener(text: str, i: int) -> bool:
    """An ambiguous mark opens when it follows a space or start and precedes a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _looks_like_closer(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _is_opening(text: str, i: int, *, inside: bool) -> bool:
    """Decide whether the mark at `i` opens (True) or closes (False) a quote."""
    ch = text[i]
    if not inside:
        if ch in CLOSING_MARKS:
            # A stray closer outside a quote opens one only when it plainly sits before a word.
            return _looks_like_opener(text, i)
        return True
    if ch in OPENING_MARKS:
        # Mismatched marks ("“...“" or "“...,\"") are common; trust the context.
        return not _looks_like_closer(text, i)
    return False


def find_quoted_regions(text: str) -> list[Region]:
    """Return the quoted regions of `text`, in order, marks excluded.

    Inside a quote opened with a straight mark, curly pairs are an inner quote
    ('"... about “Equal Justice” anymore."'); a curly closer with no inner opener
    still closes the outer quote, as mismatched marks do.
    """
    regions: list[Region] = []
    open_at: int | None = None
    straight = False
    inner = 0
    skip = False
    for i, ch in enumerate(text):
        if skip:
            skip = False
            continue
        if ch in DOUBLED_MARKS and text[i + 1 : i + 2] == ch:
            # Typewriter doubles ('' and ``) stand for one double quote mark.
            skip = True
            ch = '"'
        if ch == "\n":
            if open_at is not None and i > open_at:
                regions.append(Region(open_at, i, closed=False))
            open_at = None
            continue
        if ch not in ALL_MARKS:
            continue
        width = 2 if skip else 1
        if open_at is None:
            if _is_opening(text, i, inside=False):
                open_at, straight, inner = i + width, ch in AMBIGUOUS_MARKS, 0
            continue
        if straight and ch in OPENING_MARKS and not _looks_like_closer(text, i):
            inner += 1
            continue
        if straight and ch in CLOSING_MARKS and inner:
            inner -= 1
            continue
        if _is_opening(text, i, inside=True):
            # An opener inside an open quote: treat the old one as unclosed and restart.
            if i > open_at:
                regions.append(Region(open_at, i, closed=False))
            open_at, straight, inner = i + width, ch in AMBIGUOUS_MARKS, 0
            continue
        if i > open_at:
            regions.append(Region(open_at, i))
        open_at = None
    if open_at is not None and len(text) > open_at:
        regions.append(Region(open_at, len(text), closed=False))
    return [_trim(text, r) for r in regions if text[r.start : r.end].strip()]


def join_paragraph_runs(text: str, regions: list[Region]) -> list[Region]:
    """Join a quote left open at a paragraph end with the quote opening the next paragraph.

    This is how one statement runs over several paragraphs: every paragraph opens
    with a mark and only the last one closes.
    """
    joined: list[Region] = []
    for region in regions:
        if joined and not joined[-1].closed and _opens_next_paragraph(text, joined[-1].end, region.start):
            joined[-1] = Region(joined[-1].start, region.end, region.closed)
        else:
            joined.append(region)
    return joined


def _opens_next_paragraph(text: str, end: int, start: int) -> bool:
    """True when only whitespace and one opening mark lie between `end` and `start`."""
    gap = text[end:start]
    return "\n" in gap and sum(ch in ALL_MARKS for ch in gap) == 1 and gap.strip() in ALL_MARKS


def _trim(text: str, region: Region) -> Region:
    """Drop surrounding whitespace so offsets point at the words."""
    start, end = region.start, region.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Region(start, end, region.closed)
