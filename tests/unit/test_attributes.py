"""newswire_attributes gives every token the attributes spaCy's attribute ruler gives it."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from stream.nlp import COMPONENTS, pipeline_components
from stream.nlp import attributes as attributes_module
from stream.nlp.attributes import pattern_keys, speed_up_attribute_ruler

from ..conftest import MODEL, ROOT

TEXTS = [
    "Let's see: y'all ain't gonna win, and we gotta leave, she said.",
    "\"We're not leaving,\" she told reporters, adding that the cities' mayors wouldn't either.",
    "OTTAWA — The minister's office said it'd been 24 hours.\n\n  Officials   declined.",
    "I can't, he'd've said. Open the U.N. file at 3 p.m., my friend!",
    "",
]
COLUMNS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD]


def seed_bodies() -> list[str]:
    return [json.loads(path.read_text("utf-8"))["body"] for path in sorted((ROOT / "seeds").glob("*.json"))]


def load(*, memo: bool) -> Language:
    unused = [name for name in pipeline_components(MODEL) or () if name not in COMPONENTS or name == "lemmatizer"]
    nlp = spacy.load(MODEL, exclude=unused)
    if memo:
        speed_up_attribute_ruler(nlp)
    return nlp


@pytest.fixture(scope="module")
def pair() -> tuple[Language, Language]:
    return load(memo=False), load(memo=True)


def columns(nlp: Language, texts: list[str]) -> list[tuple[list[list[int]], list[str]]]:
    return [(doc.to_array(COLUMNS).tolist(), [str(t.morph) for t in doc]) for doc in nlp.pipe(texts)]


def test_the_service_runs_newswire_attributes_in_place_of_the_attribute_ruler(nlp: Language) -> None:
    assert nlp.get_pipe_meta("attribute_ruler").factory == "newswire_attributes"


def test_every_token_gets_the_attribute_rulers_attributes(pair: tuple[Language, Language]) -> None:
    spacy_ruler, ours = pair
    texts = TEXTS + seed_bodies()
    theirs, mine = columns(spacy_ruler, texts), columns(ours, texts)
    assert mine == theirs
    doc = ours(TEXTS[0])
    assert doc[0].pos_ == "VERB" and "Number=Sing" in str(ours("minister")[0].morph)  # really set
    assert [t.lemma_ for t in doc if t.lower_ in ("gon", "na")] == ["go", "to"]  # a two-token rule


def test_attributes_stay_right_after_the_memo_starts_over(
    pair: tuple[Language, Language], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attributes_module, "MAX_MEMO", 3)
    spacy_ruler, ours = pair
    texts = TEXTS * 2
    assert columns(ours, texts) == columns(spacy_ruler, texts)


def test_a_ruler_whose_patterns_read_more_than_the_token_is_left_as_it_is() -> None:
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")  # type: ignore[assignment]
    ruler.add([[{"LOWER": "new", "OP": "?"}, {"LOWER": "york"}]], {"LEMMA": "NYC"})
    assert pattern_keys(ruler) is None
    speed_up_attribute_ruler(nlp)
    assert nlp.get_pipe_meta("attribute_ruler").factory == "attribute_ruler"


def test_an_empty_doc_passes_through(pair: tuple[Language, Language]) -> None:
    _, ours = pair
    assert numpy.array_equal(ours("").to_array([TAG]), numpy.empty((0,), dtype=numpy.uint64))


def test_two_longer_rules_on_one_token_apply_in_the_rulers_order() -> None:
    def pipeline(memo: bool) -> Language:
        nlp = spacy.blank("en")
        ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")  # type: ignore[assignment]
        ruler.add([[{"LOWER": "love"}]], {"POS": "VERB"})
        ruler.add([[{"LOWER": "new"}, {"LOWER": "york"}, {"LOWER": "and"}]], {"LEMMA": "first"}, index=1)
        ruler.add([[{"LOWER": "new"}, {"LOWER": "york"}]], {"LEMMA": "second"}, index=1)
        if memo:
            speed_up_attribute_ruler(nlp)
        return nlp

    theirs, ours = pipeline(memo=False), pipeline(memo=True)
    assert ours.get_pipe_meta("attribute_ruler").factory == "newswire_attributes"
    text = "I love new york and more."
    assert columns(ours, [text]) == columns(theirs, [text])
    assert ours(text)[3].lemma_ == "second"  # the later rule wins, whatever order the matches come in


def ruler_pipeline(patterns: list[tuple[list[dict], dict]], *, memo: bool) -> Language:
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")  # type: ignore[assignment]
    for pattern, attrs in patterns:
        ruler.add([pattern], attrs)
    if memo:
        speed_up_attribute_ruler(nlp)
    return nlp


PREDICATES = [
    ([{"LOWER": {"IN": ["said", "says"]}}], {"LEMMA": "say"}),
    ([{"LOWER": {"NOT_IN": ["said", "says", " "]}, "IS_SPACE": False}], {"POS": "X"}),
    ([{"LOWER": {"REGEX": "^wh"}}], {"POS": "PRON"}),
    ([{"IS_SPACE": True}], {"POS": "SPACE"}),
    ([{"TEXT": "Who"}], {"MORPH": "PronType=Int"}),
]


def test_tested_predicates_give_the_rulers_attributes() -> None:
    theirs, ours = ruler_pipeline(PREDICATES, memo=False), ruler_pipeline(PREDICATES, memo=True)
    memo = ours.get_pipe("attribute_ruler")
    assert isinstance(memo, attributes_module.MemoAttributes) and memo._tests is not None
    text = "Who said what?  She says WHERE, and whom.\n"
    assert columns(ours, [text]) == columns(theirs, [text])
    doc = ours(text)
    assert [t.pos_ for t in doc][:3] == ["PRON", "", "PRON"] and doc[1].lemma_ == "say" and doc[5].pos_ == "X"


def test_a_pattern_the_tests_cannot_read_is_asked_of_the_matcher() -> None:
    patterns = [*PREDICATES, ([{"LENGTH": 3}], {"LEMMA": "three"})]
    theirs, ours = ruler_pipeline(patterns, memo=False), ruler_pipeline(patterns, memo=True)
    memo = ours.get_pipe("attribute_ruler")
    assert isinstance(memo, attributes_module.MemoAttributes) and memo._tests is None
    text = "Who said what?  She says WHERE, and whom.\n"
    assert columns(ours, [text]) == columns(theirs, [text])
    assert ours(text)[0].lemma_ == "three"
