"""Pair quote marks across a whole article.

Straight, curly and guillemet double quotes are paired with one document-wide
inside-quote state. A quote never runs past a paragraph break: a paragraph that
opens a quote and does not close it ends its quote at the break, so the next
paragraph's opening mark is read as an opening again (the newspaper convention
for quotes over several paragraphs).

Single quotes ('X,' said Y, the British style) are paired in a second pass, outside
the double-quoted regions (inside them they are inner quotes of the outer one).
They must close within their paragraph, unless the mark opens the paragraph, and
an apostrophe never pairs: a mark between letters (Syria's), an elision ('n',
'em, the '90s) and a plural possessive before a lower-case word (the players'
union) neither open nor close a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stream.nlp.lexicon import (
    AMBIGUOUS_MARKS,
    CLOSING_MARKS,
    DOUBLED_MARKS,
    ELISIONS,
    OPENING_MARKS,
    SINGLE_CLOSING_MARKS,
    SINGLE_OPENING_MARKS,
    TITLE_MINOR_WORDS,
)

ALL_MARKS = OPENING_MARKS | CLOSING_MARKS | AMBIGUOUS_MARKS
SINGLE_MARKS = SINGLE_OPENING_MARKS | SINGLE_CLOSING_MARKS


def _any_of(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


# The characters each pass acts on: the scans jump from one to the next, not over every character.
DOUBLE_SCAN = _any_of(ALL_MARKS | DOUBLED_MARKS | {"\n"})
SINGLE_SCAN = _any_of(SINGLE_MARKS | {"\n"})


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
    """Return the quoted regions of `text`, in order, marks excluded: double quotes,
    then single quotes outside them; a double-quoted region inside a single-quoted
    one is its inner quote."""
    doubles = find_double_quoted_regions(text)
    singles = find_single_quoted_regions(text, doubles)
    if not singles:
        return doubles
    inner = [d for d in doubles if any(s.start <= d.start and d.end <= s.end for s in singles)]
    return sorted([d for d in doubles if d not in inner] + singles, key=lambda r: r.start)


def find_double_quoted_regions(text: str) -> list[Region]:
    """Return the regions between double quote marks, in order, marks excluded.

    Inside a quote opened with a straight mark, curly pairs are an inner quote
    ('"... about “Equal Justice” anymore."'); a curly closer with no inner opener
    still closes the outer quote, as mismatched marks do.
    """
    regions: list[Region] = []
    open_at: int | None = None
    straight = False
    inner = 0
    skipped = -1
    for match in DOUBLE_SCAN.finditer(text):
        i, ch = match.start(), match.group()
        if i == skipped:
            continue
        doubled = ch in DOUBLED_MARKS and text[i + 1 : i + 2] == ch
        if doubled:
            # Typewriter doubles ('' and ``) stand for one double quote mark.
            skipped = i + 1
            ch = '"'
        if ch == "\n":
            if open_at is not None and i > open_at:
                regions.append(Region(open_at, i, closed=False))
            open_at = None
            continue
        if ch not in ALL_MARKS:
            continue
        width = 2 if doubled else 1
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


MIN_SINGLE_QUOTED_LETTERS = 2


def _single_opens(text: str, i: int) -> bool:
    """A single mark opens before a word, after a space, a line start or an opening bracket."""
    if text[i] not in SINGLE_OPENING_MARKS:
        return False
    before = text[i - 1] if i > 0 else " "
    if not (before.isspace() or before in "([{—–-/"):
        return False
    j = i + 1
    while j < len(text) and text[j].isalnum():
        j += 1
    word = text[i + 1 : j]
    if not word:
        return False
    # The '90s, 'em, rock 'n' roll: an elision, not a quote.
    return word.lower() not in ELISIONS and not (word[:-1].isdigit() and word[-1:] == "s")


def _single_closes(text: str, i: int) -> bool:
    """A single mark closes after a word or punctuation and before a space or punctuation.

    "the players' union": a plural possessive before a lower-case word does not.
    """
    if text[i] not in SINGLE_CLOSING_MARKS:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or after.isalnum():
        return False
    return not (before == "s" and after == " " and text[i + 2 : i + 3].islower())


def _is_quoted_words(inside: str) -> bool:
    """Words in single marks that can be a quote: not a letter ('n') nor a title in
    title case ('All Bets Are Off', 'Legend in the Coal Fields'), which single marks
    often set apart."""
    if sum(c.isalpha() for c in inside) < MIN_SINGLE_QUOTED_LETTERS:
        return False
    words = [w for w in inside.split() if w[:1].isalnum()]
    if len(words) < 2 or not words[0][0].isupper():
        return True
    return not all(w[0].isupper() or w[0].isdigit() or w.lower() in TITLE_MINOR_WORDS for w in words[1:])


def find_single_quoted_regions(text: str, doubles: list[Region]) -> list[Region]:
    """Return the regions between single quote marks outside `doubles`, in order."""
    if not any(mark in text for mark in SINGLE_OPENING_MARKS):
        return []
    masked = bytearray(len(text))
    for region in doubles:
        masked[max(0, region.start - 1) : region.end + 1] = b"\x01" * (region.end + 1 - max(0, region.start - 1))
    regions: list[Region] = []
    paragraph_start = 0
    open_at: int | None = None
    for match in SINGLE_SCAN.finditer(text):
        i, ch = match.start(), match.group()
        if ch == "\n":
            if open_at is not None and not text[paragraph_start : open_at - 1].strip():
                regions.append(Region(open_at, i, closed=False))
            open_at, paragraph_start = None, i + 1
            continue
        if masked[i] or ch not in SINGLE_MARKS:
            continue
        if ch in DOUBLED_MARKS and ch in (text[i - 1 : i], text[i + 1 : i + 2]):
            continue  # half of a typewriter double ('')
        if open_at is None:
            if _single_opens(text, i):
                open_at = i + 1
        elif _single_closes(text, i):
            if _is_quoted_words(text[open_at:i]):
                regions.append(Region(open_at, i))
            open_at = None
    if open_at is not None and not text[paragraph_start : open_at - 1].strip():
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
    marks = ALL_MARKS | SINGLE_OPENING_MARKS
    return "\n" in gap and sum(ch in marks for ch in gap) == 1 and gap.strip() in marks


def _trim(text: str, region: Region) -> Region:
    """Drop surrounding whitespace so offsets point at the words."""
    start, end = region.start, region.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Region(start, end, region.closed)
