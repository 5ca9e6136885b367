"""Attributions anchored on a colon before a quote: 'Peskov: "..."', 'HEADLINE - Roe: "..."',
'X released the following statement: "..."'."""

from __future__ import annotations

from spacy.tokens import Token

from stream.models import Act
from stream.nlp.lexicon import COLON_SPEAKER_PREPOSITIONS, DASHES, NAME_JOINERS, NOT_COLON_SPEAKERS, THOUGHT_VERBS
from stream.nlp.quotes.grammar import cue_offsets, find_subject, lemma
from stream.nlp.quotes.layout import SPEAKER_POS, Attribution, Layout, speaker_range
from stream.nlp.quotes.marks import Region


def introducing_sentence(layout: Layout, region: Region, colon: Token) -> Attribution | None:
    """'X released the following statement: "..."': the main verb of the sentence the
    colon closes is the cue, and its subject speaks."""
    verb: Token | None = colon.sent.root
    if verb is not None and (verb.i >= colon.i or layout.in_quote(verb)):
        verb = _verb_before(layout, colon)  # the parse ran the sentence on into the quote
    if verb is None or verb.i >= colon.i or verb.pos_ not in ("VERB", "AUX") or layout.in_quote(verb):
        return None
    subject = find_subject(verb)
    if subject is None or subject.lower_ in NOT_COLON_SPEAKERS or subject.pos_ not in SPEAKER_POS:
        return None
    speaker = speaker_range(layout, subject, cue=verb)
    if speaker is None:
        return None
    # Any verb that introduces quoted words ("released the following statement:") states them.
    act: Act = "thought" if lemma(verb) in THOUGHT_VERBS else "statement"
    return Attribution("direct", region.start, region.end, cue_offsets(verb), speaker, act=act)


def _verb_before(layout: Layout, colon: Token) -> Token | None:
    """The highest verb above the word before the colon that is still before it:
    "Martell, the doctor, is more blunt: "..."" where the parse hung "is" off a verb in the quote."""
    token, verb = colon.doc[colon.i - 1], None
    while token.i < colon.i and not layout.in_quote(token):
        if token.pos_ in ("VERB", "AUX"):
            verb = token
        if token.head.i == token.i:
            break
        token = token.head
    return verb


MAX_HEADED_NAME_TOKENS = 8
MIN_COLON_QUOTE_WORDS = 3


def headed_name(layout: Layout, colon: Token) -> tuple[int, int] | None:
    """'HEADLINE - Jane Roe and John Doe: "..."', 'More from Roe: "..."': a run of proper
    names between a dash, a line start or "from" and the colon speaks, however long the lead."""
    tokens = layout.tokens
    i = colon.i - 1
    while i >= 0 and colon.i - i <= MAX_HEADED_NAME_TOKENS and not layout.in_quote(tokens[i]):
        token = tokens[i]
        if token.pos_ != "PROPN" and not (token.lower_ in NAME_JOINERS and i < colon.i - 1):
            break
        i -= 1
    first = i + 1
    if first >= colon.i or tokens[first].pos_ != "PROPN" or tokens[colon.i - 1].pos_ != "PROPN":
        return None
    if i < 0 or "\n" in tokens[i].text or tokens[i].text in DASHES or tokens[i].lower_ == "from":
        return first, colon.i - 1
    return None


def colon_attribution(layout: Layout, region: Region, colon: Token) -> Attribution | None:
    """'HuffPollster: "..."', 'More from Jones: "..."': the noun before the colon speaks.

    A colon before a few quoted words introduces a list or a title ('the films in the
    running: "Roma", "Vice"'), not a statement.
    """
    tokens = layout.tokens
    if colon.i == 0 or len(layout.text[region.start : region.end].split()) < MIN_COLON_QUOTE_WORDS:
        return None
    name = tokens[colon.i - 1]
    if name.pos_ not in ("PROPN", "NOUN") or layout.in_quote(name):
        return None
    if name.dep_ == "pobj" and name.head.lower_ not in COLON_SPEAKER_PREPOSITIONS:
        return None  # "Then, after a pause: ...": a circumstance, not a speaker
    first = name.i
    while first > 0 and tokens[first - 1].pos_ in ("PROPN", "DET", "ADJ") and not layout.in_quote(tokens[first - 1]):
        if "\n" in tokens[first - 1].text:
            break
        first -= 1
    cue = (colon.idx, colon.idx + 1)
    return Attribution("direct", region.start, region.end, cue, (first, name.i))
