"""Canonical entities: grouping mentions, repairing place labels, salience."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from stream.models import Span
from stream.nlp.entities import Mention, entity_label, extract_entities, lead_end, repair_label, salience
from stream.nlp.gazetteer import Gazetteer, load_gazetteer
from stream.nlp.names import build_name_table

from ..conftest import ROOT

NO_PLACES = Gazetteer(names={}, alternates={}, codes={})


def entities(nlp: Language, text: str, **options: object) -> list[tuple[str, str, int]]:
    return [(e.name, e.label, e.count) for e in extract_entities(nlp(text), **options)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Berg arrived late. Berg said the talks had failed.", [("Anna Berg", "PERSON", 2)]),
        ("Russia sent troops. Russian officials denied it.", [("Russia", "GPE", 1), ("Russian", "NORP", 1)]),
        ("Andrew Jackson won. Jackson said he was glad.", [("Andrew Jackson", "PERSON", 2)]),
        ("Michael Jordan visited Jordan.", [("Michael Jordan", "PERSON", 1), ("Jordan", "GPE", 1)]),
    ],
)
def test_mentions_group_by_canonical_name(nlp: Language, text: str, expected: list[tuple[str, str, int]]) -> None:
    assert entities(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # The model's PERSON / ORG / NORP on a known place, in a place's context.
        ("The army shelled the city of Palmyra overnight.", "Palmyra", "GPE"),
        ("Fighting continued in Latakia and Tartus.", "Tartus", "GPE"),
        # Not a known place, but right before a facility noun.
        ("Troops left the Hmeymim airbase on Monday.", "Hmeymim", "FAC"),
        ("Jets took off from the Incirlik air base.", "Incirlik", "FAC"),
        # Surnames and companies that are also city names keep the model's label.
        ("Jackson said the vote was fair.", "Jackson", "PERSON"),
        ("In Jackson's view, the deal is dead.", "Jackson", "PERSON"),
        ("Florence said the plan would work.", "Florence", "ORG"),
        ("Toyota reported higher profits.", "Toyota", "ORG"),
        ("Nokia said sales rose.", "Nokia", "ORG"),
        # Names nobody knows keep the model's label.
        ("Zorblat said the talks failed.", "Zorblat", "ORG"),
    ],
)
def test_label_repair(nlp: Language, text: str, name: str, label: str) -> None:
    found = {e.name: e.label for e in extract_entities(nlp(text))}
    assert found[name] == label


def hand_doc(nlp: Language, words: list[str], heads: list[int], deps: list[str], ents: list[str]) -> Doc:
    """A parse that does not depend on the model: the rule alone decides."""
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, ents=ents)


@pytest.mark.parametrize(
    ("words", "heads", "deps", "ents", "label"),
    [
        # "Protesters gathered in Jackson." -> the city
        (
            ["Protesters", "gathered", "in", "Jackson", "."],
            [1, 1, 1, 2, 1],
            ["nsubj", "ROOT", "prep", "pobj", "punct"],
            ["O", "O", "O", "B-PERSON", "O"],
            "GPE",
        ),
        # "A letter from Jackson arrived." -> "from" takes people too: left alone
        (
            ["A", "letter", "from", "Jackson", "arrived", "."],
            [1, 4, 1, 2, 4, 4],
            ["det", "nsubj", "prep", "pobj", "ROOT", "punct"],
            ["O", "O", "O", "B-PERSON", "O", "O"],
            "PERSON",
        ),
        # "Jackson said it rained." -> a speaker
        (
            ["Jackson", "said", "it", "rained", "."],
            [1, 1, 3, 1, 1],
            ["nsubj", "ROOT", "nsubj", "ccomp", "punct"],
            ["B-PERSON", "O", "O", "O", "O"],
            "PERSON",
        ),
        # "Rain fell on the town of Reading." -> the town
        (
            ["Rain", "fell", "on", "the", "town", "of", "Reading", "."],
            [1, 1, 1, 4, 2, 4, 5, 1],
            ["nsubj", "ROOT", "prep", "det", "pobj", "prep", "pobj", "punct"],
            ["O", "O", "O", "O", "O", "O", "B-PERSON", "O"],
            "GPE",
        ),
    ],
)
def test_person_becomes_a_place_only_in_a_place_context(
    nlp: Language, words: list[str], heads: list[int], deps: list[str], ents: list[str], label: str
) -> None:
    doc = hand_doc(nlp, words, heads, deps, ents)
    [ent] = doc.ents
    assert repair_label(ent, table=build_name_table(doc), gazetteer=load_gazetteer())[0] == label
    # Without a gazetteer entry the same context changes nothing.
    assert repair_label(ent, table=build_name_table(doc), gazetteer=NO_PLACES) == ("PERSON", False)


def seed_bodies() -> list[str]:
    import orjson

    bodies = []
    for path in sorted((ROOT / "seeds").glob("*.json")):
        record = orjson.loads(path.read_bytes())
        bodies.extend(r["body"] for r in (record if isinstance(record, list) else [record]))
    return bodies


def test_without_a_gazetteer_entry_no_mention_becomes_a_place(nlp: Language) -> None:
    places = load_gazetteer()
    checked = 0
    for doc in nlp.pipe(seed_bodies()):
        table = build_name_table(doc)
        for ent in doc.ents:
            label, repaired = repair_label(ent, table=table, gazetteer=places)
            if places.lookup(ent.text.removeprefix("the ")) is None:
                # Only organisation, person or facility evidence changes such a label.
                assert label == ent.label_ or label in {"ORG", "PERSON", "FAC"}, ent.text
                checked += 1
    assert checked > 50


def test_without_a_gazetteer_no_place_is_made_or_located(nlp: Language) -> None:
    for doc in nlp.pipe(seed_bodies()):
        model = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for entity in extract_entities(doc, gazetteer=NO_PLACES):
            assert entity.geonames_id is None
            if entity.label in {"GPE", "LOC"}:
                overlapping = {label for a, b, label in model for m in entity.mentions if a < m.end and m.start < b}
                assert entity.label in overlapping, entity.name


def test_places_get_geonames_ids_and_others_do_not(nlp: Language) -> None:
    found = {e.name: e for e in extract_entities(nlp("Anna Berg of Reuters flew from Oslo to Chile."))}
    assert (found["Oslo"].country_code, found["Chile"].country_code) == ("NO", "CL")
    assert found["Oslo"].geonames_id == 3143244
    assert found["Anna Berg"].geonames_id is None and found["Anna Berg"].country_code is None


def test_salience_weights() -> None:
    from stream.models import Span

    once, twice = [Span("Oslo", 0, 4)], [Span("Oslo", 0, 4), Span("Oslo", 50, 54)]
    assert salience("Oslo", twice, headline="Storm hits OSLO", lead_end=10, most=2) == 1.0
    assert salience("Oslo", once, headline="Storm hits Oslofjord", lead_end=10, most=2) == 0.4
    assert salience("Oslo", [Span("Oslo", 50, 54)], headline=None, lead_end=10, most=4) == 0.1


def test_headline_match_uses_the_mentions_too(nlp: Language) -> None:
    text = "Anna Berg arrived late. Berg said the talks had failed."
    [berg] = extract_entities(nlp(text), headline="Berg quits")
    assert (berg.name, berg.salience) == ("Anna Berg", 1.0)


@pytest.mark.parametrize(("text", "end"), [("Lead line.\nBody.", 10), ("\n\nLead.\nBody", 7), ("One. Two.", 4)])
def test_lead_is_the_first_paragraph_or_sentence(nlp: Language, text: str, end: int) -> None:
    assert lead_end(nlp(text)) == end


def test_empty_and_entity_free_text(nlp: Language) -> None:
    assert extract_entities(nlp("")) == []
    assert extract_entities(nlp("it rained and then it stopped")) == []


def _mentions(*labels: str, repaired: int = -1) -> list[Mention]:
    return [Mention(Span("x", 0, 1), label, number == repaired) for number, label in enumerate(labels)]


@pytest.mark.parametrize(
    ("labels", "repaired", "expected"),
    [
        (["ORG"], -1, "ORG"),
        (["GPE", "GPE", "GPE"], -1, "GPE"),
        (["PERSON", "ORG", "ORG"], -1, "ORG"),
        (["ORG", "PERSON"], -1, "ORG"),  # a tie: the earliest
        (["NORP", "NORP", "FAC"], -1, "FAC"),  # with a facility, nationality does not vote
        (["ORG", "ORG", "PERSON"], 2, "PERSON"),  # a repaired label decides
    ],
)
def test_entity_label_is_the_repaired_or_most_common_label(labels, repaired, expected):
    assert entity_label(_mentions(*labels, repaired=repaired)) == expected
