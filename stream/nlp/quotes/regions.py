"""Attributions anchored on a quoted region that no verb's clause covered.

In order: a cue right after the closing mark ('," Peskov said'); a cue right before
the opening mark ('Peskov said: "', ', adding, "'); a speaker and a colon
('HuffPollster: "'); a quoted fragment inside a clause ('called them "rapists"');
else a lone quote that may continue the statement before it.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from stream.nlp.lexicon import ADDRESSING_VERBS, CLOSING_TOKENS, OPENING_TOKENS, SENTENCE_END
from stream.nlp.quotes.colons import colon_attribution, headed_name, introducing_sentence
from stream.nlp.quotes.grammar import (
    act_of,
    cue_offsets,
    find_subject,
    is_quantity,
    is_reporting_verb,
    lemma,
    subject_before,
    token_span_offsets,
)
from stream.nlp.quotes.layout import SPEAKER_POS, Attribution, Layout, is_word, speaker_range
from stream.nlp.quotes.marks import ALL_MARKS, SINGLE_MARKS, Region
from stream.nlp.views import sentence_bounds

ADJACENT_WINDOW = 12
MIN_LONE_QUOTE_WORDS = 6
MAX_COLON_LEAD_WORDS = 8
MAX_COLON_SENTENCE_WORDS = 40
# A verb linked this way to a verb before the quote continues that verb's clause.
CLAUSE_LINKS = frozenset({"conj", "advcl", "xcomp"})
# Children that give a verb a statement of its own ("warned of ...", "added that ...").
OWN_CONTENT_DEPS = frozenset({"ccomp"})
# A modifier before the subject ("In a later speech, she warned") opens a sentence of its own.
FRONTED_DEPS = frozenset({"prep", "advcl", "npadvmod", "advmod"})


def _nearby_speaker(layout: Layout, verb: Token, first: int, last: int) -> tuple[int, int] | None:
    """A noun or pronoun between the quote and the verb, or right after the verb."""
    doc = layout.doc
    tokens = layout.tokens
    for i in range(last, first - 1, -1):
        if tokens[i].pos_ in SPEAKER_POS and not layout.in_quote(tokens[i]) and not is_quantity(tokens[i]):
            return speaker_range(layout, tokens[i], cue=verb)
    for i in range(verb.i + 1, min(verb.i + 4, len(doc))):
        if layout.in_quote(tokens[i]) or tokens[i].is_punct:
            break
        if tokens[i].pos_ in SPEAKER_POS and not is_quantity(tokens[i]):
            return speaker_range(layout, tokens[i], cue=verb)
    return None


def _verb_speaker(layout: Layout, verb: Token, first: int, last: int) -> tuple[int, int] | None:
    subject = find_subject(verb) or subject_before(verb) or _participle_subject(verb)
    if subject is not None and not layout.in_quote(subject):
        return speaker_range(layout, subject, cue=verb)
    return _nearby_speaker(layout, verb, first, last)


def _participle_subject(verb: Token) -> Token | None:
    """', writing "..."' that the parse hung off a noun or the quote: the subject of
    the sentence's verb before it speaks."""
    if verb.tag_ != "VBG":
        return None
    subject = find_subject(verb, any_link=True)
    if subject is None or subject.i > verb.i or subject.sent.start != verb.sent.start:
        return None
    return subject


def _belongs_before(layout: Layout, verb: Token, begin: int) -> bool:
    """True when `verb` goes on a clause opened before the quote ('calling it "X" and saying')."""
    head = verb.head
    return verb.dep_ in CLAUSE_LINKS and head.i < begin and head.i != verb.i and not layout.in_quote(head)


def _opens_own_statement(layout: Layout, verb: Token, begin: int) -> bool:
    """True for a verb in a new sentence after the quote that says something of its own.

    '"X." He added, "Y."' and '"X." In a later speech he warned of ...': the verb is
    not this quote's cue. A bare '"X." Peskov said.' still is.
    """
    start, end = sentence_bounds(verb.doc, verb.i)  # not verb.sent: a Span walked to both edges
    if start < begin:
        return False
    if verb.dep_ in ("csubj", "csubjpass") or any(c.dep_ in OWN_CONTENT_DEPS for c in verb.children):
        return True
    if lemma(verb) not in ADDRESSING_VERBS and any(c.dep_ == "dobj" for c in verb.children):
        # "The star then recalled an incident": the object is what is said, not this quote.
        return True
    if any(layout.token_region[i] != -1 for i in range(start, end)):  # a word of the sentence is quoted
        return True
    subject = find_subject(verb)
    opening = subject.left_edge.i if subject is not None else verb.i
    return any(c.dep_ in FRONTED_DEPS and c.i < opening for c in verb.children)


MAX_CREDIT_TOKENS = 6


def _source_credit(layout: Layout, begin: int, para: int) -> tuple[int, int] | None:
    """'"..." [Reuters.]': token range of a bracketed source credit right after a quote."""
    doc = layout.doc
    tokens = layout.tokens
    if begin >= len(doc) or tokens[begin].text != "[" or layout.paragraph_of(tokens[begin].idx) != para:
        return None
    for i in range(begin + 1, min(begin + MAX_CREDIT_TOKENS + 1, len(doc))):
        if tokens[i].text == "]":
            names = [t.i for t in doc[begin + 1 : i] if t.pos_ == "PROPN"]
            return (names[0], names[-1]) if names else None
        if "\n" in tokens[i].text or layout.in_quote(tokens[i]):
            return None
    return None


def source_credit(layout: Layout, region: Region) -> Attribution | None:
    """'"..." [Reuters.]': a quote credited to its source in brackets, the only attribution."""
    doc = layout.doc
    tokens = layout.tokens
    begin = layout.first_token_from(region.end)
    while begin < len(doc) and tokens[begin].text in CLOSING_TOKENS:
        begin += 1
    credit = _source_credit(layout, begin, layout.paragraph_of(region.end))
    if credit is None:
        return None
    first, last = credit
    cue = (tokens[first].idx, tokens[last].idx + len(tokens[last].text))
    return Attribution("direct", region.start, region.end, cue, credit)


def cue_after(layout: Layout, region: Region) -> Attribution | None:
    """'"...," Peskov said' and '"...," said Peskov'."""
    doc = layout.doc
    tokens = layout.tokens
    para = layout.paragraph_of(region.end)
    begin = layout.first_token_from(region.end)
    seen = 0
    for i in range(begin, len(doc)):
        token = tokens[i]
        if layout.in_quote(token) or layout.paragraph_of(token.idx) != para:
            return None
        if not is_word(token):
            if seen and token.text != "," and not _joins_words(token):
                return None
            continue
        if seen == 0 and token.pos_ == "CCONJ":
            # '"X" and said ...': a second clause of the sentence, not an attribution.
            return None
        if is_reporting_verb(token):
            if _belongs_before(layout, token, begin) or _opens_own_statement(layout, token, begin):
                return None
            speaker = _verb_speaker(layout, token, begin, i - 1)
            return Attribution("direct", region.start, region.end, cue_offsets(token), speaker, act=act_of(token))
        seen += 1
        if seen > ADJACENT_WINDOW:
            return None
    return None


def _joins_words(token: Token) -> bool:
    """A hyphen inside a word ("Asia-Pacific"), which does not end the phrase before a cue."""
    doc = token.doc
    return token.tag_ == "HYPH" and not token.whitespace_ and token.i > 0 and not doc[token.i - 1].whitespace_


def _lead_token(layout: Layout, region: Region) -> Token | None:
    """The last token before the opening mark, marks and spaces skipped."""
    i = layout.first_token_from(region.start) - 1
    tokens = layout.tokens
    while i >= 0 and (tokens[i].is_space or tokens[i].text in OPENING_TOKENS):
        i -= 1
    return tokens[i] if i >= 0 else None


def cue_before(layout: Layout, region: Region) -> Attribution | None:
    """'Peskov said: "..."', ', adding, "..."' and 'HuffPollster: "..."'."""
    lead = _lead_token(layout, region)
    if lead is None or not (lead.text in (":", ",") or is_reporting_verb(lead)):
        return None
    tokens = layout.tokens
    if lead.text == ":":
        named = headed_name(layout, lead)
        if named is not None:
            return Attribution("direct", region.start, region.end, (lead.idx, lead.idx + 1), named)
    # "X said:" may close the paragraph before a quote that fills the next one.
    para = layout.paragraph_of(lead.idx)
    # A colon closes a whole introducing sentence ("As X reported after ...:").
    window = MAX_COLON_SENTENCE_WORDS if lead.text == ":" else ADJACENT_WINDOW
    seen = 0
    for i in range(lead.i, -1, -1):
        token = tokens[i]
        if layout.in_quote(token) or layout.paragraph_of(token.idx) != para or token.text in SENTENCE_END:
            break
        if is_reporting_verb(token):
            speaker = _verb_speaker(layout, token, token.i + 1, lead.i - 1)
            return Attribution("direct", region.start, region.end, cue_offsets(token), speaker, act=act_of(token))
        seen += is_word(token)
        if seen > window:
            break
    if lead.text == ":" and 0 < seen <= MAX_COLON_LEAD_WORDS:
        return colon_attribution(layout, region, lead)
    if lead.text == ":":
        return introducing_sentence(layout, region, lead)
    return None


MAX_VERB_HOPS = 4


def _speaking_verb(token: Token) -> Token | None:
    """The lowest verb above `token` that has its own subject or opens a participle
    clause, else the nearest verb."""
    nearest: Token | None = None
    current = token
    for _ in range(MAX_VERB_HOPS * 2):
        if current.head.i == current.i:
            break
        current = current.head
        if current.pos_ != "VERB":
            continue
        nearest = nearest or current
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in current.children):
            return current
        if current.tag_ == "VBG" and current.dep_ == "advcl":
            # ', calling them "X"': the participle is the cue, its subject is borrowed.
            return current
    return nearest


# Children after a verb that start another statement rather than extend this one.
NEXT_CLAUSE_DEPS = frozenset({"conj", "cc", "advcl", "parataxis", "punct"})


def _phrase_end(verb: Token, at_least: int) -> int:
    """Last token of the verb's own phrase: a following 'and said ...' is left out."""
    last = at_least
    for child in verb.children:
        if child.i > verb.i and child.dep_ not in NEXT_CLAUSE_DEPS:
            last = max(last, child.right_edge.i)
    return last


def _reporting_head(layout: Layout, verb: Token) -> Token | None:
    """The verb whose content clause `verb` heads ('is questioning whether ...'), if any."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.i >= verb.i or layout.in_quote(head) or head.pos_ != "VERB":
        return None
    return head if find_subject(head) is not None else None


def embedding_clause(layout: Layout, region: Region) -> Attribution | None:
    """A quoted fragment inside a clause ('called them "rapists"') as a mixed quote.

    The cue is the nearest verb above the fragment that has a subject; the content
    runs from after that verb to the end of its phrase.
    """
    doc = layout.doc
    tokens = layout.tokens
    index = layout.region_at(region.start)
    begin, end = layout.first_token_from(region.start), layout.first_token_from(region.end)
    inside = tokens[begin:end]
    tops = [t for t in inside if layout.token_region[t.head.i] != index and is_word(t)]
    if not tops or len({t.head.i for t in tops}) != 1:
        return None
    verb = _speaking_verb(tops[0])
    if verb is None or verb.i > tops[0].i or layout.in_quote(verb):
        return None
    outer = _reporting_head(layout, verb)
    if outer is not None:
        # 'Outlets reported the Service had "one conversation"': the clause is what was reported.
        clause, verb = verb, outer
        first, last = clause.left_edge.i, max(clause.right_edge.i, end - 1)
        while first < last and (tokens[first].dep_ == "mark" or not is_word(tokens[first])):
            first += 1
    else:
        first, last = verb.i + 1, _phrase_end(verb, end - 1)
    subject = find_subject(verb, max_hops=5, any_link=True)
    if subject is not None and layout.in_quote(subject):
        subject = None
    while first <= last and tokens[first].dep_ == "prt":
        first += 1
    if first > last:
        return None
    start, stop = token_span_offsets(doc, first, last)
    start, stop = min(start, region.start), max(stop, region.end)
    speaker = speaker_range(layout, subject, cue=verb)
    return Attribution("mixed", start, stop, cue_offsets(verb), speaker, act=act_of(verb, subject=subject))


def _opens_paragraph(text: str, region: Region) -> bool:
    return region.start <= 1 or text[: region.start - 1].rstrip(" \t").endswith("\n")


def _goes_on_after_cue(layout: Layout, region: Region) -> bool:
    """'"X," Kaine said. "Y."': a quote after the sentence that attributed the quote before it."""
    index = layout.region_at(region.start)
    if index < 1:
        return False
    gap = layout.text[layout.regions[index - 1].end : region.start]
    if "\n" in gap or len(gap.split()) > ADJACENT_WINDOW:
        return False
    return gap.rstrip(" " + "".join(ALL_MARKS | SINGLE_MARKS)).endswith(".")


def lone_quote(layout: Layout, region: Region) -> Attribution | None:
    """A quote with no cue of its own, kept when it reads as a statement: long enough,
    opening a paragraph, or going on right after an attributed quote."""
    words = len(layout.text[region.start : region.end].split())
    if words < 3:
        return None
    if words < MIN_LONE_QUOTE_WORDS and not (
        _opens_paragraph(layout.text, region) or _goes_on_after_cue(layout, region)
    ):
        return None
    return Attribution("direct", region.start, region.end, None, None, inherits=True)


RegionRule = Callable[[Layout, Region], Attribution | None]
# Tried in order on every region no earlier rule claimed; the first match wins.
REGION_RULES: tuple[RegionRule, ...] = (cue_after, cue_before, source_credit, embedding_clause, lone_quote)


def adjacent_cue_attributions(layout: Layout, claimed: set[int]) -> list[Attribution]:
    """Regions with a cue right after the closing mark, before any verb rule runs."""
    return _apply(layout, claimed, (cue_after,))


def region_attributions(layout: Layout, claimed: set[int]) -> list[Attribution]:
    """Attributions for every region not in `claimed` (which is updated)."""
    return _apply(layout, claimed, REGION_RULES)


def _apply(layout: Layout, claimed: set[int], rules: tuple[RegionRule, ...]) -> list[Attribution]:
    out: list[Attribution] = []
    for index, region in enumerate(layout.regions):
        if index in claimed:
            continue
        for rule in rules:
            found = rule(layout, region)
            if found is not None:
                out.append(found)
                claimed.add(index)
                break
    return out
