"""The pure enrichment step on the sample article and on odd input."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stream.models import Article, EnrichedArticle
from stream.nlp import EnrichmentFailure, enrich, event_id
from stream.nlp.aliases import expand

MODEL = "test-model"

# Labels the gold's notes also accept.
ALSO_RIGHT = {"Palmyra": {"LOC"}, "Tartus": {"LOC"}, "Latakia": {"LOC"}, "Hmeymim": {"LOC"}}
# Gold entities the small model does not find at all (it reads "Daesh Takfiri" as one name),
# so no label repair can bring them back.
MISSED_BY_THE_MODEL = {"Rossiya-24", "Antonov-124", "Daesh"}


@pytest.fixture(scope="module")
def sample_event(nlp: Language, sample_gold: dict) -> EnrichedArticle:
    article = Article(id=sample_gold["id"], body=sample_gold["body"], headline="Kremlin: no Russian troops in Palmyra")
    [event] = enrich(nlp, [article], model=MODEL)
    assert isinstance(event, EnrichedArticle)
    return event


def test_sample_entities_have_gold_names_and_labels(sample_event: EnrichedArticle, sample_gold: dict) -> None:
    found = {e.name: e.label for e in sample_event.entities}
    for gold in sample_gold["entities"]:
        if gold["name"] in MISSED_BY_THE_MODEL:
            assert gold["name"] not in found
            continue
        # The gold writes "UN" and "US"; the service names them by their long form.
        label = found.get(gold["name"]) or found.get(expand(gold["name"], {}))
        assert label in {gold["label"], *ALSO_RIGHT.get(gold["name"], ())}, gold


def test_places_the_model_mislabels_are_repaired_and_located(sample_event: EnrichedArticle) -> None:
    found = {e.name: e for e in sample_event.entities}
    for name in ("Palmyra", "Tartus", "Latakia"):
        assert (found[name].label, found[name].country_code) == ("GPE", "SY")
        assert found[name].geonames_id is not None
    assert found["Hmeymim"].label == "FAC"  # "Hmeymim airbase"; the gazetteer does not know it
    assert (found["Syria"].country_code, found["United States"].country_code) == ("SY", "US")
    assert [m.text for m in found["United States"].mentions] == ["US"]
    assert found["Kremlin"].geonames_id is None


def test_mentions_are_grouped_under_one_canonical_entity(sample_event: EnrichedArticle) -> None:
    names = [e.name for e in sample_event.entities]
    assert len(names) == len(set(names))
    peskov = next(e for e in sample_event.entities if e.name == "Dmitry Peskov")
    assert [m.text for m in peskov.mentions] == ["Dmitry Peskov", "Peskov"]
    assert (peskov.count, peskov.first) == (2, peskov.mentions[0].start)
    assert {"Russia", "Russian"} <= set(names)
    assert [e.first for e in sample_event.entities] == sorted(e.first for e in sample_event.entities)


def test_salience_favours_the_headline_and_the_lead(sample_event: EnrichedArticle) -> None:
    found = {e.name: e for e in sample_event.entities}
    assert all(e.salience is None or 0 <= e.salience <= 1 for e in sample_event.entities)
    assert all(e.salience is None for e in sample_event.entities if e.label == "DATE")
    assert found["Palmyra"].salience > found["Latakia"].salience  # headline and lead vs one late mention
    assert found["Kremlin"].salience > found["Geneva"].salience  # lead vs body


def test_entity_offsets_point_into_the_body(sample_event: EnrichedArticle, sample_gold: dict) -> None:
    body = sample_gold["body"]
    assert sample_event.entities
    for entity in sample_event.entities:
        assert entity.count == len(entity.mentions)
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text


def test_event_carries_metadata_and_pipeline_version(sample_event: EnrichedArticle) -> None:
    assert sample_event.article_id == "kremlin-palmyra"
    assert sample_event.model == MODEL
    assert sample_event.pipeline_version.startswith("newswire-")
    assert sample_event.processing_ms > 0
    assert sample_event.quotes, "the sample has quotes"


def test_event_id_is_stable_and_changes_with_the_input() -> None:
    article = Article(id="a", body="Text.", version=1)
    assert event_id(article, "v1") == event_id(Article(id="a", body="Text.", version=1), "v1")
    assert event_id(article, "v1") != event_id(Article(id="a", body="Text.", version=2), "v1")
    assert event_id(article, "v1") != event_id(article, "v2")


def test_results_come_back_in_input_order(nlp: Language) -> None:
    articles = [Article(id=str(i), body=f"Anna Berg met Tom Hill in Oslo on day {i}.") for i in range(5)]
    results = enrich(nlp, articles, model=MODEL, batch_size=2)
    assert [r.article_id for r in results if isinstance(r, EnrichedArticle)] == ["0", "1", "2", "3", "4"]


class PipelineThatFailsOn:
    """Wraps a real pipeline; raises on texts containing `poison`, like a model bug would."""

    def __init__(self, nlp: Language, poison: str) -> None:
        self.nlp, self.poison, self.meta = nlp, poison, nlp.meta

    def _check(self, text: str) -> None:
        if self.poison in text:
            raise ValueError(f"cannot handle {self.poison!r}")

    def pipe(self, texts, batch_size: int = 32):  # type: ignore[no-untyped-def]
        texts = list(texts)
        for text in texts:
            self._check(text)
        return self.nlp.pipe(texts, batch_size=batch_size)

    def __call__(self, text: str):  # type: ignore[no-untyped-def]
        self._check(text)
        return self.nlp(text)


def test_one_failing_article_does_not_sink_the_batch(nlp: Language) -> None:
    articles = [
        Article(id="ok1", body="Anna Berg said it rained."),
        Article(id="bad", body="POISON here."),
        Article(id="ok2", body="Tom Hill said it snowed."),
    ]
    results = enrich(PipelineThatFailsOn(nlp, "POISON"), articles, model=MODEL)  # type: ignore[arg-type]
    assert [type(r).__name__ for r in results] == ["EnrichedArticle", "EnrichmentFailure", "EnrichedArticle"]
    failure = results[1]
    assert isinstance(failure, EnrichmentFailure)
    assert (failure.article.id, failure.error_type) == ("bad", "ValueError")


@pytest.mark.parametrize(
    "body",
    ["x", "\u201c", '"unclosed quote said', "\u0000\u0007 control", "Привет, мир. 你好。", "\n\n\n.", "'" * 50],
)
def test_odd_text_is_enriched_not_raised(nlp: Language, body: str) -> None:
    [result] = enrich(nlp, [Article(id="odd", body=body)], model=MODEL)
    assert isinstance(result, EnrichedArticle)


def test_attributions_setting_picks_statements_or_all(nlp: Language) -> None:
    body = "The minister said the budget would balance by 2027. Investors fear that rates will rise again."
    article = Article(id="acts", body=body)
    [statements] = enrich(nlp, [article], model=MODEL)
    [everything] = enrich(nlp, [article], model=MODEL, attributions="all")
    assert isinstance(statements, EnrichedArticle) and isinstance(everything, EnrichedArticle)
    assert [(q.act, q.cue and q.cue.text) for q in statements.quotes] == [("statement", "said")]
    assert [(q.act, q.cue and q.cue.text) for q in everything.quotes] == [("statement", "said"), ("thought", "fear")]
