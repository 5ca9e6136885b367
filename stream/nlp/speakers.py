"""Turn a speaker span into a Speaker: name, role and entity label kept apart.

"Kremlin spokesman, Dmitry Peskov" -> name "Dmitry Peskov", role "Kremlin spokesman";
"Russia's state TV channel, Rossiya-24" -> name "Rossiya-24", role "state TV channel";
"A Russian officer at the airbase" -> no name (never invented); "he" -> the nearest
earlier named speaker that fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from stream.models import Speaker
from stream.nlp.names import NameTable, clean_name

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
PRONOUN_GENDER = {"she": "f", "her": "f", "hers": "f", "he": "m", "him": "m", "his": "m"}
FEMALE_WORDS = frozenset(
    "mrs ms miss madam madame lady woman spokeswoman chairwoman congresswoman businesswoman "
    "actress wife mother daughter sister grandmother queen princess".split()
)
MALE_WORDS = frozenset(
    "mr sir man spokesman congressman businessman husband father son brother grandfather king prince".split()
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
ROLE_DROP_DEPS = frozenset({"det", "punct", "case", "poss", "predet", "cc"})


def _entity_of(doc: Doc, token: Token) -> Span | None:
    """The entity holding `token`, found from its IOB tags (no scan over doc.ents)."""
    if not token.ent_type_:
        return None
    first = token.i
    while doc[first].ent_iob_ == "I" and first > 0:
        first -= 1
    last = token.i
    while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
        last += 1
    return Span(doc, first, last + 1, label=token.ent_type_)


def _proper_chain(token: Token) -> tuple[int, int] | None:
    """The run of proper nouns around `token` ("Rossiya-24", "Kremlin")."""
    if token.pos_ != "PROPN":
        return None
    doc = token.doc
    first = last = token.i
    while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].dep_ == "compound":
        first -= 1
    while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and doc[last].dep_ == "compound":
        last += 1
    return first, last


def _person_in_head_phrase(span: Span) -> Span | None:
    """A person named in the speaker's own phrase, not in a modifier ("a spokesman for X")."""
    untagged_title = span.root.pos_ == "PROPN" and not span.root.ent_type_
    for ent in span.ents:
        if ent.label_ != "PERSON":
            continue
        if untagged_title:
            # "Speaker of the House Rep. Paul Ryan": the parse took the title for the head.
            return ent
        token = ent.root
        while token.i != span.root.i and token.dep_ not in ("prep", "pobj", "poss", "relcl", "acl"):
            if token.head.i == token.i or not (span.start <= token.head.i < span.end):
                break
            token = token.head
        if token.i == span.root.i:
            return ent
    return None


def _name_tokens(span: Span) -> tuple[int, int, str | None] | None:
    """Token range and entity label of the name inside a speaker span."""
    root = span.root
    candidates = [root] + [c for c in root.children if c.dep_ == "appos" and c.i < span.end]
    for token in candidates:
        ent = _entity_of(span.doc, token)
        if ent is not None and ent.label_ in NAME_LABELS and ent.label_ != "NORP":
            return max(ent.start, span.start), min(ent.end, span.end) - 1, ent.label_
    person = _person_in_head_phrase(span)
    if person is not None:
        return person.start, person.end - 1, "PERSON"
    for token in candidates:
        chain = _proper_chain(token)
        if chain is not None:
            return chain[0], chain[1], token.ent_type_ or None
    if root.ent_type_ == "NORP" and root.pos_ in ("PROPN", "NOUN") and len(span) <= 2:
        return root.i, root.i, "NORP"
    return None


ROLE_DEPS = frozenset({"compound", "amod", "appos", "nmod"})


def _role_text(span: Span, name_first: int, name_last: int) -> str | None:
    """The title around a name: the head noun with its compounds, modifiers and appositions.

    Possessors ("Russia's") and clauses ("at the airbase in ...") are not part of a title.
    """
    doc = span.doc
    possessed = {t.i for t in span if t.dep_ == "poss" for t in t.subtree}
    keep = [
        t
        for t in span
        if not (name_first <= t.i <= name_last)
        and t.i not in possessed
        and t.dep_ not in ROLE_DROP_DEPS
        and not (t.is_punct or t.is_space)
        and (t.i == span.root.i or t.dep_ in ROLE_DEPS)
    ]
    if not keep or not any(t.pos_ in ("NOUN", "PROPN") for t in keep):
        return None
    first, last = keep[0].i, keep[-1].i
    if last - first + 1 != len(keep):
        return " ".join(t.text for t in keep)
    return doc[first : last + 1].text


def _gender_of(speaker: Speaker) -> str | None:
    """'f' or 'm' when the speaker's own words tell ("Mrs.", "spokeswoman"), else None."""
    words = {w.strip(".,").lower() for w in (speaker.text or "").split()}
    if words & FEMALE_WORDS:
        return "f"
    if words & MALE_WORDS:
        return "m"
    return None


def _resolve_pronoun(word: str, previous: Sequence[Speaker]) -> Speaker | None:
    """The nearest earlier named speaker a pronoun can refer to.

    "she" skips a speaker marked as a man ("Mr. Smith", "the spokesman"), "he" one
    marked as a woman; a speaker with no such mark fits both.
    """
    wanted = PRONOUN_GENDER.get(word)
    for speaker in reversed(previous):
        if speaker.name is None:
            continue
        if word in PERSON_PRONOUNS and speaker.entity in ("PERSON", None):
            gender = _gender_of(speaker)
            if gender is not None and wanted is not None and gender != wanted:
                continue
            return speaker
        if word in GROUP_PRONOUNS and speaker.entity != "PERSON":
            return speaker
    return None


def resolve_speaker(doc: Doc, first: int, last: int, *, table: NameTable, previous: Sequence[Speaker] = ()) -> Speaker:
    """Build the Speaker for tokens first..last (inclusive) of `doc`.

    `previous` holds the speakers of earlier quotes, nearest last, for pronouns.
    """
    span = doc[first : last + 1]
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    text = span.text
    root = span.root
    if root.lower_ in RELATIVE_PRONOUNS and root.head.dep_ in ("relcl", "acl") and root.head.head.i < root.i:
        # "..., who said": the antecedent names the speaker.
        antecedent = root.head.head
        found = _name_tokens(doc[antecedent.left_edge.i : antecedent.i + 1])
        if found is not None:
            raw = doc[found[0] : found[1] + 1].text
            name = table.canonical_text(raw, label=found[2]) or None
            return Speaker(text=text, start=start, end=end, name=name, entity=found[2])
        return Speaker(text=text, start=start, end=end)
    if root.pos_ == "PRON" and len(span) <= 2:
        match = _resolve_pronoun(root.lower_, previous)
        if match is None:
            return Speaker(text=text, start=start, end=end)
        return Speaker(text=text, start=start, end=end, name=match.name, role=match.role, entity=match.entity)
    found = _name_tokens(span)
    if found is None:
        return Speaker(text=text, start=start, end=end)
    name_first, name_last, label = found
    raw = doc[name_first : name_last + 1].text
    name = table.canonical_text(raw, label=label) or clean_name(raw) or None
    role = _role_text(span, name_first, name_last)
    return Speaker(text=text, start=start, end=end, name=name, role=role, entity=label)
