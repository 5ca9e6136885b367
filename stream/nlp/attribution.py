"""Find attributions in a parsed article: content, cue and speaker tokens, unresolved.

Two passes share one precomputed view of the article (`Layout`):
1. every reporting verb with a content clause, and every "according to", yields an
   indirect, mixed or direct attribution depending on how much of the clause is quoted;
2. every quoted region no verb claimed looks for a cue right after its closing mark
   ('," Peskov said') or right before its opening mark ('Peskov said: "'), else inherits
   the speaker of the quote before it (a quote running over paragraphs), else stands
   alone without a speaker when it is long enough to be a statement.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from stream.nlp.cues import (
    according_to,
    content_clause,
    cue_end,
    find_subject,
    is_reporting_verb,
    is_strong_reporting_verb,
    token_span_offsets,
)
from stream.nlp.marks import Region, find_quoted_regions, join_paragraph_runs

MIN_MIXED_OUTSIDE_WORDS = 2
MIN_INDIRECT_WORDS = 3
MIN_LONE_QUOTE_WORDS = 6
ADJACENT_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Attribution:
    """An unresolved quote: offsets of content and cue, token range of the speaker."""

    kind: str
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    inherits: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """What every rule needs to know about the article, computed once."""

    doc: Doc
    regions: list[Region]
    region_starts: list[int]
    token_region: list[int]
    paragraph_breaks: list[int]

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_breaks, offset)

    def region_at(self, offset: int) -> int:
        """Index of the region holding character `offset`, or -1."""
        i = bisect.bisect_right(self.region_starts, offset) - 1
        if i >= 0 and self.regions[i].start <= offset < self.regions[i].end:
            return i
        return -1


def build_layout(doc: Doc) -> Layout:
    text = doc.text
    regions = join_paragraph_runs(text, find_quoted_regions(text))
    starts = [r.start for r in regions]
    layout = Layout(doc, regions, starts, [], [i for i, ch in enumerate(text) if ch == "\n"])
    layout.token_region.extend(layout.region_at(t.idx) for t in doc)
    return layout


def _is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space)


def _speaker_range(layout: Layout, subject: Token | None) -> tuple[int, int] | None:
    """Token range of the subject's phrase, cut where it runs into a quote or a clause."""
    if subject is None:
        return None
    first, last = subject.left_edge.i, subject.right_edge.i
    home = layout.token_region[subject.i]
    for i in range(subject.i - 1, first - 1, -1):
        if layout.token_region[i] != home or layout.doc[i].is_space:
            first = i + 1
            break
    for i in range(subject.i + 1, last + 1):
        if layout.token_region[i] != home or layout.doc[i].is_space:
            last = i - 1
            break
    doc = layout.doc
    while first < last and not _is_word(doc[first]):
        first += 1
    while last > first and not _is_word(doc[last]):
        last -= 1
    return first, last


def _classify_clause(layout: Layout, first: int, last: int) -> tuple[str, int, int, list[int]]:
    """Kind and offsets of a content clause spanning tokens first..last."""
    doc = layout.doc
    start, end = token_span_offsets(doc, first, last)
    touched = sorted({layout.token_region[i] for i in range(first, last + 1)} - {-1})
    if not touched:
        return "indirect", start, end, []
    outside = sum(1 for i in range(first, last + 1) if layout.token_region[i] == -1 and _is_word(doc[i]))
    if outside < MIN_MIXED_OUTSIDE_WORDS:
        return "direct", start, end, touched
    regions = [layout.regions[i] for i in touched]
    return "mixed", min(start, regions[0].start), max(end, regions[-1].end), touched


def _clause_range(verb: Token, clause: Token) -> tuple[int, int]:
    """Tokens of the clause, without a leading "that" and never crossing the verb."""
    first, last = clause.left_edge.i, clause.right_edge.i
    if first < verb.i < last:
        if clause.i > verb.i:
            first = verb.i + 1
        else:
            last = verb.i - 1
    doc = verb.doc
    while first < last and (doc[first].dep_ == "mark" or not _is_word(doc[first])):
        first += 1
    return first, last


def _verb_attributions(layout: Layout, claimed: set[int]) -> list[Attribution]:
    out: list[Attribution] = []
    for token in layout.doc:
        if layout.token_region[token.i] != -1:
            continue
        if is_reporting_verb(token):
            clause = content_clause(token)
            if clause is None:
                continue
            subject = find_subject(token)
            if subject is None or subject.i == clause.i:
                continue
            cue = (token.idx, cue_end(token))
        else:
            pair = according_to(token)
            if pair is None:
                continue
            to, subject = pair
            clause = token.head
            cue = (token.idx, to.idx + len(to.text))
        out.extend(_clause_attributions(layout, token, clause, subject, cue, claimed))
    return out


def _clause_attributions(
    layout: Layout, cue_token: Token, clause: Token, subject: Token, cue: tuple[int, int], claimed: set[int]
) -> list[Attribution]:
    if cue_token.lower_ == "according":
        first, last = _according_content(cue_token)
    else:
        first, last = _clause_range(cue_token, clause)
    if first > last:
        return []
    kind, start, end, touched = _classify_clause(layout, first, last)
    speaker = _speaker_range(layout, subject)
    if kind == "direct":
        claimed.update(touched)
        regions = [layout.regions[i] for i in touched]
        return [Attribution("direct", r.start, r.end, cue, speaker) for r in regions]
    words = sum(1 for i in range(first, last + 1) if _is_word(layout.doc[i]))
    if kind == "indirect" and (words < MIN_INDIRECT_WORDS or not is_strong_reporting_verb(cue_token)):
        if cue_token.lower_ != "according" and words < MIN_INDIRECT_WORDS:
            return []
    claimed.update(touched)
    return [Attribution(kind, start, end, cue, speaker)]


def _according_content(according: Token) -> tuple[int, int]:
    """The clause an "according to X" phrase is attached to, minus the phrase itself."""
    head = according.head
    while head.dep_ not in ("ROOT", "ccomp", "conj") and head.head.i != head.i:
        head = head.head
    first, last = head.left_edge.i, head.right_edge.i
    phrase_first, phrase_last = according.left_edge.i, according.right_edge.i
    if phrase_first - first >= last - phrase_last:
        last = phrase_first - 1
    else:
        first = phrase_last + 1
    return first, last


def _adjacent_cue(layout: Layout, region: Region) -> tuple[Token, Token | None] | None:
    """A reporting verb right after the closing mark or right before the opening mark."""
    doc = layout.doc
    para = layout.paragraph_of(region.end)
    after = doc.char_span(region.end, len(doc.text), alignment_mode="expand")
    if after is not None:
        seen = 0
        for token in after:
            if token.idx < region.end or not _is_word(token) and seen == 0:
                continue
            if layout.token_region[token.i] != -1 or layout.paragraph_of(token.idx) != para:
                break
            if token.is_punct and token.text not in ",":
                break
            if is_reporting_verb(token):
                return token, find_subject(token)
            seen += 1
            if seen > ADJACENT_WINDOW:
                break
    before = doc.char_span(0, region.start, alignment_mode="contract")
    if before is None or len(before) == 0:
        return None
    lead = before[-1]
    while lead.i > 0 and (lead.is_space or lead.text in ("“", '"', "„", "«", "''", "``")):
        lead = doc[lead.i - 1]
    if not (lead.text in (":", ",") or is_reporting_verb(lead)):
        return None
    # "X said:" may close the paragraph before a quote that fills the next one.
    para = layout.paragraph_of(lead.idx if lead.text == ":" else region.start)
    seen = 0
    for i in range(lead.i, -1, -1):
        token = doc[i]
        if layout.token_region[i] != -1 or layout.paragraph_of(token.idx) != para:
            break
        if is_reporting_verb(token):
            return token, find_subject(token)
        if token.text in ".!?;":
            break
        seen += _is_word(token)
        if seen > ADJACENT_WINDOW + 2:
            break
    return None


def _embedding_clause(layout: Layout, region: Region) -> Attribution | None:
    """A quoted fragment inside a clause ('called them "rapists"') as a mixed quote.

    The cue is the nearest verb above the fragment that has a subject; the content
    runs from after that verb to the end of its phrase.
    """
    doc = layout.doc
    index = layout.region_at(region.start)
    inside = [t for t in doc.char_span(region.start, region.end, alignment_mode="expand") or ()]
    tops = [t for t in inside if layout.token_region[t.head.i] != index or t.head.i == t.i]
    if len(tops) != 1 or tops[0].head.i == tops[0].i:
        return None
    verb = tops[0].head
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ != "VERB" or verb.i > tops[0].i or layout.token_region[verb.i] != -1:
        return None
    subject = find_subject(verb)
    if subject is None or subject.i > verb.i:
        return None
    last = verb.right_edge.i
    first = verb.i + 1
    while first <= last and doc[first].dep_ == "prt":
        first += 1
    if first > last:
        return None
    start, end = token_span_offsets(doc, first, last)
    start, end = min(start, region.start), max(end, region.end)
    return Attribution("mixed", start, end, (verb.idx, cue_end(verb)), _speaker_range(layout, subject))


def _region_words(layout: Layout, region: Region) -> int:
    return len(layout.doc.text[region.start : region.end].split())


def _region_attributions(layout: Layout, claimed: set[int], found: list[Attribution]) -> list[Attribution]:
    out: list[Attribution] = []
    text = layout.doc.text
    for index, region in enumerate(layout.regions):
        if index in claimed:
            continue
        adjacent = _adjacent_cue(layout, region)
        if adjacent is not None:
            verb, subject = adjacent
            out.append(
                Attribution("direct", region.start, region.end, (verb.idx, cue_end(verb)), _speaker_range(layout, subject))
            )
            continue
        embedded = _embedding_clause(layout, region)
        if embedded is not None:
            out.append(embedded)
            continue
        opens_paragraph = region.start <= 1 or text[: region.start - 1].rstrip(" \t").endswith("\n")
        if _region_words(layout, region) < MIN_LONE_QUOTE_WORDS and not opens_paragraph:
            continue
        if _region_words(layout, region) < 3:
            continue
        out.append(Attribution("direct", region.start, region.end, None, None, inherits=True))
    return out


def find_attributions(doc: Doc, *, join_split: bool = False) -> list[Attribution]:
    """All attributions in `doc`, sorted by content start, overlapping repeats dropped.

    With `join_split`, the parts of one interrupted statement ('"X," he said. "Y."',
    or quoted paragraphs that follow each other) come back as one attribution.
    """
    layout = build_layout(doc)
    claimed: set[int] = set()
    found = _verb_attributions(layout, claimed)
    found.extend(_region_attributions(layout, claimed, found))
    found = _drop_repeats(sorted(found, key=lambda a: (a.start, -a.end)))
    return join_split_parts(doc.text, found) if join_split else found


MAX_JOIN_GAP_WORDS = 14


def _is_continuation(text: str, first: Attribution, second: Attribution) -> bool:
    """True when `second` continues the statement of `first` with only its attribution between."""
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
    """Join each part of an interrupted quote to the part before it."""
    joined: list[Attribution] = []
    for item in found:
        if joined and _is_continuation(text, joined[-1], item):
            last = joined[-1]
            joined[-1] = Attribution(last.kind, last.start, item.end, last.cue, last.speaker, last.inherits)
        else:
            joined.append(item)
    return joined


def _drop_repeats(found: list[Attribution]) -> list[Attribution]:
    """Keep one attribution per content span: the first with a cue wins."""
    kept: list[Attribution] = []
    for item in found:
        duplicate = next(
            (k for k in kept if _overlap(k, item) > 0.9 * min(k.end - k.start, item.end - item.start)), None
        )
        if duplicate is None:
            kept.append(item)
    return kept


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))
