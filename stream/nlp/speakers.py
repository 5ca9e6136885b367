"""Turn a speaker span into a Speaker: name, role and entity label kept apart.

"Kremlin spokesman, Dmitry Peskov" -> name "Dmitry Peskov", role "Kremlin spokesman";
"Russia's state TV channel, Rossiya-24" -> name "Rossiya-24", role "state TV channel";
"A Russian officer at the airbase" -> no name (never invented); "he", "the prime
minister" and "the union's release" -> whom the article's mention model (coref.py)
links them to; "Stella's owners Tore Sohlberg and Lehla Abreder" -> both names.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from stream.models import Speaker
from stream.nlp.coref import SUBJECT_DEPS, ArticleEntity, Coref, is_title, name_text
from stream.nlp.lexicon import (
    AFFILIATION_PREPOSITIONS,
    DESCRIPTION_BACK_SENTENCES,
    ORGANISATION_NOUNS,
    STATEMENT_NOUNS,
)
from stream.nlp.views import doc_words, span_text

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
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


def _entities_in(span: Span) -> list[Span]:
    """The entities wholly inside `span` (what Span.ents gives), found from IOB tags:
    Span.ents builds every entity of the doc first."""
    doc = span.doc
    found = []
    i = span.start
    while i < span.end:
        token = doc[i]
        if token.ent_iob_ != "B":
            i += 1
            continue
        end = i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        if end <= span.end:
            found.append(Span(doc, i, end, label=token.ent_type_))
        i = end
    return found


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
    for ent in _entities_in(span):
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
CLAUSE_DEPS = frozenset({"prep", "pobj", "relcl", "acl", "advcl", "poss"})
AFFILIATION_DEPS = frozenset({"compound", "poss", "pobj", "prep", "appos", "nmod"})


def _conjoined(head: Token) -> frozenset[int]:
    """Tokens of the names conjoined to `head` ("and Lehla Abreder"), kept out of a role."""
    return frozenset(t.i for conj in head.conjuncts for t in conj.subtree)


def _role_text(span: Span, name_first: int, name_last: int, *, skip: frozenset[int] = frozenset()) -> str | None:
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
        and t.i not in skip
        and t.dep_ not in ROLE_DROP_DEPS
        and not (t.is_punct or t.is_space)
        and (t.i == span.root.i or t.dep_ in ROLE_DEPS)
        and not _inside_modifier(t, span.root)
    ]
    if not keep or not any(t.pos_ in ("NOUN", "PROPN") for t in keep):
        return None
    first, last = keep[0].i, keep[-1].i
    if last - first + 1 != len(keep):
        return " ".join(t.text for t in keep)
    return doc[first : last + 1].text


def _inside_modifier(token: Token, root: Token) -> bool:
    """True when `token` hangs under a clause or prepositional phrase of `root`."""
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ in CLAUSE_DEPS:
            return True
        token = token.head
    return False


def _affiliation(span: Span, coref: Coref, name_range: tuple[int, int] | None) -> str | None:
    """The organisation a speaker speaks for: "a Freedom Mobile spokesperson", "economist at X"."""
    for ent in _entities_in(span):
        if ent.label_ != "ORG" or (name_range is not None and name_range[0] <= ent.start <= name_range[1]):
            continue
        token = ent.root
        while token.i != span.root.i and token.dep_ in AFFILIATION_DEPS and span.start <= token.head.i < span.end:
            if token.dep_ == "pobj" and token.head.lower_ not in AFFILIATION_PREPOSITIONS:
                break
            token = token.head
        if token.i == span.root.i:
            entity = coref.entity_at(ent.root.i)
            return entity.name if entity is not None else name_text(ent.text) or None
    root = span.root
    if root.pos_ == "NOUN" and name_range is None:
        # "A Freedom Mobile spokesperson": an untagged proper-noun compound names the employer
        chain = [t for t in root.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < root.i]
        if chain:
            first = min(t.left_edge.i for t in chain)
            return name_text(span.doc[first : root.i].text) or None
    return None


def _author(span: Span) -> Token | None:
    """Who wrote a statement: "the union's release", "a statement from the EU"."""
    root = span.root
    if root.lemma_.lower() not in STATEMENT_NOUNS:
        return None
    for child in root.children:
        if child.dep_ in ("poss", "compound") and (child.ent_type_ or child.pos_ in ("NOUN", "PRON")):
            return child
    for token in root.subtree:
        if token.dep_ == "pobj" and token.head.lower_ in ("by", "from") and span.start <= token.i < span.end:
            return token
    return None


def _from_entity(
    base: Speaker, entity: ArticleEntity, *, role: str | None = None, affiliation: str | None = None
) -> Speaker:
    return _resolved(base, name=entity.name, entity=entity.label, role=role, affiliation=affiliation)


def _resolved(
    base: Speaker,
    *,
    name: str | None = None,
    role: str | None = None,
    entity: str | None = None,
    affiliation: str | None = None,
    names: tuple[str, ...] = (),
) -> Speaker:
    """The speaker as written (`base`: text and offsets) with what it resolves to, made in one go:
    a frozen record's replace() costs a field walk and a new record per call."""
    return Speaker(base.text, base.start, base.end, name, role, entity, affiliation, names)


def _joint_names(doc: Doc, name_last: int, coref: Coref) -> tuple[str, ...]:
    """Every name of a joint speaker: the name and the names conjoined to it."""
    head = doc[name_last]
    names = []
    for token in [head, *(t for t in head.conjuncts if t.i > head.i)]:
        entity = coref.entity_at(token.i)
        if entity is not None and entity.label == "PERSON" and entity.name not in names:
            names.append(entity.name)
    return tuple(names) if len(names) > 1 else ()


def _is_section_label(span: Span) -> bool:
    """An upper-case heading taken for a speaker ("ANALYSIS", "FED TALK", "WATCH"): it names no one.

    A lone upper-case word of up to four letters is taken for an acronym ("CNBC", "NATO").
    """
    words = [w for w in doc_words(span.doc)[span.start : span.end] if any(ch.isalpha() for ch in w)]
    if not words or not all(w.isupper() for w in words):
        return False
    return len(words) > 1 or len(words[0]) > 4


def resolve_speaker(doc: Doc, first: int, last: int, *, coref: Coref) -> Speaker:
    """Build the Speaker for tokens first..last (inclusive) of `doc`, resolved through `coref`."""
    span = Span(doc, first, last + 1)
    base = Speaker(text=span_text(span), start=span.start_char, end=span.end_char)
    root = span.root
    if _is_section_label(span):
        return base
    if root.lower_ in RELATIVE_PRONOUNS and root.head.dep_ in ("relcl", "acl") and root.head.head.i < root.i:
        # "..., who said": the antecedent names the speaker.
        antecedent = root.head.head
        return _named(doc[antecedent.left_edge.i : antecedent.i + 1], base, coref)
    if root.pos_ == "PRON" and len(span) <= 2:
        entity = coref.entity_at(root.i)
        if entity is None:
            return base
        return _from_entity(base, entity, role=entity.title_text if entity.label == "PERSON" else None)
    author = _author(span)
    if author is not None:
        entity = coref.entity_at(author.i)
        if entity is not None:
            return _from_entity(base, entity)
        return _named(doc[author.left_edge.i : author.right_edge.i + 1], base, coref)
    if _is_bare_statement(root):
        # "The statement said": the organisation last named issued it
        entity = coref.last_named(root.i, label="ORG")
        if entity is not None:
            return _from_entity(base, entity)
    return _named(span, base, coref)


def _is_bare_statement(root: Token) -> bool:
    """ "The statement", with no author of its own."""
    if root.lemma_.lower() not in STATEMENT_NOUNS:
        return False
    return [c.lower_ for c in root.children if c.dep_ not in ("punct",)] == ["the"]


# Children that make a description say who it is ("the lawyer for the society", "the man who ..."),
# and names of a place or body whose office it is ("the Indiana governor").
INTRODUCING_DEPS = frozenset({"prep", "relcl", "acl", "poss", "appos", "nummod"})
OFFICE_LABELS = frozenset({"GPE", "LOC", "ORG", "FAC"})


def _described_person(span: Span, coref: Coref) -> ArticleEntity | None:
    """The person a bare definite title stands for: "the prime minister", "the lanky professor".

    coref.py links a title someone in the article holds; a title the article never gave
    anyone refers back to the person last named as a subject, at most
    DESCRIPTION_BACK_SENTENCES back ("Trudeau made the comments. The prime minister said").
    A description that says more ("the lawyer for the society", "the Indiana governor")
    introduces someone new.
    """
    root = span.root
    if root.tag_ != "NN" or root.lower_ in ORGANISATION_NOUNS or span[0].lower_ != "the":
        return None
    if not is_title(root.lower_):
        return None
    if any(child.dep_ in INTRODUCING_DEPS or child.ent_type_ in OFFICE_LABELS for child in root.children):
        return None
    doc = span.doc
    sentence = doc[root.i].sent
    for _ in range(DESCRIPTION_BACK_SENTENCES):
        if sentence.start == 0:
            break
        sentence = doc[sentence.start - 1].sent
    for mention in reversed(coref.mentions):
        if not (sentence.start <= mention.start < span.start) or mention.kind != "name":
            continue
        entity = coref.entities[mention.entity]
        if entity.label == "PERSON" and doc[mention.end - 1].dep_ in SUBJECT_DEPS:
            return entity
    return None


def _lede_person(span: Span, coref: Coref) -> ArticleEntity | None:
    """The person a lede describes and the next sentence names: "A Superior Court judge
    chastised the station ... Justice Sean Dunphy directed it to ..." (a delayed
    identification). Only a singular description in the article's first sentence, and
    only the person the next sentence opens with as its subject."""
    root = span.root
    doc = span.doc
    if root.tag_ != "NN" or span[0].lower_ not in ("a", "an", "the"):
        return None
    sentence = root.sent
    if any(t.is_alpha for t in doc[: sentence.start]) or sentence.end >= len(doc):
        return None
    following = next((t for t in doc[sentence.end :] if not t.is_space), None)
    if following is None:
        return None
    mentions = (coref.mention_at(t.i) for t in following.sent)
    mention = next((m for m in mentions if m is not None and m.kind == "name"), None)
    if mention is None:
        return None
    head = doc[mention.start : mention.end].root
    if head.dep_ not in SUBJECT_DEPS or head.head.dep_ != "ROOT":
        return None
    entity = coref.entities[mention.entity]
    return entity if entity.label == "PERSON" else None


def _named(span: Span, base: Speaker, coref: Coref) -> Speaker:
    doc = span.doc
    found = _name_tokens(span)
    if found is None:
        affiliation = _affiliation(span, coref, None)
        root = span.root
        entity = coref.entity_at(root.i)
        if entity is None and root.dep_ == "appos":
            entity = coref.entity_at(root.head.i)  # "Nunes, the ferocious brawler who ...": Nunes
        if entity is None:
            entity = _described_person(span, coref)
        if entity is None:
            entity = _lede_person(span, coref)
        if entity is not None:
            return _from_entity(base, entity, role=_role_text(span, -1, -1), affiliation=affiliation)
        return _resolved(base, role=_role_text(span, -1, -1) if affiliation else None, affiliation=affiliation)
    name_first, name_last, label = found
    mention = coref.mention_at(name_last)
    if mention is not None and mention.kind == "name" and mention.start >= span.start:
        name_first = mention.start  # the title split off the name stays in the role
    entity = coref.entity_at(name_last)
    name = entity.name if entity is not None else name_text(doc[name_first : name_last + 1].text) or None
    if entity is not None:
        label = entity.label
    names = _joint_names(doc, name_last, coref)
    role = _role_text(span, name_first, name_last, skip=_conjoined(doc[name_last]) if names else frozenset())
    affiliation = _affiliation(span, coref, (name_first, name_last))
    return _resolved(base, name=name, role=role, entity=label, affiliation=affiliation, names=names)
