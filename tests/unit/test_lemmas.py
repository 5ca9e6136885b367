"""newswire_lemmas gives every token the lemma spaCy's rule lemmatizer gives it."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from stream.nlp import COMPONENTS, load_pipeline, pipeline_components
from stream.nlp import lemmas as lemmas_module

from ..conftest import MODEL, ROOT

TEXTS = [
    "The ministers said they had been asking whether the bridges were safer than the old ones.",
    "\"We're not leaving,\" she told reporters, adding that the cities' mayors wouldn't either.",
    "Officials denied, confirmed, warned, urged and insisted; he'd argued it's the better of the worst options.",
    "Asked if he agreed, Peskov smiled. The geese ran faster. Children were being fed by 3 p.m. on Mondays.",
    "",
]


@pytest.fixture(scope="module")
def spacy_lemmatizer() -> Language:
    """The model as spaCy loads it, its own rule lemmatizer included."""
    return spacy.load(MODEL, exclude=[name for name in pipeline_components(MODEL) or () if name not in COMPONENTS])


def seed_bodies() -> list[str]:
    return [json.loads(path.read_text("utf-8"))["body"] for path in sorted((ROOT / "seeds").glob("*.json"))]


def test_the_service_runs_newswire_lemmas_in_place_of_the_lemmatizer(nlp: Language) -> None:
    assert nlp.get_pipe_meta("lemmatizer").factory == "newswire_lemmas"


def test_every_lemma_is_the_rule_lemmatizers(nlp: Language, spacy_lemmatizer: Language) -> None:
    texts = TEXTS + seed_bodies()
    ours = [[t.lemma_ for t in doc] for doc in nlp.pipe(texts)]
    theirs = [[t.lemma_ for t in doc] for doc in spacy_lemmatizer.pipe(texts)]
    assert ours == theirs
    assert "say" in ours[0] and "ask" in ours[0] and "bridge" in ours[0]  # the lemmas are really set


def test_lemmas_stay_right_after_the_memo_starts_over(
    nlp: Language, spacy_lemmatizer: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lemmas_module, "MAX_MEMO", 3)
    texts = TEXTS * 2
    assert [[t.lemma_ for t in d] for d in nlp.pipe(texts)] == [
        [t.lemma_ for t in d] for d in spacy_lemmatizer.pipe(texts)
    ]


def test_the_model_is_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    real_load = spacy.load

    def counting_load(name: str, **kwargs: object) -> Language:
        loads.append(name)
        return real_load(name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(spacy, "load", counting_load)
    loaded = load_pipeline(MODEL)
    assert loads == [MODEL]
    assert [name for name in loaded.pipe_names if name != "newswire_paragraphs"] == [
        name for name in COMPONENTS if name in loaded.pipe_names
    ]


def test_components_are_read_without_loading_the_model() -> None:
    held = pipeline_components(MODEL)
    assert held is not None and "parser" in held and "ner" in held
    assert pipeline_components("no_such_pipeline_package") is None


def test_a_lemmatizer_in_lookup_mode_is_refused() -> None:
    lemmas = lemmas_module.RuleLemmas(spacy.blank("en").vocab)
    lookup = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup"})
    with pytest.raises(ValueError, match="rule-mode"):
        lemmas.use_rules_of(lookup)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="no rules"):
        lemmas(spacy.blank("en")("text"))
