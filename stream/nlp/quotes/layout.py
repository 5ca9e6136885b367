"""One precomputed view of a parsed article shared by every attribution rule."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from stream.models import Act, QuoteKind
from stream.nlp.quotes.marks import Region, find_quoted_regions, join_paragraph_runs
from stream.nlp.views import doc_array, doc_text, doc_tokens

SPEAKER_POS = frozenset({"PROPN", "PRON", "NOUN"})
LINE_BREAK = re.compile("\n")
# A line whose words are mostly capitalised is a headline or a title, not running text.
MIN_HEADLINE_WORDS = 3
MAX_RUNNING_TEXT_CAPITALS = 0.6


@dataclass(frozen=True, slots=True)
class Attribution:
    """An unresolved quote: where its content and cue are, and who speaks.

    `start_char`/`end_char` and `cue_chars` are character offsets (end exclusive);
    `speaker_tokens` is an inclusive range of token indices. `inherits` marks a quote
    with no attribution of its own, which may continue the statement before it;
    `act` tells a statement from a thought.
    """

    kind: QuoteKind
    start_char: int
    end_char: int
    cue_chars: tuple[int, int] | None
    speaker_tokens: tuple[int, int] | None
    inherits: bool = False
    act: Act = "statement"


@dataclass(frozen=True, slots=True)
class Layout:
    """Quoted regions, the region of every token, and paragraph breaks, computed once."""

    doc: Doc
    text: str
    regions: list[Region]
    region_starts: list[int]
    token_region: list[int]
    token_starts: list[int]
    paragraph_breaks: list[int]
    tokens: list[Token]  # the doc's shared Token objects: doc[i] would make a new one each time

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_breaks, offset)

    def region_at(self, offset: int) -> int:
        """Index of the region holding character `offset`, or -1."""
        i = bisect.bisect_right(self.region_starts, offset) - 1
        if i >= 0 and self.regions[i].start <= offset < self.regions[i].end:
            return i
        return -1

    def first_token_from(self, offset: int) -> int:
        """Index of the first token starting at or after `offset` (len(doc) if none)."""
        return bisect.bisect_left(self.token_starts, offset)

    def in_quote(self, token: Token) -> bool:
        return self.token_region[token.i] != -1

    def line_at(self, offset: int) -> str:
        """The line (paragraph) holding character `offset`."""
        i = bisect.bisect_left(self.paragraph_breaks, offset)
        start = self.paragraph_breaks[i - 1] + 1 if i > 0 else 0
        end = self.paragraph_breaks[i] if i < len(self.paragraph_breaks) else len(self.text)
        return self.text[start:end]

    def in_headline(self, offset: int) -> bool:
        """True when the line holding `offset` is in title case ("Sanders: Clinton Email Story Has Moved")."""
        words = [w for w in self.line_at(offset).split() if w[:1].isalpha() or w[1:2].isalpha()]
        if len(words) < MIN_HEADLINE_WORDS:
            return False
        capitals = sum(1 for w in words if (w[0] if w[0].isalpha() else w[1]).isupper())
        return capitals > MAX_RUNNING_TEXT_CAPITALS * len(words)


def build_layout(doc: Doc) -> Layout:
    text = doc_text(doc)
    regions = join_paragraph_runs(text, find_quoted_regions(text))
    starts = [r.start for r in regions]
    token_starts = doc_array(doc, "IDX")  # not a Token object per word
    breaks = [match.start() for match in LINE_BREAK.finditer(text)]
    token_regions = _token_regions(token_starts, regions)
    return Layout(doc, text, regions, starts, token_regions, token_starts, breaks, doc_tokens(doc))


def _token_regions(token_starts: list[int], regions: list[Region]) -> list[int]:
    """Layout.region_at of every token start: each region marks, by binary search, the tokens
    starting in it before the next region starts (an article's words are mostly outside quotes)."""
    found = [-1] * len(token_starts)
    for number, region in enumerate(regions):
        end = region.end if number + 1 == len(regions) else min(region.end, regions[number + 1].start)
        first, last = bisect.bisect_left(token_starts, region.start), bisect.bisect_left(token_starts, end)
        found[first:last] = [number] * (last - first)
    return found


def is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space)


def speaker_range(layout: Layout, subject: Token | None, *, cue: Token | None = None) -> tuple[int, int] | None:
    """Token range of the subject's phrase, cut where it meets a quote or a line break.

    A subject in another paragraph than its `cue` is a parse running over a
    headline or a dateline, not a speaker.
    """
    if subject is None or layout.in_quote(subject):
        return None
    if cue is not None and layout.paragraph_of(subject.idx) != layout.paragraph_of(cue.idx):
        return None
    tokens = layout.tokens
    first, last = subject.left_edge.i, subject.right_edge.i
    if cue is not None and first <= cue.i <= last and cue.i != subject.i:
        # "the share of voters saying", "Continued Stone": the cue is not part of the speaker.
        first, last = (cue.i + 1, last) if cue.i < subject.i else (first, cue.i - 1)
    for i in range(subject.i - 1, first - 1, -1):
        if layout.token_region[i] != -1 or "\n" in tokens[i].text:
            first = i + 1
            break
    for i in range(subject.i + 1, last + 1):
        if layout.token_region[i] != -1 or "\n" in tokens[i].text:
            last = i - 1
            break
    while first < last and not is_word(tokens[first]):
        first += 1
    while last > first and not is_word(tokens[last]):
        last -= 1
    return first, last
