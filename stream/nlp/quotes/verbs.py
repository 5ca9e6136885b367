"""Attributions anchored on a reporting verb or on "according to".

A verb with a content clause (`said [that ...]`) yields an indirect quote, a mixed
one when part of the clause is quoted, or direct quotes when the clause is all
quoted. Which regions a rule used is recorded in `claimed`, for the region rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from stream.models import Act, QuoteKind
from stream.nlp.lexicon import INTENTION_VERBS, PROMISE_VERBS, QUESTION_VERBS, REPORTING_VERBS
from stream.nlp.quotes.grammar import (
    ACCORDING,
    LemmaTest,
    according_to,
    act_of,
    content_clause,
    cue_offsets,
    find_subject,
    is_question,
    is_reporting_verb,
    is_unrealised,
    lemma,
    subject_before,
    token_span_offsets,
)
from stream.nlp.quotes.layout import Attribution, Layout, is_word, speaker_range
from stream.nlp.views import column_in, doc_column, doc_tokens, doc_words, sentence_bounds

MIN_MIXED_OUTSIDE_WORDS = 2
MIN_INDIRECT_WORDS = 3


def _classify_clause(layout: Layout, first: int, last: int) -> tuple[QuoteKind, int, int, list[int]]:
    """Kind, offsets and touched regions of a content clause over tokens first..last."""
    doc = layout.doc
    tokens = layout.tokens
    start, end = token_span_offsets(doc, first, last)
    touched = sorted({layout.token_region[i] for i in range(first, last + 1)} - {-1})
    if not touched:
        return "indirect", start, end, []
    outside = sum(1 for i in range(first, last + 1) if layout.token_region[i] == -1 and is_word(tokens[i]))
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
    tokens = doc_tokens(verb.doc)
    while first < last and (tokens[first].dep_ == "mark" or not is_word(tokens[first])):
        first += 1
    return first, last


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


def _parenthetical_content(verb: Token) -> tuple[int, int] | None:
    """For 'X, he said, Y' and 'X, said Y': the whole sentence, as annotators mark it."""
    if verb.dep_ != "parataxis" and not (verb.dep_ == "ROOT" and _follows_comma(verb)):
        return None
    if any(child.dep_ in ("dobj", "xcomp", "prep", "advcl") and child.i > verb.i for child in verb.children):
        return None
    sentence = verb.sent
    first, last = sentence.start, sentence.end - 1
    outside = [t for t in sentence if not (verb.left_edge.i <= t.i <= verb.right_edge.i) and is_word(t)]
    return (first, last) if len(outside) >= MIN_INDIRECT_WORDS + 1 else None


def _follows_comma(verb: Token) -> bool:
    """True when a comma closes the words before the attribution ('..., said Peskov')."""
    left = verb.left_edge.i
    return left > sentence_bounds(verb.doc, verb.i)[0] and doc_words(verb.doc)[left - 1] == ","


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """What a verb rule found: the cue word, the content's inclusive token range,
    the speaking subject, the cue's character offsets, and the act reported."""

    cue_token: Token
    content_tokens: tuple[int, int]
    subject: Token
    cue_chars: tuple[int, int]
    act: Act


def _clause_attributions(layout: Layout, match: VerbMatch, claimed: set[int]) -> list[Attribution]:
    first, last = match.content_tokens
    if first > last:
        return []
    kind, start, end, touched = _classify_clause(layout, first, last)
    cue_token, cue = match.cue_token, match.cue_chars
    # "Asked if ..., she said": the subject is who was asked, not who asked.
    asked_of = cue_token.tag_ == "VBN" and lemma(cue_token) in QUESTION_VERBS
    speaker = None if asked_of else speaker_range(layout, match.subject, cue=cue_token)
    act = match.act
    if kind == "direct":
        fresh = [i for i in touched if i not in claimed]
        claimed.update(touched)
        regions = [layout.regions[i] for i in fresh]
        return [Attribution("direct", r.start, r.end, cue, speaker, act=act) for r in regions]
    words = sum(1 for token in layout.tokens[first : last + 1] if is_word(token))
    if kind == "indirect" and words < MIN_INDIRECT_WORDS:
        return []
    claimed.update(touched)
    return [Attribution(kind, start, end, cue, speaker, act=act)]


MAX_OUTER_HOPS = 4


def _misattached_reporter(layout: Layout, verb: Token) -> tuple[Token, Token] | None:
    """For a 'that'-clause the parse hung off a noun ('told reporters before the meeting
    that he believed'): the reporting verb above it and that verb's subject."""
    if verb.dep_ not in ("relcl", "acl", "advcl", "pcomp", "ccomp") or not any(
        c.dep_ == "mark" and c.lower_ == "that" for c in verb.children
    ):
        return None
    if verb.dep_ == "ccomp" and is_reporting_verb(verb.head):
        return None
    current = verb
    for _ in range(MAX_OUTER_HOPS):
        if current.head.i == current.i:
            return None
        current = current.head
        if is_reporting_verb(current) and current.i < verb.i and content_clause(current) is None:
            subject = find_subject(current)
            if subject is None or layout.in_quote(subject) or subject.sent.start != verb.sent.start:
                return None
            return current, subject
    return None


def reported_clause(layout: Layout, token: Token) -> VerbMatch | None:
    """'X said [that ...]': a reporting verb and the clause it governs.

    Speech that did not happen ("did not say whether X") and a question put
    ("asked whether X") state nothing: they are kept as thoughts.
    """
    if not is_reporting_verb(token):
        return None
    clause = content_clause(token)
    if clause is None:
        return None
    subject = find_subject(token) or subject_before(token)
    if subject is None or subject.i == clause.i:
        return None
    span = _clause_range(token, clause)
    outer = _misattached_reporter(layout, token)
    if outer is not None:
        # 'X told reporters before the meeting that he believed ...': the whole
        # "he believed ..." is what X told.
        inner = token
        token, subject = outer
        span = _clause_range(token, inner)
        clause = inner
    asks = lemma(token) in QUESTION_VERBS and is_question(clause)
    act = "thought" if asks or is_unrealised(token) else act_of(token, subject=subject)
    return VerbMatch(token, span, subject, cue_offsets(token), act)


def parenthetical(layout: Layout, token: Token) -> VerbMatch | None:
    """'X, he said, Y' and 'X, said Y': a reporting verb with no clause of its own."""
    if not is_reporting_verb(token) or content_clause(token) is not None:
        return None
    subject = find_subject(token) or subject_before(token)
    if subject is None:
        return None
    span = _parenthetical_content(token)
    if span is None:
        return None
    act = "thought" if is_unrealised(token) else act_of(token, subject=subject)
    return VerbMatch(token, span, subject, cue_offsets(token), act)


def according_to_phrase(layout: Layout, token: Token) -> VerbMatch | None:
    """'..., according to X': the clause the phrase is attached to."""
    pair = according_to(token)
    if pair is None:
        return None
    to, subject = pair
    return VerbMatch(token, _according_content(token), subject, (token.idx, to.idx + len(to.text)), "statement")


def _infinitive(verb: Token) -> Token | None:
    """The verb's to-infinitive after it ("pledged [to cut]", "urged Congress [to act]")."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i and any(c.lower_ == "to" for c in child.children):
            return child
    return None


PROMISE_OR_INTENTION_VERBS = PROMISE_VERBS | INTENTION_VERBS  # made once: promise_or_plan sees every verb
_promises_or_plans = LemmaTest(PROMISE_OR_INTENTION_VERBS)


def promise_or_plan(layout: Layout, token: Token) -> VerbMatch | None:
    """'X pledged to cut taxes', 'X urged Congress to act', 'X decided to run':
    what was promised, asked or planned, with whoever was asked.

    An undertaking or a request reports an action to come, not something stated
    to be so: like a plan, it is an attribution but not a statement (act "thought").
    A passive ("was urged to") has the listener as its subject, an infinitive
    with a clause of its own ("declined to say whether") is that verb's to report,
    and one holding a quoted wording is left to the rules for quote marks, which
    report those words as said.
    """
    if token.pos != VERB or not _promises_or_plans(token):
        return None
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
        return None
    infinitive = _infinitive(token)
    if infinitive is None or content_clause(infinitive) is not None:
        return None
    subject = find_subject(token) or subject_before(token)
    if subject is None:
        return None
    listeners = [c.left_edge.i for c in token.children if c.dep_ == "dobj" and token.i < c.i < infinitive.i]
    first, last = min([infinitive.left_edge.i, *listeners]), infinitive.right_edge.i
    if any(layout.token_region[i] != -1 for i in range(first, last + 1)):
        return None
    return VerbMatch(token, (first, last), subject, cue_offsets(token), "thought")


VerbRule = Callable[[Layout, Token], VerbMatch | None]
# Tried in order on every word outside quotes; the first match wins.
VERB_RULES: tuple[VerbRule, ...] = (reported_clause, parenthetical, according_to_phrase, promise_or_plan)


# Every rule of VERB_RULES opens with one of these tests: a reporting verb (reported_clause,
# parenthetical), a promise or intention verb (promise_or_plan), or "according".
_rule_lemmas = LemmaTest(REPORTING_VERBS | PROMISE_OR_INTENTION_VERBS)


def _verbs_and_according(doc: Doc) -> list[int]:
    """Indices of the only tokens a verb rule can match: verbs with a reporting, promise or
    intention lemma, and "according" (read from arrays, each distinct lemma tested once, without
    a Token object for every word: most verbs of an article report nothing)."""
    pos, lower, lemmas = doc_column(doc, "POS"), doc_column(doc, "LOWER"), doc_column(doc, "LEMMA")
    verbs = (pos == VERB) | (pos == AUX)
    strings = doc.vocab.strings
    wanted = [lemma for lemma in numpy.unique(lemmas[verbs]).tolist() if _rule_lemmas.holds(lemma, strings)]
    if wanted:
        verbs &= column_in(lemmas, numpy.array(wanted, dtype=numpy.uint64))  # numpy.unique: already sorted
    else:
        verbs[:] = False
    found: list[int] = numpy.flatnonzero(verbs | (lower == ACCORDING)).tolist()
    return found


def verb_attributions(layout: Layout, claimed: set[int]) -> list[Attribution]:
    """Attributions from every reporting verb and "according to" outside quotes."""
    out: list[Attribution] = []
    doc = layout.doc
    tokens = layout.tokens
    for i in _verbs_and_according(doc):
        token = tokens[i]
        if layout.in_quote(token):
            continue
        for rule in VERB_RULES:
            match = rule(layout, token)
            if match is not None:
                out.extend(_clause_attributions(layout, match, claimed))
                break
    return out
