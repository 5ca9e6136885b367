"""Hostile input: every raw message becomes an Article or an ArticleError; no enrichment stage fails."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from stream.codec import decode_article
from stream.errors import ArticleError
from stream.models import Article, EnrichedArticle
from stream.nlp import EXTRACTORS, Extractors, enrich

LIMITS = {"max_bytes": 50_000, "max_chars": 10_000}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
article_shaped = st.fixed_dictionaries(
    {"id": json_values | st.text(max_size=20), "body": json_values | st.text(max_size=200)},
    optional={"headline": json_values, "published_at": json_values | st.text(max_size=30), "version": json_values},
)


def decodes_or_rejects(raw: bytes) -> None:
    try:
        article = decode_article(raw, **LIMITS)
    except ArticleError as exc:
        assert exc.reason in {"invalid_json", "schema", "too_large"}
        assert str(exc)
    else:
        assert isinstance(article, Article) and article.body.strip()


@given(st.binary(max_size=2_000))
def test_random_bytes(raw: bytes) -> None:
    decodes_or_rejects(raw)


@given(json_values)
def test_json_of_every_shape(value: object) -> None:
    decodes_or_rejects(json.dumps(value).encode())


@given(article_shaped)
def test_nearly_articles(value: dict) -> None:
    decodes_or_rejects(json.dumps(value).encode())


def test_invalid_utf8_and_control_characters() -> None:
    for raw in [b'{"id": "a", "body": "\xc3\x28"}', b'{"id": "a", "body": "\\u0000\\u001f x"}', b"\x00" * 10]:
        decodes_or_rejects(raw)


def enriches_cleanly(nlp: Language, body: str, *, extractors: Extractors = EXTRACTORS) -> None:
    """Every stage succeeds on `body`, and every offset points at its text."""
    [result] = enrich(nlp, [Article(id="fuzz", body=body)], model="m", extractors=extractors)
    assert isinstance(result, EnrichedArticle), result.describe()
    for quote in result.quotes:
        assert body[quote.content.start : quote.content.end] == quote.content.text
    for entity in result.entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=400))
def test_enrichment_of_random_unicode_never_fails(nlp: Language, body: str) -> None:
    enriches_cleanly(nlp, body)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(['"', "\u201c", "\u201d", "'", "said", "he", "Anna Berg", ",", ".", "\n", " "]),
        min_size=1,
        max_size=60,
    )
)
def test_enrichment_of_quote_soup_never_fails(nlp: Language, parts: list[str]) -> None:
    enriches_cleanly(nlp, " ".join(parts))


def raise_on_quote_marks(doc, article, attributions):  # type: ignore[no-untyped-def]
    if '"' in doc.text:
        raise ValueError("unclosed quotation")
    return EXTRACTORS.quotes(doc, article, attributions)


def test_the_fuzz_check_fails_when_an_extractor_raises(nlp: Language) -> None:
    raising = Extractors(entities=EXTRACTORS.entities, quotes=raise_on_quote_marks)
    enriches_cleanly(nlp, "No marks here, Anna Berg said.", extractors=raising)
    with pytest.raises(AssertionError, match="quotes stage failed: ValueError: unclosed quotation"):
        enriches_cleanly(nlp, '"Marks," Anna Berg said.', extractors=raising)
