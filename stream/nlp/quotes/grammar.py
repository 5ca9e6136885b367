"""Reporting verbs and the parse relations that tie a cue to its speaker and content."""

from __future__ import annotations

from spacy.strings import StringStore, get_string_id
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from stream.models import Act
from stream.nlp.lexicon import (
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    MODALS,
    NAMING_VERBS,
    NON_SPEAKERS,
    QUESTION_VERBS,
    QUESTION_WORDS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    UNREALISING_VERBS,
)
from stream.nlp.views import doc_array, doc_children, doc_deps, doc_heads, doc_text, doc_tokens, doc_words

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ACCORDING = get_string_id("according")
CONTENT_DEPS = frozenset({"ccomp"})
# Relations through which a subjectless cue ("..., saying", "and added") borrows a subject.
SUBJECT_LINKS = frozenset({"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp", "prep"})
SUBJECT_SKIP_POS = frozenset({"PUNCT", "ADV", "AUX", "PART"})


def lemma(token: Token) -> str:
    """The token's lower-case lemma: every rule looks lemmas up through here."""
    return token.lemma_.lower()


class LemmaTest:
    """Whether a token's lower-case lemma is one of `words`, remembered by lemma id: the rules ask
    about every verb, often twice, and a lemma id always names the same text (no string is made
    for a lemma seen before). Forgets all when it grows past `limit`, so memory stays flat."""

    def __init__(self, words: frozenset[str], *, limit: int = 20_000) -> None:
        self.words = words
        self.limit = limit
        self.known: dict[int, bool] = {}

    def __call__(self, token: Token) -> bool:
        found = self.known.get(token.lemma)
        if found is None:
            found = self.holds(token.lemma, token.vocab.strings)
        return found

    def holds(self, lemma_id: int, strings: StringStore) -> bool:
        """The test for the lemma with this id (a token's `lemma`), without a Token."""
        found = self.known.get(lemma_id)
        if found is None:
            if len(self.known) > self.limit:
                self.known.clear()
            found = self.known[lemma_id] = strings[lemma_id].lower() in self.words
        return found


_reporting = LemmaTest(REPORTING_VERBS)


def is_reporting_verb(token: Token) -> bool:
    """True for a verb whose lemma is on the reporting list."""
    if token.pos not in (VERB, AUX):  # ids: no string for most words
        return False
    return _reporting(token)


def act_of(verb: Token, *, subject: Token | None = None) -> Act:
    """Whether `verb` reports a statement or a thought.

    A speech verb states, unless it presents evidence and no one speaks ("a review
    of the data suggests"); any other verb reports a thought or a description.
    """
    word = lemma(verb)
    if verb.lower_ == "according" or word in NAMING_VERBS:
        return "statement"
    if word not in SPEECH_VERBS:
        return "thought"
    if word in EVIDENCE_VERBS and subject is not None and lemma(subject) in EVIDENCE_NOUNS:
        return "thought"
    return "statement"


def is_unrealised(verb: Token) -> bool:
    """True for speech that did not or may not happen: "did not say", "declined to say",
    "would not comment", "will argue", "wants to know"."""
    head = verb.head
    if _negated_or_modal(verb):
        return True
    if verb.dep_ != "xcomp" or head.i == verb.i:
        return False
    return lemma(head) in UNREALISING_VERBS or _negated_or_modal(head)


def _negated_or_modal(verb: Token) -> bool:
    doc = verb.doc  # children and labels from the arrays: a Token only for an auxiliary
    tokens, deps = doc_tokens(doc), doc_deps(doc)
    return any(
        deps[c] == "neg" or (deps[c] == "aux" and lemma(tokens[c]) in MODALS)
        for c in doc_children(doc)[verb.i]
        if c < verb.i
    )


def is_question(clause: Token) -> bool:
    """True for a clause that asks ("whether X", "if X", "what X"): the question put, not a statement."""
    first = clause.left_edge
    return first.lower_ in QUESTION_WORDS or any(
        c.dep_ == "mark" and c.lower_ in QUESTION_WORDS for c in clause.children
    )


def content_clause(verb: Token) -> Token | None:
    """The clause a reporting verb governs (`said [that ...]`), if the parse has one.

    With a clause on each side ('As he became chairman, X told friends that ...'),
    the one after the verb is what was said.
    """
    tokens, deps = doc_tokens(verb.doc), doc_deps(verb.doc)
    clauses = [
        tokens[c]
        for c in doc_children(verb.doc)[verb.i]
        if deps[c] in CONTENT_DEPS or (deps[c] == "advcl" and _is_question(verb, tokens[c]))
    ]
    after = [child for child in clauses if child.i > verb.i]
    return after[0] if after else clauses[0] if clauses else None


def _is_question(verb: Token, child: Token) -> bool:
    """True for the 'if'/'whether' clause of a question verb, which the parse calls an adverbial."""
    if child.dep_ != "advcl" or lemma(verb) not in QUESTION_VERBS:
        return False
    return any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in child.children)


def find_subject(verb: Token, *, max_hops: int = 3, any_link: bool = False) -> Token | None:
    """The subject of `verb`, borrowed from governing verbs when it has none.

    `any_link` lets the search climb through any relation, not only clause links.
    """
    current = verb
    for _ in range(max_hops + 1):
        subject = _own_subject(current)
        if subject is not None:
            return subject
        if (current.dep_ not in SUBJECT_LINKS and not any_link) or current.head.i == current.i:
            return None
        current = current.head
    return None


def _crosses_line(doc: Doc, a: int, b: int) -> bool:
    """True when a token from min(a, b) up to max(a, b) (excluded) holds a line break: the text
    they cover does (tokens are only followed by a plain space)."""
    starts, text = doc_array(doc, "IDX"), doc_text(doc)
    first, last = min(a, b), max(a, b)
    return first < last and "\n" in text[starts[first] : starts[last] if last < len(starts) else len(text)]


def _own_subject(verb: Token) -> Token | None:
    """The verb's nearest subject; one across a line break is a parse error, so look left."""
    doc = verb.doc  # children and labels from the arrays: a Token only for a subject
    tokens, deps, children = doc_tokens(doc), doc_deps(doc), doc_children(doc)
    subjects = [tokens[c] for c in children[verb.i] if deps[c] in SUBJECT_DEPS and tokens[c].lower_ not in NON_SPEAKERS]
    for child in children[verb.i]:
        if deps[child] == "agent":
            subjects.extend(tokens[g] for g in children[child] if deps[g] == "pobj")
    if not subjects:
        return None
    nearest = min(subjects, key=lambda t: abs(t.i - verb.i))
    if _crosses_line(verb.doc, nearest.i, verb.i):
        return subject_before(verb, allow_participle=True)
    return nearest


def subject_before(verb: Token, *, allow_participle: bool = False) -> Token | None:
    """For a verb the parse left without a subject ('..., Jake Sullivan, said'):
    the noun or pronoun right before it."""
    if verb.tag_ in ("VBG", "VBN") and not allow_participle:
        return None
    i = verb.i - 1
    while i >= 0 and verb.doc[i].pos_ in SUBJECT_SKIP_POS and "\n" not in verb.doc[i].text:
        i -= 1
    if i < 0 or verb.doc[i].pos_ not in ("PROPN", "NOUN", "PRON") or verb.doc[i].lower_ in NON_SPEAKERS:
        return None
    if is_quantity(verb.doc[i]):
        return None
    return verb.doc[i]


QUANTITY_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY"})


def is_quantity(token: Token) -> bool:
    """A date, time or amount ("between May and October"): never a speaker."""
    return token.ent_type_ in QUANTITY_LABELS


def according_to(token: Token) -> tuple[Token, Token] | None:
    """For `according` in "according to X", return (`to`, X)."""
    if token.lower != ACCORDING:  # an id: no string for every verb asked about
        return None
    for child in token.children:
        if child.lower_ == "to":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return child, grand
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for grand in nxt.children:
            if grand.dep_ == "pobj":
                return nxt, grand
    return None


# "declined to say", "refused to concede": the governing verb is part of the cue.
MAX_CONTROL_GAP = 6


def cue_offsets(verb: Token) -> tuple[int, int]:
    """Character offsets of the cue around a reporting verb."""
    return cue_start(verb), cue_end(verb)


def cue_start(verb: Token) -> int:
    """Start offset of the cue: the verb, or the verb governing it ("declined to say")."""
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "VERB" and 0 < verb.i - head.i <= MAX_CONTROL_GAP:
        return head.idx
    return verb.idx


def cue_end(verb: Token) -> int:
    """End offset of the cue: the verb plus a particle ("pointed out")."""
    doc, after = verb.doc, verb.i + 1  # the particle can only be the next word: read from arrays, no Tokens
    words, starts = doc_words(doc), doc_array(doc, "IDX")
    if after < len(words) and doc_heads(doc)[after] == verb.i and doc_deps(doc)[after] == "prt":
        return starts[after] + len(words[after])
    return starts[verb.i] + len(words[verb.i])


def token_span_offsets(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character offsets of tokens first..last inclusive, edge punctuation dropped."""
    tokens = doc_tokens(doc)
    while first < last and (tokens[first].is_punct or tokens[first].is_space):
        first += 1
    while last > first and (tokens[last].is_punct or tokens[last].is_space):
        last -= 1
    return tokens[first].idx, tokens[last].idx + len(tokens[last].text)
