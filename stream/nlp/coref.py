"""The article's mention model: names, titles, descriptions and pronouns linked into entities.

    coref = build_coref(doc)
    coref.entity_at(token_index) -> ArticleEntity | None

Rules, each one small and tested on its own:
- names: a surname, first name or shorter form joins the fullest name the article uses,
  before or after (the one named last when two people share a surname); an acronym joins
  the long form it abbreviates ("EDC", "IRCC"); a title is split off ("Lawyer");
- titles and appositions ("Prime Minister Justin Trudeau", "Nino Niederreiter, the
  26-year-old right wing") let a later "the prime minister" refer to that person; a bare
  "the company" or "the union" refers to the organisation last named;
- pronouns: a possessive or subject pronoun first takes the noun it hangs under or the
  subject of a clause that holds it ("Rachel was stunned when she learned"), or a person
  named as an object on the way up ("Carrie asks Fara to recruit Aayan but she fails"); a pronoun
  in a phrase fronted before a named subject takes that subject ("Despite his injury,
  Byas played"), also where the parse hides that subject; otherwise the most salient
  compatible entity of the last few sentences (subjects count more). Gender (honorifics,
  gendered nouns, pronouns already linked; a first name as weak evidence) and number must agree; "it" and "they" go to
  organisations, places and groups. A mention inside quotation marks is no antecedent
  for a pronoun outside. The syntax rules some out: a name coordinated with the pronoun
  ("she and Berman"), the subject a possessive's predicate noun describes ("Tey was not
  her mother"), the understood doer of an object pronoun's clause ("defeating him"), the one
  who lets or makes a "him" or "her" the parser took for a subject ("Claire allows her to").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy
from nameparser.config import CONSTANTS as NAME_CONSTANTS
from spacy.strings import get_string_id
from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from stream.nlp.aliases import defined_acronyms
from stream.nlp.first_names import first_name_gender
from stream.nlp.lexicon import (
    ADDRESSING_VERBS,
    ALIAS_MARKERS,
    EXTRA_TITLES,
    FEMALE_WORDS,
    GROUP_PRONOUNS,
    INVISIBLE_CHARS,
    MALE_WORDS,
    MARRYING_VERBS,
    OBJECT_PRONOUNS,
    ORGANISATION_NOUNS,
    PERSON_PRONOUNS_F,
    PERSON_PRONOUNS_M,
    PERSON_SPEECH_VERBS,
    SPACE_CHARS,
    SPOUSE_NOUNS,
    THING_PRONOUNS,
)
from stream.nlp.names import NAME_CACHE_SIZE, clean_name
from stream.nlp.views import (
    column_in,
    doc_array,
    doc_children,
    doc_column,
    doc_deps,
    doc_ents,
    doc_heads,
    doc_text,
    doc_tokens,
    doc_words,
    sentence_bounds,
    span_text,
    tokens_text,
)

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
# The model often labels a person ORG, GPE or NORP ("Amanda Nunes", "Nunes", "Schuh"): a mention
# that opens with a known first name is a person, and a surname joins a person named in full.
PERSON_LIKE_LABELS = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "NORP"})
RELABELLED_AS_PERSON = frozenset({"ORG", "FAC"})
THING_LABELS = frozenset({"ORG", "GPE", "FAC"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "iobj", "dative"})
PREDICATE_DEPS = frozenset({"attr", "oprd"})
# Clause boundaries: "she" in "Carrie asks Fara to recruit Aayan but she fails" is one (conj)
# below "asks", "his" in "Drucci struck Healy and tried to get his gun" two.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "pcomp", "acl"})
# How many clause boundaries up a pronoun must be for an object named in between to outweigh the
# subject above: one for a subject pronoun, two for a possessive (fit on GAP development; with
# one, "Laura hires Tuesday to destroy her ex-husband" is Tuesday as often as Laura).
OBJECT_BEFORE_SUBJECT = {"poss": 2}
# Clauses that may leave their subject unsaid: "to trade him", "defeating him", "and thanked him".
CONTROLLED_DEPS = frozenset({"xcomp", "advcl", "conj"})
# Where the walk up to a mention's clause stops.
CLAUSE_HEAD_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj"})
DEFINITE_DETS = frozenset({"the", "this", "that"})
DEFINITE_DET_IDS = frozenset(get_string_id(word) for word in DEFINITE_DETS)
DEFINITE_DET_ARRAY = numpy.array(sorted(DEFINITE_DET_IDS), dtype=numpy.uint64)
DET = get_string_id("det")
TITLE_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
# Quotation marks: a straight '"' or "''" opens or closes; the others say which. The tokenizer
# splits a typewriter opening "``" in two "`" tokens: each opens (a lone "`" is no mark, see _quoted).
QUOTE_TOGGLES = frozenset({'"', "''"})
QUOTE_OPENERS = frozenset({"“", "``", "`"})
QUOTE_CLOSERS = frozenset({"”"})
QUOTE_MARKS = QUOTE_TOGGLES | QUOTE_OPENERS | QUOTE_CLOSERS
QUOTE_MARK_ARRAY = numpy.array(sorted(get_string_id(mark) for mark in QUOTE_MARKS), dtype=numpy.uint64)
LINE_BREAK = re.compile("\n")
PRONOUNS = PERSON_PRONOUNS_F | PERSON_PRONOUNS_M | THING_PRONOUNS | GROUP_PRONOUNS
PRONOUN_IDS = frozenset(get_string_id(word) for word in PRONOUNS)
PRONOUN_ARRAY = numpy.array(sorted(PRONOUN_IDS), dtype=numpy.uint64)
NOT_DESCRIPTION_DEPS = TITLE_DEPS | {"appos", "attr"}
# Pronouns weigh the mentions of this many sentences back before taking any earlier one.
NEAR_SENTENCES = 3
# Salience of a mention: RECENCY, plus SUBJECT for a subject, divided by DECAY per sentence
# back. A subject outweighs two other mentions of its sentence, and the previous sentence
# outweighs older ones (fit on GAP development: 80 and 2 gave 70.8 overall, these 71.6).
RECENCY = 100.0
SUBJECT = 300.0
DECAY = 4.0
_TRANSLATE = {ord(ch): None for ch in INVISIBLE_CHARS} | {ord(ch): " " for ch in SPACE_CHARS}


def strip_invisible(text: str) -> str:
    """`text` without zero-width characters and with non-breaking spaces as spaces."""
    return text.translate(_TRANSLATE)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def name_text(text: str) -> str:
    """A mention's text as a name: invisible characters, "the", honorifics and "'s" removed."""
    return clean_name(strip_invisible(text))


def is_title(word: str) -> bool:
    """A title before a name, lower-case without a final dot: the name parser's list and lexicon.EXTRA_TITLES."""
    return word in NAME_CONSTANTS.titles or word in EXTRA_TITLES


def split_title(words: list[str]) -> int:
    """How many leading words of a person's name are a title ("Lawyer", "Treasury Secretary").

    Titles are the name parser's list and a few more (lexicon.EXTRA_TITLES); a lower-case
    word is part of a title too. The last word always stays the name.
    """
    cut = 0
    for i, word in enumerate(words[:-1]):
        lower = word.lower().strip(".")
        if i > 0 and first_name_gender(word) in ("female", "male"):
            break  # "Lawyer Grace Achieng Otieno": Grace is a first name here, not "Her Grace"
        if is_title(lower) or (word[:1].islower() and cut == i):
            cut = i + 1  # a lower-case word only continues a title: "Mary of York" has none
    return cut


@dataclass(slots=True)
class ArticleEntity:
    """One person, organisation, place or group the article talks about."""

    name: str
    label: str
    gender: str | None = None
    name_gender: str | None = None
    titles: set[str] = field(default_factory=set)
    title_text: str | None = None


# Not frozen: made per mention, and a frozen dataclass's __init__ costs several times more. Never changed once made.
@dataclass(slots=True)
class Mention:
    """Tokens start..end (exclusive) of the doc that refer to entity number `entity`."""

    start: int
    end: int
    kind: str
    entity: int


@dataclass(frozen=True, slots=True)
class Coref:
    """Entities and their mentions in one article."""

    entities: list[ArticleEntity]
    mentions: list[Mention]
    by_token: dict[int, int]

    def mention_at(self, index: int) -> Mention | None:
        """The linked mention covering token `index`, if any."""
        found = self.by_token.get(index)
        return None if found is None else self.mentions[found]

    def last_named(self, index: int, *, label: str) -> ArticleEntity | None:
        """The entity with `label` named last before token `index`, if any."""
        for mention in reversed(self.mentions):
            if mention.start < index and mention.kind == "name" and self.entities[mention.entity].label == label:
                return self.entities[mention.entity]
        return None

    def entity_at(self, index: int) -> ArticleEntity | None:
        """The entity a mention covering token `index` refers to, if any."""
        mention = self.mention_at(index)
        return None if mention is None else self.entities[mention.entity]


# Not frozen: made per mention, and a frozen dataclass's __init__ costs several times more. Never changed once made.
@dataclass(slots=True)
class _Name:
    start: int
    end: int
    text: str
    label: str
    title: str | None


# Not frozen: made per mention, and a frozen dataclass's __init__ costs several times more. Never changed once made.
@dataclass(slots=True)
class _Seen:
    """An earlier mention as the pronoun rules see it."""

    token: int
    sentence: int
    entity: int
    subject: bool
    quoted: bool
    head: int


def _sentence_index(doc: Doc) -> list[int]:
    """The sentence number of every token, read from an array (no Token objects)."""
    starts = doc_column(doc, "SENT_START") == 1
    starts[:1] = False
    index: list[int] = numpy.cumsum(starts).tolist()
    return index


def _quote_effect(text: str) -> bool | None:
    """True for a token that opens a quote, False for one that closes it (a line break too),
    None for a straight mark that does either or for any other token."""
    if text in QUOTE_OPENERS:
        return True
    if text in QUOTE_CLOSERS or "\n" in text:
        return False
    return None


def _paired_backtick(words: list[str], i: int) -> bool:
    """True for a "`" beside another: half of a "``" the tokenizer split ("don`t" has a lone one)."""
    return words[i - 1 : i] == ["`"] or words[i + 1 : i + 2] == ["`"]


def _quoted(doc: Doc) -> list[bool]:
    """True for tokens between quotation marks (a paragraph break closes any open quote).

    Only the marks and line breaks are looked at, found without a walk over the words.
    """
    words = doc_words(doc)
    flags = [False] * len(words)
    inside, done = False, 0
    for i in [i for i in _marks_and_breaks(doc) if words[i] != "`" or _paired_backtick(words, i)]:
        flags[done:i] = [inside] * (i - done)
        effect = _quote_effect(words[i])
        inside = (not inside) if effect is None else effect
        flags[i], done = inside, i + 1
    flags[done:] = [inside] * (len(words) - done)
    return flags


def _marks_and_breaks(doc: Doc) -> list[int]:
    """Indices of the tokens _quote_effect looks at, in order: quotation marks (from the word-id
    array) and tokens holding a line break (where the text has one)."""
    marks = numpy.flatnonzero(column_in(doc_column(doc, "ORTH"), QUOTE_MARK_ARRAY)).tolist()
    starts, text = doc_array(doc, "IDX"), doc_text(doc)
    breaks = {bisect.bisect_right(starts, match.start()) - 1 for match in LINE_BREAK.finditer(text)}
    return sorted(breaks.union(marks))


def _speaks(token: Token) -> bool:
    return token.dep_ == "nsubj" and token.head.lemma_ in PERSON_SPEECH_VERBS


def _person_chains(doc: Doc, tokens: list[Token]) -> list[Span]:
    """Proper-noun runs the model did not tag that open with a known first name ("Amanda Nunes"),
    or that are the subject of a speech verb ("Na'moks said")."""
    found = []
    untagged = (doc_column(doc, "POS") == PROPN) & (doc_column(doc, "ENT_TYPE") == 0)  # most words: no proper noun
    resume = 0  # the word after the last run taken
    for i in numpy.flatnonzero(untagged).tolist():
        if i < resume:
            continue
        token = tokens[i]
        if first_name_gender(token.text) is not None:
            end = i + 1
            while end < len(tokens) and tokens[end].pos_ == "PROPN" and not tokens[end].ent_type_:
                if not tokens[end].text[:1].isupper():
                    break
                end += 1
            if end - i >= 2:
                found.append(Span(doc, i, end, label="PERSON"))
            resume = end
        elif _speaks(token) and token.text[:1].isupper():
            start = token.i
            while start > 0 and tokens[start - 1].pos_ == "PROPN" and tokens[start - 1].dep_ == "compound":
                if tokens[start - 1].ent_type_:
                    break
                start -= 1
            found.append(Span(doc, start, token.i + 1, label="PERSON"))
    return found


def _organisation_chains(doc: Doc, tokens: list[Token]) -> list[Span]:
    """Proper nouns the model did not tag that an organisation noun introduces:
    "media buying company GroupM", "the union Unifor"."""
    found = []
    words = doc_words(doc)
    untagged = (doc_column(doc, "POS") == PROPN) & (doc_column(doc, "ENT_TYPE") == 0)  # arrays: no Token objects
    for i in numpy.flatnonzero(untagged).tolist():
        if not words[i][:1].isupper():
            continue
        token = tokens[i]
        if token.dep_ == "compound" and token.head.pos == PROPN:
            continue  # the chain's last word carries it
        nouns = [c for c in token.children if c.dep_ == "compound" and c.i < token.i and c.pos == NOUN]
        if not any(c.lower_ in ORGANISATION_NOUNS for c in nouns):
            continue
        start = token.i
        while start > 0 and tokens[start - 1].pos == PROPN and tokens[start - 1].dep_ == "compound":
            if tokens[start - 1].ent_type:
                break
            start -= 1
        found.append(Span(doc, start, token.i + 1, label="ORG"))
    return found


def _with_first_name(ent: Span) -> Span:
    """A person's name with a first name the model left out ("Lawyer Grace | Achieng Otieno")."""
    doc, start = ent.doc, ent.start
    if ent.label_ != "PERSON" or start == 0:
        return ent
    before = doc[start - 1]
    if before.pos_ == "PROPN" and not before.ent_type_ and first_name_gender(before.text) is not None:
        return Span(doc, start - 1, ent.end, label="PERSON")
    return ent


def _with_number(ent: Span) -> Span:
    """An organisation's name with the number the model left out ("UFCW Local | 832")."""
    doc, end = ent.doc, ent.end
    if ent.label_ != "ORG" or end >= len(doc):
        return ent
    after = doc[end]
    if after.like_num and after.dep_ == "nummod" and after.head.i == end - 1 and ent[-1].whitespace_:
        return Span(doc, ent.start, end + 1, label="ORG")
    return ent


def _merge_adjacent_people(spans: list[Span]) -> list[Span]:
    """One person for two touching PERSON spans ("Lawyer Grace" + "Achieng Otieno")."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.label_ == span.label_ == "PERSON"
            and last.end == span.start
            and last[-1].whitespace_ == " "
            and not {t.lower_ for t in last} & {t.lower_ for t in span}
        ):
            merged[-1] = Span(span.doc, last.start, span.end, label="PERSON")
        else:
            merged.append(span)
    return merged


def _split_roles(span: Span) -> list[Span]:
    """An actor and the role the model tagged as one name, two people: "Bea Binene as George"."""
    if span.label_ != "PERSON":
        return [span]
    inner = doc_words(span.doc)[span.start + 1 : span.end - 1]  # the words inside, without Token objects
    cut = next((span.start + 1 + k for k, word in enumerate(inner) if word == "as"), None)
    if cut is None:
        return [span]
    return [Span(span.doc, span.start, cut, label="PERSON"), Span(span.doc, cut + 1, span.end, label="PERSON")]


def _names(doc: Doc, tokens: list[Token], people: Sequence[Span] = ()) -> list[_Name]:
    """Every name mention, a person's title split off; `people` are known person names."""
    tagged = [part for ent in doc_ents(doc) if ent.label_ in NAMED_LABELS for part in _split_roles(ent)]
    spans = [_with_number(_with_first_name(span)) for span in tagged] + _person_chains(doc, tokens)
    spans += _organisation_chains(doc, tokens)
    if people:
        known = {i for span in people for i in range(span.start, span.end)}
        spans = [s for s in spans if not known & set(range(s.start, s.end))] + list(people)
    counts: dict[int, int] = {}  # word id -> how often the doc has it, counted when a name needs it
    names = []
    for span in _merge_adjacent_people(sorted(spans, key=lambda s: s.start)):
        start, title = span.start, None
        while start < span.end and (tokens[start].is_punct or tokens[start].tag_ == "POS"):
            start += 1
        # "Hereditary Chief Na'moks said", tagged ORG: a titled speaker is a person
        titled_speaker = span.label_ in RELABELLED_AS_PERSON and _speaks(span.root) and span.root.pos_ == "PROPN"
        if span.label_ == "PERSON" or titled_speaker:
            words = [t for t in tokens[start : span.end] if not t.is_punct]
            cut = split_title([t.text for t in words]) if words else 0
            if cut and any(t.text[:1].isupper() for t in words[:cut]):
                title = tokens_text(doc, span.start, words[cut - 1].i + 1)
                start = words[cut].i
                span = Span(doc, span.start, span.end, label="PERSON")
        text = name_text(tokens_text(doc, start, span.end))
        last = text.split()[-1].lower().strip(".") if text else ""
        if span.label_ == "PERSON" and is_title(last):
            if first_name_gender(text.split()[0]) is None:
                continue  # "Jim Eglinski, Yellowhead MP": a title, not a second person; "Roy Graf" is a name
        if text and any(ch.isalpha() for ch in text):
            label = span.label_
            if label in RELABELLED_AS_PERSON and _person_label(text, label) == "PERSON":
                # "Amanda Nunes" tagged ORG is a person when "Nunes" recurs alone; "Diamond Resorts" is not
                parts = text.split()
                alone, opening = _word_count(doc, parts[-1], counts), _word_count(doc, parts[0], counts)
                label = "PERSON" if alone > opening else label
            names.append(_Name(start, span.end, text, label, title))
    model_labels = [(name_text(span_text(span)), span.label_) for span in tagged]
    names = _majority_labels(names, model_labels, known={span.start for span in people})
    # "Citizenship Canada (IRCC)": the acronym is the long form's other name
    defined = {short: name_text(long) for short, long in defined_acronyms(doc_text(doc)).items()}
    names = [replace(n, text=defined[n.text]) if n.text in defined else n for n in names]
    return sorted(names + _untagged_surnames(doc, tokens, names), key=lambda n: n.start)


def _word_count(doc: Doc, word: str, counts: dict[int, int]) -> int:
    """How many tokens of `doc` are `word`, counted on the word-id array (no Token objects) and kept in `counts`."""
    word_id = get_string_id(word)
    found = counts.get(word_id)
    if found is None:
        found = counts[word_id] = doc_array(doc, "ORTH").count(word_id)
    return found


def _majority_labels(
    names: list[_Name], model_labels: list[tuple[str, str]], known: Collection[int] = ()
) -> list[_Name]:
    """A one-word name the model tags a person less often than something else is not a
    person: "Facebook" tagged ORG twice and PERSON once is the company every time, also
    where the rules took it for a person ("Facebook said"). `model_labels` are the model's
    (text, label) tags. A word of a longer person's name ("Nunes" of "Amanda Nunes") and a
    known person (`known`) stay.
    """
    person_words = {w for n in names if n.label == "PERSON" and " " in n.text for w in n.text.split()}
    votes: dict[str, Counter[str]] = {}
    for text, label in model_labels:
        if " " not in text and text not in person_words:
            votes.setdefault(text, Counter())[label] += 1
    relabel = {}
    for text, counts in votes.items():
        label, most = counts.most_common(1)[0]
        if "PERSON" in counts and label != "PERSON" and most > counts["PERSON"]:
            relabel[text] = label
    if not relabel:
        return names
    return [
        replace(n, label=relabel[n.text]) if n.label == "PERSON" and n.text in relabel and n.start not in known else n
        for n in names
    ]


def _untagged_surnames(doc: Doc, tokens: list[Token], names: list[_Name]) -> list[_Name]:
    """Lone words the model did not tag that are a person's name or part of one ("Nunes said";
    "Watts studied" where "Watts" was tagged elsewhere), an organisation's initials ("EDC"),
    or an organisation's one-word name, tagged elsewhere ("by TransLink. The agency ...")."""
    orgs = list(dict.fromkeys(n.text for n in names if n.label == "ORG"))  # each once: an article repeats them
    parts = {w: "PERSON" for n in names if n.label == "PERSON" for w in n.text.split()}
    parts |= {_initials(org): "ORG" for org in orgs if len(org.split()) > 1}
    parts |= {org: "ORG" for org in orgs if len(org.split()) == 1 and org not in parts}
    covered = {i for n in names for i in range(n.start, n.end)}
    found: list[_Name] = []
    words = doc_words(doc)
    # each distinct word tested once: only a capitalised one whose name text is a known part can be found
    known = {word for word in set(words) if word[:1].isupper() and _known_part(word, parts)}
    if not known:
        return found
    # where the known words are, from the word-id array: no walk over every word
    known_ids = numpy.array(sorted(get_string_id(word) for word in known), dtype=numpy.uint64)
    for i in numpy.flatnonzero(column_in(doc_column(doc, "ORTH"), known_ids)).tolist():
        if i in covered:
            continue
        token = tokens[i]
        if token.is_lower:
            continue
        text = name_text(token.text)
        wordlike = token.pos_ in ("PROPN", "NOUN") or text != token.text  # "Traeger\u200b" parses as PUNCT
        if wordlike and text[:1].isupper() and not token.ent_type_ and token.i not in covered:
            if text in parts:
                found.append(_Name(token.i, token.i + 1, text, parts[text], None))
    return found


def _known_part(word: str, parts: Collection[str]) -> bool:
    text = name_text(word)
    return text[:1].isupper() and text in parts


def _person_label(text: str, label: str) -> str:
    """PERSON for two or three capitalised words opening with a known first name, else `label`."""
    words = text.split()
    if label in RELABELLED_AS_PERSON and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
        if first_name_gender(words[0]) is not None and not words[-1].isupper():
            return "PERSON"
    return label


@lru_cache(maxsize=4096)  # _org_key asks for every longer organisation name, once per shorter one
def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _person_key(short: str, fulls: list[str], recent: dict[str, int] | None = None) -> str:
    """The fullest name `short` is part of: its words all in it; the one last named wins a tie.

    Two people may share a surname ("Kevin Vickers", "Andrew Vickers"): "Vickers" joins
    the one the article named most recently (`recent` maps a full name to that position).
    """
    return _pick_person(short, _people_of(short, fulls), recent)


def _people_of(short: str, fulls: list[str], fullest: dict[str, str] | None = None) -> list[str]:
    """The fullest names `short` is part of, in the order of `fulls`, each once.

    `fullest` keeps _fullest(full, fulls) per full name for calls with the same `fulls`.
    """
    words = _word_set(short)
    found: dict[str, None] = {}
    for full in fulls:
        if words <= _word_set(full):
            best = None if fullest is None else fullest.get(full)
            if best is None:
                best = _fullest(full, fulls)
                if fullest is not None:
                    fullest[full] = best
            found[best] = None
    return list(found)


def _pick_person(short: str, people: list[str], recent: dict[str, int] | None) -> str:
    """_person_key's choice among the names `short` is part of: the one named last wins a tie."""
    if not people:
        return short
    if len(people) > 1 and recent is not None:
        return max(people, key=lambda full: recent.get(full, -1))
    return people[0]


def _part_of(short: str, full: str) -> bool:
    return _word_set(short) <= _word_set(full)


@lru_cache(maxsize=4096)
def _word_set(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in name.split())


def _fullest(name: str, fulls: list[str]) -> str:
    """The longest name containing all words of `name` ("Justin Pierre Trudeau" for "Justin Trudeau")."""
    return max((full for full in fulls if _part_of(name, full)), key=lambda full: len(full.split()), default=name)


def _org_key(short: str, fulls: list[str], first_seen: dict[str, int] | None = None) -> str:
    """The longer organisation name `short` abbreviates or shortens ("EDC", "Suncor").

    A shorter form joins a longer name only when the article used the longer one first
    (`first_seen` maps a name to its first position): "Suncor Energy ... Suncor" is one
    company, "Facebook ... Facebook Research" a company and its lab.
    """
    for full in sorted(fulls, key=len, reverse=True):
        if full == short:
            continue
        if short.isupper() and len(short) >= 2 and _initials(full) == short:
            return full
        if f" {short} " in f" {full} " and not short.isupper() and _introduced_first(full, short, first_seen):
            return full
    return short


def _introduced_first(full: str, short: str, first_seen: dict[str, int] | None) -> bool:
    return first_seen is None or first_seen.get(full, 0) < first_seen.get(short, 0)


def _first_seen(names: list[_Name], roots: list[Token]) -> dict[str, int]:
    """Where each name is first used as a name of its own, not as a modifier ("a Suncor refinery").

    `roots` holds each name's syntactic head.
    """
    found: dict[str, int] = {}
    for name, root in zip(names, roots, strict=True):
        if root.dep_ != "compound":
            found.setdefault(name.text, name.start)
    return found


def _is_spouse(root: Token) -> bool:
    """A name introduced as someone's spouse: "she married John Patey", "his wife, Jane Temerlin"."""
    if root.dep_ == "dobj" and root.head.lemma_ in MARRYING_VERBS:
        return True
    return root.dep_ == "appos" and root.head.lemma_ in SPOUSE_NOUNS


def _is_surname(short: str, full: str) -> bool:
    """True for a one-word name that is the last word of `full` ("Patey", "John Patey")."""
    return " " not in short and full.split()[-1].lower() == short.lower()


def _group(
    names: list[_Name], spouses: frozenset[str] = frozenset(), first_seen: dict[str, int] | None = None
) -> tuple[list[ArticleEntity], list[int]]:
    """Entities for the names, and the entity of each name; `first_seen` as _org_key reads it.

    A lone surname does not join the full name of a spouse (`spouses`): "She married John
    Patey ... Patey was without a rival" is she, who took his name; "John" still is him.
    """
    # dict.fromkeys keeps the order of first mention, so ties break the same way every run
    people = sorted(dict.fromkeys(n.text for n in names if n.label == "PERSON"), key=lambda t: -len(t.split()))
    orgs = sorted(dict.fromkeys(n.text for n in names if n.label != "PERSON"), key=len, reverse=True)
    entities: list[ArticleEntity] = []
    keys: dict[tuple[str, str], int] = {}
    owners = []
    recent: dict[str, int] = {}
    # An article repeats its names: the names each text is part of, and each organisation's
    # longer form, are worked out once per text (neither depends on where the name is).
    people_of: dict[str, list[str]] = {}
    fullest: dict[str, str] = {}  # _fullest of each person's name among all of `people`
    org_keys: dict[str, str] = {}
    for name in names:
        person = name.text
        if name.label in PERSON_LIKE_LABELS:
            found = people_of.get(name.text)
            if found is None:
                fulls = [full for full in people if full not in spouses or not _is_surname(name.text, full)]
                shared = fullest if len(fulls) == len(people) else None
                found = people_of[name.text] = _people_of(name.text, fulls, shared)
            person = _pick_person(name.text, found, recent)
        if name.label == "PERSON" and len(name.text.split()) > 1:
            recent[person] = name.start
        if name.label == "PERSON" or person != name.text:
            key = (person, "PERSON")
        elif name.label in ("GPE", "NORP"):
            key = (name.text, name.label)
        else:
            org = org_keys.get(name.text)
            if org is None:
                org = org_keys[name.text] = _org_key(name.text, orgs, first_seen)
            key = (org, name.label)
        if key not in keys:
            keys[key] = len(entities)
            entities.append(ArticleEntity(name=key[0], label=key[1]))
        owners.append(keys[key])
    return entities, owners


def _join_aliases(tokens: list[Token], names: list[_Name], owners: list[int]) -> list[int]:
    """The entity of each name, a bracketed other name of a person made that person:
    "Alma Taggart (née Eveleth)", "Bonnie Tyler (then known as Gaynor Hopkins)"."""
    same = {}
    for number in range(1, len(names)):
        before, name = names[number - 1], names[number]
        between = tokens[before.end : name.start]
        if before.label != "PERSON" or not 1 < len(between) <= 4 or between[0].text != "(":
            continue
        if all(t.lower_ in ALIAS_MARKERS for t in between[1:]):
            same[owners[number]] = owners[number - 1]
    return [same.get(owner, owner) for owner in owners]


def _words(tokens: list[Token]) -> set[str]:
    return {t.lower_ for t in tokens if t.is_alpha and not t.is_stop or "-" in t.text[1:-1]}


def _title_tokens(doc: Doc, name: _Name) -> list[Token]:
    """Words that describe a person where the name is used: a title before it, appositions."""
    head = doc[name.end - 1]
    found: list[Token] = []
    for child in head.children:
        if child.dep_ == "appos" and child.i >= name.end:
            found.extend(t for t in child.subtree if t.dep_ not in ("relcl", "prep") and t.i >= name.end)
        elif child.dep_ in TITLE_DEPS and child.i < name.start and not child.ent_type_:
            found.extend(t for t in child.subtree if not t.ent_type_ or t.ent_type_ == "NORP")
    if head.dep_ == "appos" and head.head.i < name.start and head.head.pos_ == "NOUN":
        found.extend(t for t in head.head.subtree if t.i < name.start and not t.ent_type_)
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        for child in head.head.children:
            if child.dep_ == "attr" and child.pos_ == "NOUN":
                found.extend(t for t in child.subtree if t.dep_ != "prep" and t.i > child.i - 4)
    return found


GENDERED_WORDS = FEMALE_WORDS | MALE_WORDS


def _gender_of_words(words: set[str]) -> str | None:
    if words & FEMALE_WORDS:
        return "f"
    if words & MALE_WORDS:
        return "m"
    return None


def _describe(doc: Doc, names: list[_Name], owners: list[int], entities: list[ArticleEntity]) -> None:
    """Titles, appositions and gender evidence of each person entity."""
    for name, owner in zip(names, owners, strict=True):
        entity = entities[owner]
        if entity.label != "PERSON":
            continue
        tokens = _title_tokens(doc, name)
        before = doc[name.start - 1].lower_ if name.start > 0 else ""
        words = _words(tokens) | ({before} if before in GENDERED_WORDS else set())
        if name.title:
            words |= {w.lower().strip(".") for w in name.title.split()}
            entity.title_text = entity.title_text or name.title
        entity.titles |= words
        if entity.gender is None:
            entity.gender = _gender_of_words(words)
        entity.name_gender = entity.name_gender or _first_name_gender(entity.name)


def _first_name_gender(name: str) -> str | None:
    """The gender a person's first name points to ("Daniel Okafor", or "Daniel" alone), if any."""
    words = name.split()
    if not words:
        return None
    gender = first_name_gender(words[0])
    return {"female": "f", "male": "m"}.get(gender or "")


def _mismatch(entity: ArticleEntity, word: str) -> int:
    """1 when a first name points to the other gender than the pronoun (weak evidence), else 0."""
    if entity.gender is not None or entity.name_gender is None:
        return 0
    wanted = "f" if word in PERSON_PRONOUNS_F else "m" if word in PERSON_PRONOUNS_M else None
    return int(wanted is not None and entity.name_gender != wanted)


def _fits(entity: ArticleEntity, word: str) -> bool:
    """Compatible with the pronoun `word`, its first name included (for the rules that pick one person)."""
    return _compatible(entity, word) and not _mismatch(entity, word)


def _compatible(entity: ArticleEntity, word: str) -> bool:
    if word in PERSON_PRONOUNS_F or word in PERSON_PRONOUNS_M:
        wanted = "f" if word in PERSON_PRONOUNS_F else "m"
        return entity.label == "PERSON" and entity.gender in (None, wanted)
    if word in THING_PRONOUNS:
        return entity.label in THING_LABELS
    return entity.label in GROUP_LABELS


def _clause_head(token: Token) -> Token:
    return doc_tokens(token.doc)[_clause_head_index(token.doc, token.i)]


def _clause_head_index(doc: Doc, i: int) -> int:
    """The index of _clause_head(doc[i]), walked on the head and label arrays (no Token objects)."""
    heads, deps = doc_heads(doc), doc_deps(doc)
    while deps[i] not in CLAUSE_HEAD_DEPS and heads[i] != i:
        i = heads[i]
    return i


def _bound_heads(token: Token) -> set[int]:
    """The clause heads whose subject cannot be an object pronoun's antecedent: its own clause,
    and the clause whose subject it shares through "and" ("Smith went home and thanked him")."""
    clause = _clause_head(token)
    found = {clause.i}
    while clause.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        clause = _clause_head(clause.head)
        found.add(clause.i)
    return found


def _antecedent(
    token: Token,
    seen: list[_Seen],
    entities: list[ArticleEntity],
    sentence: int,
    quoted: bool,
    excluded: Collection[int] = (),
) -> int | None:
    """The entity a pronoun refers to: the most salient compatible one of the last few sentences.

    Salience (after Lappin and Leass) adds up over an entity's mentions: each counts
    RECENCY, plus SUBJECT when it is a subject, divided by DECAY for every sentence back.
    A first name of the other gender only counts when nothing else fits; beyond the
    window, the nearest compatible mention is taken. `excluded` entities are never taken.
    """
    word = token.lower_
    bound = _bound_heads(token) if token.dep_ in OBJECT_DEPS else set()
    scores: dict[int, float] = {}
    fallback: int | None = None
    for item in reversed(seen):
        distance = sentence - item.sentence
        if distance > NEAR_SENTENCES and scores:
            break
        if item.quoted and not quoted:
            continue
        entity = entities[item.entity]
        if not _compatible(entity, word):
            continue
        if item.entity in excluded:
            continue  # "she and Berman", "Tey was not her mother", "defeating him": ruled out by the syntax
        if item.head in bound and item.subject:
            continue  # "Smith praised him", "Smith went to Jones and praised him": not Smith
        if _mismatch(entity, word):
            fallback = item.entity if fallback is None else fallback
            continue
        if distance > NEAR_SENTENCES:
            return item.entity
        weight = (RECENCY + (SUBJECT if item.subject else 0)) / DECAY**distance
        scores[item.entity] = scores.get(item.entity, 0.0) + weight
    if scores:
        return max(scores, key=lambda entity: scores[entity])
    return fallback


def _addressee(verb: Token, heads: dict[int, int], entities: list[ArticleEntity], word: str) -> int | None:
    """The named person a speech verb addresses ("informed Isabella"), if the pronoun fits."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and (found := heads.get(child.i)) is not None:
            entity = entities[found]
            return found if _fits(entity, word) else None
    return None


def _local_antecedent(token: Token, heads: dict[int, int], entities: list[ArticleEntity]) -> int | None:
    """A possessive's or subject pronoun's antecedent in its own sentence: the noun it hangs
    under or the subject of a clause that holds it, named before it; never the subject of a
    clause whose predicate noun holds the possessive ("Edith was appointed her successor").

    "Michael Kidd in his first role" -> Kidd; "Christmas has been on the run since killing his
    father" -> Christmas; "Jake Burns, who was trying to promote his band" -> Burns; "Rachel
    was stunned when she learned" -> Rachel. A subject pronoun of a relative clause does not
    look above it ("a song she recorded": the one who recorded it, not who mentioned it). A
    person named as the object of a verb on the way up, far enough below the subject, is taken
    instead (see _named_objects and OBJECT_BEFORE_SUBJECT).
    """
    word, own_dep = token.lower_, token.dep_
    # the walk up reads the head, label and POS arrays; a Token is made only where a rule reads one
    doc = token.doc
    tokens, up, deps, pos = doc_tokens(doc), doc_heads(doc), doc_deps(doc), doc_array(doc, "POS")
    at = token.i
    crossed, objects = 0, []
    while up[at] != at:
        crossed += deps[at] in CLAUSE_DEPS
        if deps[at] == "relcl" and own_dep in SUBJECT_DEPS:
            return None  # "Parton graced Erin with a song she recorded": not the subject above
        if deps[at] == "ccomp" and tokens[up[at]].lemma_ in ADDRESSING_VERBS:
            addressee = _addressee(tokens[up[at]], heads, entities, word)
            if addressee is not None:
                return addressee
        below, at = at, up[at]
        found = heads.get(at)
        if found is None and pos[at] == NOUN and own_dep == "poss" and deps[below] == "prep":
            # "Connie's idea of her marriage": the owner of the noun the possessive is in
            found = next((heads.get(c.i) for c in tokens[at].children if c.dep_ == "poss" and c.i != token.i), None)
        if found is not None and pos[at] in (PROPN, NOUN):
            return found if _fits(entities[found], word) else None
        if pos[at] in (VERB, AUX):
            if own_dep == "poss" and deps[below] in PREDICATE_DEPS:
                continue  # "Edith was appointed her successor": not Edith; up to the clause above
            objects += _named_objects(tokens[at], token, heads, entities)
            for child in doc_children(doc)[at]:
                if deps[child] not in SUBJECT_DEPS or child > token.i:
                    continue
                if tokens[child].lower_ in ("who", "that") and deps[at] == "relcl":
                    child = up[at]
                found = heads.get(child)
                if found is not None and _fits(entities[found], word):
                    return objects[0] if objects and crossed >= OBJECT_BEFORE_SUBJECT.get(token.dep_, 1) else found
    return None


def _named_objects(verb: Token, token: Token, heads: dict[int, int], entities: list[ArticleEntity]) -> list[int]:
    """The people named as `verb`'s object before the pronoun `token` that fit it: for a pronoun
    a clause or two below, the one acted on is nearer than the subject ("Carrie asks Fara to
    recruit Aayan but she fails" -> Fara; "Drucci struck Healy and tried to get his gun" -> Healy)."""
    deps = doc_deps(verb.doc)
    found = (heads.get(c) for c in doc_children(verb.doc)[verb.i] if deps[c] in ("dobj", "dative") and c < token.i)
    return [e for e in found if e is not None and _fits(entities[e], token.lower_)]


def _reported_speaker(token: Token, heads: dict[int, int], entities: list[ArticleEntity]) -> int | None:
    """The speaker of "Lee Finell said she is unsure": a subject pronoun of a clause reported by
    a speech verb refers to that verb's subject (a first name of the other gender notwithstanding),
    unless the verb addresses someone the pronoun fits better: "Martha tells Ted he values the
    wrong things" is Ted."""
    clause = token.head
    if token.dep_ not in SUBJECT_DEPS or clause.dep_ != "ccomp" or clause.head.lemma_ not in PERSON_SPEECH_VERBS:
        return None
    word = token.lower_
    for child in clause.head.children:
        if child.dep_ == "nsubj" and child.i < token.i:
            found = heads.get(child.i)
            if found is not None and _compatible(entities[found], word):
                addressee = _addressee(clause.head, heads, entities, word) if _mismatch(entities[found], word) else None
                return found if addressee is None else addressee
    return None


def _cataphora(token: Token, ahead: dict[int, int], entities: list[ArticleEntity]) -> int | None:
    """The subject named after a fronted phrase that holds the pronoun: "Despite his injury,
    Byas played" -> Byas; "Although he tours with Thompson, Zorn also plays" -> Zorn.

    The pronoun sits in a dependent of a verb that comes before the verb's subject; that
    subject, or the name it belongs to ("Bridget's storylines"), when it is a name (`ahead`
    maps each name's head token to its entity) and agrees.
    """
    word = token.lower_
    doc = token.doc  # the walk up reads arrays; a Token only for a verb whose subjects are looked at
    tokens, up, deps, pos = doc_tokens(doc), doc_heads(doc), doc_deps(doc), doc_array(doc, "POS")
    at = token.i
    while up[at] != at:
        below, at = at, up[at]
        if deps[below] in SUBJECT_DEPS or deps[below] == "conj":
            continue  # "Although he tours": up from the pronoun's own clause to the one it fronts
        if pos[at] not in (VERB, AUX) or below > at:
            continue
        for subject in tokens[at].children:
            if subject.dep_ in SUBJECT_DEPS and subject.i > token.i:
                found = ahead.get(subject.i)
                if found is None:  # "During her time there, Bridget's storylines included"
                    owner = next((c for c in subject.children if c.dep_ == "poss"), None)
                    found = None if owner is None else ahead.get(owner.i)
                if found is not None and _fits(entities[found], word):
                    return found
                return None
            if subject.dep_ in SUBJECT_DEPS:
                return None
    return None


def _fronted_phrase_name(
    token: Token, starts: dict[int, tuple[_Name, int]], entities: list[ArticleEntity]
) -> int | None:
    """The subject named right after an opening phrase that holds a possessive, where the parse
    hides it from _cataphora (the subject hangs under an auxiliary, or the phrase under a
    noun): "After her active career, Anna Berg has among other things worked as a coach";
    "Against her father's wishes, young Virginie (Brigitte Bardot) marries a dentist".

    The sentence opens with a preposition or a subordinating word, the possessive comes before
    the phrase's first comma (or, without one, its noun ends the phrase), and a name that is a
    subject opens at most two words after; that name's entity, when it fits. `starts` maps each
    name's first token to (name, entity)."""
    doc = token.doc  # the sentence's bounds and words from the views: no Span or Token objects
    start, end = sentence_bounds(doc, token.i)
    if token.dep_ != "poss" or doc_tokens(doc)[start].pos_ not in ("ADP", "SCONJ"):
        return None
    words = doc_words(doc)
    if "," in words[start : token.i]:
        return None  # "On February 10, 2008, her ...": the pronoun is past the opening phrase
    comma = next((i for i in range(token.i + 1, end) if words[i] == ","), None)
    after = (comma + 1) if comma is not None else token.head.i + 1
    for i in range(after, min(after + 3, end)):
        if i in starts:
            name, entity = starts[i]
            subject = Span(token.doc, name.start, name.end).root.dep_ in SUBJECT_DEPS
            return entity if subject and _fits(entities[entity], token.lower_) else None
    return None


def _coordinated(token: Token, ahead: dict[int, int]) -> set[int]:
    """The entities named in coordination with a pronoun, which it cannot refer to: "When Berman
    and Croce took office, she and Berman became the first pair" is Croce, not Berman.

    `ahead` maps each name's head token to its entity."""
    if token.dep_ == "conj":
        conjuncts = [token.head, *(c for c in token.head.children if c.dep_ == "conj" and c.i != token.i)]
    else:
        conjuncts = [c for c in token.children if c.dep_ == "conj"]
        conjuncts += [g for c in conjuncts for g in c.children if g.dep_ == "conj"]
    return {ahead[t.i] for t in conjuncts if t.i in ahead}


def _predicated_subjects(token: Token, heads: dict[int, int]) -> set[int]:
    """The entities a possessive cannot refer to because it sits in what is said of them:
    "Tey was not her mother", "Patitz had been one of her favourite models", "Edith was
    appointed her successor" (a predicate noun, `attr` or `oprd`, of the subject's verb)."""
    node = token
    while token.dep_ == "poss" and node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        if node.dep_ in PREDICATE_DEPS:
            return {heads[c.i] for c in node.head.children if c.dep_ in SUBJECT_DEPS and c.i in heads}
        node = node.head
    return set()


def _is_object_case_subject(token: Token) -> bool:
    """An object-case pronoun the parser made the subject of a clause: "Claire allows her to
    do so", "having her committed", "believing her to be dead" (a PRP "her", not "her own")."""
    return token.dep_ in SUBJECT_DEPS and token.tag_ == "PRP" and token.lower_ in OBJECT_PRONOUNS


def _governing_subjects(token: Token, heads: dict[int, int]) -> set[int]:
    """The entities an object-case subject cannot refer to: the named subject of the verb that
    lets, makes or has it do what its clause says. "Claire allows her to do so" is not Claire.
    An understood doer is not looked for: in "the catalyst Greenspan wanted to get her active"
    the one who gets her active is the catalyst, not Greenspan."""
    if not _is_object_case_subject(token) or token.head.head.i == token.head.i:
        return set()
    verb = token.head.head
    return {heads[c.i] for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i in heads}


def _understood_subjects(token: Token, heads: dict[int, int]) -> set[int]:
    """Who does what an object pronoun's clause without a subject says, and so cannot be the
    pronoun: "Aguilar challenged Turner again, defeating him" (Aguilar defeats: Turner),
    "Clarke refused to sign McCrimmon, choosing to trade him" (Clarke). After a verb with an
    object, an infinitive's doer is that object: "Edward asked Eleanor to restore her" (not
    Eleanor). Climbs through clauses without a subject ("to", "-ing", "and") to the first
    named subject or, for an infinitive, object.
    """
    if token.dep_ not in OBJECT_DEPS:
        return set()
    clause = _clause_head(token)
    while clause.dep_ in CONTROLLED_DEPS and not any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        verb = clause.head
        doers = ("dobj", "dative") if clause.dep_ == "xcomp" else ()
        objects = {heads[c.i] for c in verb.children if c.dep_ in doers and c.i in heads}
        if objects:
            return objects
        subjects = {heads[c.i] for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i in heads}
        if subjects:
            return subjects
        clause = _clause_head(verb)
    return set()


def _pronoun_word(token: Token) -> str | None:
    if token.lower not in PRONOUN_IDS:  # an integer test before any string is made
        return None
    word = token.lower_
    if token.pos_ != "PRON" and token.tag_ not in ("PRP", "PRP$"):
        return None
    return word


def _description_entity(token: Token, seen: list[_Seen], entities: list[ArticleEntity]) -> int | None:
    """The entity a definite description ("the prime minister", "the company") refers to."""
    head = token.lemma_.lower()
    if head in ORGANISATION_NOUNS:
        if any(c.dep_ in TITLE_DEPS for c in token.children):
            return None  # "the Canadian government", "the security firm": not the last one named
        fits = [item for item in seen if _is_organisation(entities[item.entity], head)]
        return _organisation_in_focus(token, fits)
    best, words, lower = None, None, token.lower_
    for number, entity in enumerate(entities):
        if entity.label != "PERSON" or not (lower in entity.titles or head in entity.titles):
            continue
        if words is None:  # the description's words, walked once a title fits
            words = _words([t for t in token.subtree if t.i <= token.i and t.dep_ in TITLE_DEPS]) | {lower}
        if not words - {"former", "new"} <= entity.titles | {"former", "new"}:
            continue
        last = max((item.token for item in seen if item.entity == number), default=-1)
        if best is None or last > best[0]:
            best = (last, number)
    return None if best is None else best[1]


def _is_organisation(entity: ArticleEntity, head: str) -> bool:
    return entity.label == "ORG" or (head == "government" and entity.label == "GPE")


def _organisation_in_focus(token: Token, fits: list[_Seen]) -> int | None:
    """The organisation "the company" refers to: the one last named as the subject of a
    sentence's main verb, in this sentence or the one before ("Google said that Apple had
    revoked it. But the company was confident": Google); else the one last named."""
    if not fits:
        return None
    doc = token.doc
    start = sentence_bounds(doc, token.i)[0]
    previous = sentence_bounds(doc, start - 1)[0] if start > 0 else start
    for item in reversed(fits):
        if item.token < previous:
            break
        if item.subject and doc[item.head].dep_ == "ROOT":
            return item.entity
    return fits[-1].entity


def _is_description(token: Token) -> bool:
    if token.pos != NOUN or token.ent_type or token.dep_ in NOT_DESCRIPTION_DEPS:
        return False
    doc = token.doc  # the children's labels and words from arrays: no Token objects
    deps, lower = doc_array(doc, "DEP"), doc_array(doc, "LOWER")
    return any(deps[c] == DET and lower[c] in DEFINITE_DET_IDS for c in doc_children(doc)[token.i])


def _with_definite_det(doc: Doc) -> set[int]:
    """Tokens with a "the", "this" or "that" determiner among their children (the words from an array)."""
    heads, deps = doc_heads(doc), doc_array(doc, "DEP")
    found = numpy.flatnonzero(column_in(doc_column(doc, "LOWER"), DEFINITE_DET_ARRAY)).tolist()
    return {heads[i] for i in found if deps[i] == DET and heads[i] != i}


def _mention_candidates(doc: Doc, starts: Collection[int]) -> set[int]:
    """Tokens that may open a mention: a name's start, a pronoun, a noun (read from arrays)."""
    pos, lower = doc_column(doc, "POS"), doc_column(doc, "LOWER")
    found = numpy.flatnonzero((pos == NOUN) | column_in(lower, PRONOUN_ARRAY))
    return set(found.tolist()) | set(starts)


def build_coref(doc: Doc, *, people: Sequence[Span] = ()) -> Coref:
    """Link every name, definite description and pronoun of `doc` into entities.

    `people` are spans known to name people (GAP's candidate names), taken over the model's.
    """
    tokens = doc_tokens(doc)  # one Token object per position, not one per doc[i]
    names = _names(doc, tokens, people)
    # a name's syntactic head ("Mary of York": Mary) gives its role and its clause
    name_roots = [Span(doc, name.start, name.end).root for name in names]  # Span(): no slice parsing
    spouses = frozenset(
        n.text for n, root in zip(names, name_roots, strict=True) if n.label == "PERSON" and _is_spouse(root)
    )
    entities, owners = _group(names, spouses, _first_seen(names, name_roots))
    owners = _join_aliases(tokens, names, owners)
    _describe(doc, names, owners, entities)
    sentences = _sentence_index(doc)
    quoted = _quoted(doc)
    starts = {name.start: (name, owner) for name, owner in zip(names, owners, strict=True)}
    roots = {name.start: root for name, root in zip(names, name_roots, strict=True)}
    ahead = {roots[name.start].i: owner for name, owner in zip(names, owners, strict=True)}
    mentions: list[Mention] = []
    seen: list[_Seen] = []
    heads: dict[int, int] = {}  # head token of each linked mention -> its entity
    candidates = _mention_candidates(doc, starts)
    definite = _with_definite_det(doc)  # most nouns have no "the": no walk over their children
    resume = 0  # the token after the last mention looked at: a name's other words are not
    for i in sorted(candidates):  # elsewhere no name, pronoun or noun: nothing to link
        if i < resume:
            continue
        if i >= len(tokens):
            break
        token = tokens[i]
        entity, end, kind = None, i + 1, "name"
        if i in starts:
            name, entity = starts[i]
            end = name.end
            head = roots[i]
            appos_of = head.head if head.dep_ == "appos" else None
            token = head
        elif (word := _pronoun_word(token)) is not None:
            kind, appos_of = "pronoun", None
            if token.dep_ == "poss":
                entity = _local_antecedent(token, heads, entities)
            elif token.dep_ in SUBJECT_DEPS and not _is_object_case_subject(token):
                entity = _reported_speaker(token, heads, entities)
                if entity is None:
                    entity = _local_antecedent(token, heads, entities)
            if entity is None:
                entity = _cataphora(token, ahead, entities)
            if entity is None:
                entity = _fronted_phrase_name(token, starts, entities)
            if entity is None:
                excluded = (
                    _coordinated(token, ahead) | _predicated_subjects(token, heads) | _understood_subjects(token, heads)
                )
                excluded |= _governing_subjects(token, heads)
                entity = _antecedent(token, seen, entities, sentences[i], quoted[i], excluded)
            gendered = word in PERSON_PRONOUNS_F or word in PERSON_PRONOUNS_M
            if entity is not None and gendered and entities[entity].gender is None:
                entities[entity].gender = "f" if word in PERSON_PRONOUNS_F else "m"
        elif i in definite and _is_description(token):
            kind, appos_of = "description", None
            entity = _description_entity(token, seen, entities)
        if entity is not None:
            mentions.append(Mention(i, end, kind, entity))
            subject = token.dep_ in SUBJECT_DEPS or (appos_of is not None and appos_of.dep_ in SUBJECT_DEPS)
            head_of = _clause_head_index(doc, token.i)
            seen.append(_Seen(token.i, sentences[token.i], entity, subject, quoted[token.i], head_of))
            heads[token.i] = entity
            if appos_of is not None:
                heads.setdefault(appos_of.i, entity)  # "Margaret's daughter, Margaret Crichton, had"
        resume = end
    by_token = {t: number for number, m in enumerate(mentions) for t in range(m.start, m.end)}
    return Coref(entities, mentions, by_token)
