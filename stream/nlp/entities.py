"""Canonical entities: the model's mentions grouped by name, labels repaired, places located.

Four steps over one Doc, each a small function:

1. `mention_spans(doc)`: the model's mentions with their edges cleaned (a leading
   "the", trailing numbers, spaces and dashes; "CRICKET - SRI LANKA" and "The Oval,
   London" cut in two), plus the place of a dateline ("HAMBURG, Jan 14 - ").
2. `repair_label(ent, ...)`: organisation evidence ("SC Rijnmond", "Safiri Mobility
   Ltd", the short form "Safiri" of an organisation the article names) makes an ORG;
   person evidence (a known first name and capitalised words) makes a PERSON; a
   mention whose text the gazetteer knows becomes GPE (LOC for a continent) when its
   context says it is a place; a proper name the gazetteer does not know, written
   right before a facility noun ("Incirlik air base"), is a FAC mention.
3. Group mentions by canonical name (the article's name table: "Peskov" is
   "Dmitry Peskov"; an organisation's short form is its full name; acronyms the text
   defines and common short forms are their long form, see aliases.py; places and
   nationalities are never merged, so "Russia" and "Russian" stay apart). The
   entity's label is the first repaired label among its mentions, else the label
   most of them carry (a FAC mention only votes).
4. Score salience (named things only) and attach GeoNames ids to places.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from stream.models import Entity, Span
from stream.nlp.aliases import defined_acronyms, expand
from stream.nlp.datelines import dateline_places
from stream.nlp.evidence import ORG_WORDS, has_org_evidence, has_person_evidence, is_legal_form
from stream.nlp.first_names import is_first_name
from stream.nlp.gazetteer import Gazetteer, Place, load_gazetteer
from stream.nlp.names import NameTable, build_name_table, clean_name
from stream.nlp.results import team_names
from stream.nlp.views import doc_ents, doc_text, doc_tokens, doc_words, span_text

# Labels a newsroom tags with; numbers, ordinals and percentages are noise here.
DEFAULT_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"}
)
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Labels the small model confuses with each other; the others (DATE "March", PRODUCT ...) are left alone.
REPAIRABLE_LABELS = frozenset({"PERSON", "ORG", "NORP", "FAC", "LOC", "GPE"})
# Labels of names: their mentions lose trailing numbers ("Kent 108-3") and get salience.
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
# Dates, times and numbers keep their mentions but are not ranked: salience is None.
DASHES = frozenset({"—", "–", "-", "--"})
TRAILING_PUNCT = DASHES | {",", ";", ":"}
UNRANKED_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Nouns that make the subject of "said in a statement" a company: "Safiri, a ride-hailing company".
COMPANY_NOUNS = frozenset(
    {"company", "firm", "maker", "group", "operator", "carrier", "bank", "lender", "insurer", "retailer", "startup"}
)

# A place name is the object of these: "in Mobile", "near Reading". Not "from", "to",
# "at", "with" or "by", which take people as often ("a letter from Jackson").
LOCATIVE_PREPOSITIONS = frozenset({"in", "near", "outside", "around", "across", "throughout", "inside", "within"})
# "the city of Palmyra", "Latakia province"
PLACE_NOUNS = frozenset(
    {
        "city",
        "town",
        "village",
        "capital",
        "port",
        "province",
        "region",
        "district",
        "county",
        "state",
        "governorate",
        "suburb",
        "suburbs",
        "outskirts",
        "municipality",
        "island",
        "country",
    }
)
# "Hmeymim airbase", "the Incirlik air base", "Mosul dam"
FACILITY_NOUNS = frozenset(
    {"airbase", "airport", "airfield", "base", "bridge", "dam", "stadium", "arena", "prison", "barracks", "refinery"}
)
SPEECH_VERBS = frozenset({"say", "tell", "add", "state", "announce", "claim", "insist", "deny", "argue", "write"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
THE = get_string_id("the")

# Salience = HEADLINE_WEIGHT * (named in the headline) + LEAD_WEIGHT * (named in the lead
# paragraph) + FREQUENCY_WEIGHT * (mentions / mentions of the article's most-named entity).
HEADLINE_WEIGHT = 0.4
LEAD_WEIGHT = 0.2
FREQUENCY_WEIGHT = 0.4


# Not frozen: made per mention, and a frozen dataclass's __init__ costs several times more. Never changed once made.
@dataclass(slots=True)
class Mention:
    """One mention after label repair; `repaired` labels set the entity's label, others only vote."""

    span: Span
    label: str
    repaired: bool
    dateline: bool = False


def extract_entities(
    doc: Doc,
    *,
    headline: str | None = None,
    labels: frozenset[str] = DEFAULT_LABELS,
    gazetteer: Gazetteer | None = None,
) -> list[Entity]:
    """Canonical entities with the given labels, in order of first mention, each with its mentions."""
    places = gazetteer or load_gazetteer()
    text = doc_text(doc)
    groups, names = group_mentions(doc, text=text, labels=labels, gazetteer=places)
    if not groups:
        return []
    lead = lead_end(doc, text=text)
    labelled = {key: entity_label(mentions) for key, mentions in groups.items()}
    _join_first_names(groups, names, labelled)
    most = max((len(groups[key]) for key in groups if labelled[key] not in UNRANKED_LABELS), default=0)
    entities = []
    for key, mentions in groups.items():
        label, name = labelled[key], names[key]
        mentions.sort(key=lambda m: m.span.start)
        place = locate(name, mentions, label=label, gazetteer=places)
        spans = [m.span for m in mentions]
        rank = None
        if label not in UNRANKED_LABELS:
            leading = [m.span for m in mentions if not m.dateline]
            rank = salience(name, spans, headline=headline, lead_end=lead, most=most, lead_mentions=leading)
        entities.append(
            Entity(
                name=name,
                label=label,
                mentions=spans,
                count=len(spans),
                first=spans[0].start,
                salience=rank,
                geonames_id=place.geonames_id if place else None,
                country_code=place.country_code if place else None,
            )
        )
    entities.sort(key=lambda e: e.first)
    return entities


def group_mentions(
    doc: Doc, *, text: str, labels: frozenset[str], gazetteer: Gazetteer
) -> tuple[dict[str, list[Mention]], dict[str, str]]:
    """Mentions grouped by canonical name (without regard to case), and each group's name."""
    table = build_name_table(doc)
    defined = defined_acronyms(text)
    ents = doc_ents(doc)
    alone = {span_text(ent) for ent in ents if ent.label_ == "PERSON" and len(ent) == 1}
    orgs = org_short_forms(ents, first_names=alone)
    groups: dict[str, list[Mention]] = {}
    names: dict[str, str] = {}
    datelines = dateline_spans(doc, gazetteer, text=text) if "GPE" in labels else []
    for span in datelines:
        mention = Mention(Span(span.text, span.start_char, span.end_char), "GPE", True, dateline=True)
        _add(groups, names, span.text.title(), mention)
    teams = team_spans(doc, text=text) if "ORG" in labels else []
    for span in teams:
        name = canonical_name(span.text, label="ORG", table=table, orgs=orgs, defined=defined)
        _add(groups, names, name, Mention(Span(span.text, span.start_char, span.end_char), "ORG", True))
    taken = {i for span in (*datelines, *teams) for i in range(span.start, span.end)}
    for ent in mention_spans(doc, ents):
        if ent.label_ not in labels and ent.label_ not in REPAIRABLE_LABELS:
            continue
        if taken.intersection(range(ent.start, ent.end)):
            continue
        label, repaired = repair_label(ent, table=table, gazetteer=gazetteer, orgs=orgs, first_names=alone)
        if label not in labels:
            continue
        text = span_text(ent)
        name = canonical_name(text, label=label, table=table, orgs=orgs, defined=defined)
        if name and any(ch.isalnum() for ch in name):
            _add(groups, names, name, Mention(Span(text, ent.start_char, ent.end_char), label, repaired))
    return groups, names


def _join_first_names(groups: dict[str, list[Mention]], names: dict[str, str], labelled: dict[str, str]) -> None:
    """A person named by a first name alone ("Davi") joins the one fuller person it starts ("Davi Rezende Marinho")."""
    people = [key for key, label in labelled.items() if label == "PERSON"]
    for key in people:
        if " " in key:
            continue
        owners = [other for other in people if other.startswith(key + " ")]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))
            del names[key], labelled[key]


def _add(groups: dict[str, list[Mention]], names: dict[str, str], name: str, mention: Mention) -> None:
    """Group by name without regard to case ("HAMBURG" is "Hamburg"), named by a form not all in capitals."""
    key = name.casefold()
    groups.setdefault(key, []).append(mention)
    if key not in names or (names[key].isupper() and not name.isupper()):
        names[key] = name


def canonical_name(text: str, *, label: str, table: NameTable, orgs: dict[str, str], defined: dict[str, str]) -> str:
    """The name a mention's entity goes by: fullest person name, organisation full name, or long form."""
    name = table.canonical_text(text, label=label)
    if label == "ORG":
        name = orgs.get(name, name)
    return name if label == "PERSON" else expand(name, defined)


def dateline_spans(doc: Doc, gazetteer: Gazetteer, *, text: str) -> list[SpacySpan]:
    """The places of the article's datelines that the gazetteer knows, whatever their case."""
    spans = []
    for start, end in dateline_places(text):
        span = doc.char_span(start, end, label="GPE")
        if span is not None and gazetteer.lookup(span.text, any_case=True) is not None:
            spans.append(span)
    return spans


def team_spans(doc: Doc, *, text: str) -> list[SpacySpan]:
    """The teams of the article's results and standings lines, except names with a known first name."""
    spans = []
    for start, end in team_names(text):
        span = doc.char_span(start, end, label="ORG")
        if span is not None and not has_person_evidence(span.text.split()):
            spans.append(span)
    return spans


def mention_spans(doc: Doc, ents: Iterable[SpacySpan]) -> list[SpacySpan]:
    """The model's mentions, edges cleaned: no leading "the", no trailing numbers, spaces or dashes;
    a mention running over a spaced dash ("CRICKET - SRI LANKA"), and a place or facility over a comma
    ("The Oval, London"), is cut in two."""
    spans = []
    for ent in ents:
        for start, end in _parts(ent):
            start, end = _trim(doc, start, end, label=ent.label_)
            if start == ent.start and end == ent.end:
                spans.append(ent)  # most mentions: clean already, no new Span
            elif start < end:
                spans.append(SpacySpan(doc, start, end, label=ent.label_))
    return spans


def _parts(ent: SpacySpan) -> list[tuple[int, int]]:
    """Token ranges of a mention cut at a spaced dash, and a place's or facility's at a comma."""
    text = span_text(ent)
    if ent.label_ not in NAME_LABELS or not (" - " in text or " — " in text or " – " in text or "," in text):
        return [(ent.start, ent.end)]  # most mentions: no token walk
    cuts = [
        t.i
        for t in ent[1:-1]
        if (t.text in DASHES and t.whitespace_ and t.doc[t.i - 1].whitespace_)
        or (t.text == "," and ent.label_ in ("FAC", "GPE", "LOC"))
    ]
    bounds = [ent.start, *(c for c in cuts), ent.end]
    return [(a + (1 if a in cuts else 0), b) for a, b in zip(bounds, bounds[1:], strict=False)]


def _trim(doc: Doc, start: int, end: int, *, label: str) -> tuple[int, int]:
    tokens, words = doc_tokens(doc), doc_words(doc)  # word ids and the word list: no string per test
    while start < end:
        first = tokens[start]
        if not (first.is_space or first.is_punct or first.lower == THE):
            break
        start += 1
    while start < end:
        last = tokens[end - 1]
        if not (
            last.is_space
            or words[end - 1] in TRAILING_PUNCT
            or (label in NAME_LABELS and end - 1 > start and last.like_num)
        ):
            break
        end -= 1
    return start, end


def org_short_forms(ents: Iterable[SpacySpan], *, first_names: Collection[str] = ()) -> dict[str, str]:
    """Short form -> full name of the organisations the article names: "Safiri" for "Safiri Mobility Ltd",
    "Rijnmond" for "SC Rijnmond". A short form two organisations share is left out."""
    forms: dict[str, set[str]] = {}
    for ent in ents:
        name = _clean(span_text(ent))
        words = name.split()
        if len(words) < 2 or not (ent.label_ == "ORG" or has_org_evidence(words)):
            continue
        if has_person_evidence(words, first_names=first_names):
            continue  # "Davi Rezende Marinho", labelled ORG, is the person "Davi" of the article
        core = [w for w in words if w.strip(".,") not in ORG_WORDS and not is_legal_form(w)]
        shorts = {" ".join(core)} if 0 < len(core) < len(words) else set()
        first = ent[1] if ent[0].lower_ == "the" and len(ent) > 1 else ent[0]
        if first.is_alpha and first.text[:1].isupper() and not first.is_stop and first.text == words[0]:
            shorts.add(words[0])
        for short in shorts:
            forms.setdefault(short, set()).add(name)
    return {short: next(iter(full)) for short, full in forms.items() if len(full) == 1}


def repair_label(
    ent: SpacySpan,
    *,
    table: NameTable,
    gazetteer: Gazetteer,
    orgs: dict[str, str] | None = None,
    first_names: Collection[str] = (),
) -> tuple[str, bool]:
    """(label, repaired): the model's label, or the one that organisation, person or place evidence calls for.

    `repaired` is False for a label the model gave and for a facility label, which only
    votes for its entity's label ("near the Hmeymim airbase" does not make every
    "Hmeymim" a facility).
    """
    label = ent.label_
    if label not in REPAIRABLE_LABELS:
        return label, False
    text = _clean(span_text(ent))
    words = text.split()
    place = gazetteer.lookup(text)
    country = place is not None and place.kind in ("country", "continent")
    if label != "ORG" and label != "NORP" and has_org_evidence(words) and not country:
        return "ORG", True
    if label == "ORG" and has_person_evidence(words, first_names=first_names) and place is None:
        return "PERSON", True
    if label != "NORP" and orgs and text in orgs and not (place is not None and label in ("GPE", "LOC", "FAC")):
        if label == "PERSON" and table.canonical_text(text, label="PERSON") != text:
            return label, False  # "Ford" of "Gerald Ford", not of "Ford Motor Co"
        return "ORG", label != "ORG"
    if label == "PERSON" and _company_statement(ent):
        return "ORG", True
    if place is None:
        return ("FAC", False) if label != "FAC" and _facility_name(ent) else (label, False)
    if label == "PERSON" and (table.canonical_text(text, label="PERSON") != text or _speaks(ent)):
        return label, False  # part of a fuller name in this article, or a speaker: a person
    if label in ("FAC", "LOC", "GPE"):
        return _place_label(place), _place_label(place) != label  # "Stavanger" is a city, not a facility
    if country and label != "PERSON":
        return _place_label(place), True  # "Russia" as ORG is the state: OntoNotes calls it GPE
    if _in_place_context(ent, gazetteer):
        return _place_label(place), True
    return label, False


# The same mention text is cleaned by several steps, and an article repeats its names.
_clean = lru_cache(maxsize=8192)(clean_name)


def _place_label(place: Place) -> str:
    return "LOC" if place.kind == "continent" else "GPE"


def _in_place_context(ent: SpacySpan, gazetteer: Gazetteer) -> bool:
    """True when the words around a mention make it a place: "in X", "city of X", "X province", "X, Syria"."""
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is not None and after.text in POSSESSIVE:
        return False  # "in Jackson's view": Jackson owns something
    token = ent.root
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head  # "in Hmeymim and Tartus"
    if token.dep_ == "pobj":
        preposition = token.head
        if preposition.lower_ in LOCATIVE_PREPOSITIONS:
            return True
        if preposition.lower_ == "of" and _lemma(preposition.head) in PLACE_NOUNS:
            return True
    if after is not None and after.lower_ in PLACE_NOUNS and ent.root.head.i == after.i:
        return True
    if after is not None and after.text == "," and ent.end + 1 < len(doc):
        following = doc[ent.end + 1]
        if following.ent_type_ == "GPE" and following.ent_iob_ == "B":
            country = gazetteer.lookup(following.text)
            return country is not None and country.kind in ("country", "region")
    return False


def _facility_name(ent: SpacySpan) -> bool:
    """True for "Hmeymim airbase", "Incirlik air base": a proper name right before a facility noun it modifies.

    Not an adjective or a nationality ("the Russian airbase") nor an organisation's
    acronym ("a NATO base").
    """
    root = ent.root
    head = root.head
    if root.dep_ not in ("compound", "nmod", "amod") or not ent.end <= head.i <= ent.end + 1:
        return False
    if not (_lemma(head) in FACILITY_NOUNS or head.lower_ in FACILITY_NOUNS):
        return False
    if ent.label_ == "ORG" and span_text(ent).isupper():
        return False
    return all(t.pos_ in ("PROPN", "PUNCT") for t in ent)  # "Russian" is an adjective


def _company_statement(ent: SpacySpan) -> bool:
    """True for the subject of "said in a statement" that the text calls a company ("Safiri, a ... firm")."""
    root = ent.root
    if root.dep_ != "nsubj" or _lemma(root.head) not in SPEECH_VERBS or is_first_name(ent[0].text):
        return False
    in_statement = any(
        child.lower_ == "in" and any(_lemma(grand) == "statement" for grand in child.children)
        for child in root.head.children
    )
    nouns = [t for t in (*root.children, root.head) if t.dep_ in ("appos", "compound") or t is root.head]
    company = any(_lemma(t) in COMPANY_NOUNS for t in nouns) or any(
        _lemma(t) in COMPANY_NOUNS for child in root.children if child.dep_ in ("appos", "relcl") for t in child.subtree
    )
    return in_statement and company


def _speaks(ent: SpacySpan) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "nsubjpass") and _lemma(root.head) in SPEECH_VERBS


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def entity_label(mentions: list[Mention]) -> str:
    """The first repaired label, else the most common one (the earliest on a tie).

    A proper name before a facility noun is no nationality: with a FAC mention, NORP
    mentions ("in Hmeymim and Tartus" read as NORP) do not vote.
    """
    for mention in mentions:
        if mention.repaired:
            return mention.label
    labels = [m.label for m in mentions]
    if "FAC" in labels:
        labels = [label for label in labels if label != "NORP"]
    if labels.count(labels[0]) == len(labels):
        return labels[0]  # most entities: one label, nothing to count
    counts = Counter(labels)
    return max(counts, key=lambda label: (counts[label], -labels.index(label)))


def locate(name: str, mentions: Iterable[Mention], *, label: str, gazetteer: Gazetteer) -> Place | None:
    """The place a GPE or LOC entity is, by its name, a mention's text, or a country code ("US")."""
    if label not in PLACE_LABELS:
        return None
    for text in (name, *(m.span.text for m in mentions)):
        place = gazetteer.lookup_code(text) or gazetteer.lookup(text)
        if place is not None:
            return place
    return None


def lead_end(doc: Doc, *, text: str | None = None) -> int:
    """Where the lead ends: the first line break after the text starts, else the end of the first
    sentence (the one after a dateline: "OSLO (Reuters) - " is a sentence of its own)."""
    text = doc_text(doc) if text is None else text
    start = len(text) - len(text.lstrip())
    newline = text.find("\n", start)
    if newline != -1:
        return newline
    if len(doc) and doc.has_annotation("SENT_START"):
        sentences = iter(doc.sents)
        first = next(sentences)
        if first[-1].text in DASHES and dateline_places(first.text):
            first = next(sentences, first)
        return first.end_char
    return len(text)


def salience(
    name: str,
    mentions: list[Span],
    *,
    headline: str | None,
    lead_end: int,
    most: int,
    lead_mentions: list[Span] | None = None,
) -> float:
    """0..1: HEADLINE_WEIGHT if the headline names it, LEAD_WEIGHT if the lead does, FREQUENCY_WEIGHT * share.

    `lead_mentions` are the mentions that can name it in the lead (a dateline does not).
    """
    in_headline = bool(headline) and any(_names(headline or "", form) for form in {name, *(m.text for m in mentions)})
    leading = mentions if lead_mentions is None else lead_mentions
    in_lead = bool(leading) and leading[0].start < lead_end
    share = len(mentions) / most if most else 0.0
    score = HEADLINE_WEIGHT * in_headline + LEAD_WEIGHT * in_lead + FREQUENCY_WEIGHT * share
    return round(min(1.0, score), 3)


def _names(text: str, form: str) -> bool:
    """True when `form` occurs in `text` as whole words, ignoring case."""
    return bool(form) and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None
