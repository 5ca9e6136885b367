"""The pure NLP core: articles in, enriched records out. No Kafka in here.

`enrich()` assembles; the extractors in the submodules compute.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import orjson
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from stream import __version__
from stream.models import Article, Attributions, EnrichedArticle
from stream.nlp.entities import extract_entities
from stream.nlp.first_names import is_first_name
from stream.nlp.gazetteer import load_gazetteer
from stream.nlp.lexicon import DASHES
from stream.nlp.quotes import extract_quotes

# The quote rules read the parse, the NER and lemmas; nothing else is needed.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@dataclass(frozen=True, slots=True)
class EnrichmentFailure:
    """An article the pipeline raised on; the caller dead-letters it."""

    article: Article
    error_type: str
    message: str


@Language.component("newswire_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    """A new paragraph, and the story after a dateline, start a new sentence.

    Set before the parser, which keeps preset boundaries; without them the parser
    runs a headline or a dateline ("JAKARTA, Feb 24 — The ministry says ...") into
    the first sentence and picks a wrong subject.
    """
    starts = [0]
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
            starts.append(token.i + 1)
    for start in starts:
        end = dateline_end(doc, start)
        if end is not None and end < len(doc):
            doc[end].is_sent_start = True
    return doc


def dateline_end(doc: Doc, start: int, *, longest: int = 12) -> int | None:
    """Index of the first token after a dateline opening the paragraph at `start`, if any.

    A dateline: an upper-case place ("TAIPEI", "NEW YORK"), a comma, then only
    capitalised words, numbers and brackets ("Sept 8", "(Reuters)") up to a dash.
    """
    first = doc[start] if start < len(doc) else None
    if first is None or not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    seen_comma = False
    for token in doc[start + 1 : start + longest]:
        if token.text in DASHES:
            return token.i + 1 if seen_comma else None
        if "\n" in token.text:
            return None
        seen_comma = seen_comma or token.text == ","
        if token.is_alpha and not token.text[0].isupper():
            return None
    return None


def load_pipeline(model: str) -> Language:
    """Load a spaCy pipeline by package name or path, with unused components left out, and the gazetteer."""
    probe = spacy.load(model)
    unused = [name for name in probe.pipe_names if name not in COMPONENTS]
    nlp = spacy.load(model, exclude=unused) if unused else probe
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newswire_paragraphs", before="parser")
    load_gazetteer()  # once per process, here rather than in the first article's time
    is_first_name("Anna")  # reads the first-name list, likewise
    return nlp


def pipeline_version(nlp: Language) -> str:
    """Identifies the code and model that produced an event."""
    return f"newswire-{__version__}+{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def event_id(article: Article, version: str) -> str:
    """Same article and same pipeline -> same id, so consumers can drop duplicates."""
    digest = hashlib.blake2b(orjson.dumps(asdict(article), option=orjson.OPT_SORT_KEYS), digest_size=16)
    digest.update(version.encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Enrichment:
    """Results in input order, and where the time went."""

    results: list[EnrichedArticle | EnrichmentFailure]
    parse_seconds: float = 0.0
    extract_seconds: float = 0.0


def enrich(
    nlp: Language,
    articles: Sequence[Article],
    *,
    model: str,
    batch_size: int = 32,
    attributions: Attributions = "statements",
) -> list[EnrichedArticle | EnrichmentFailure]:
    """Enrich articles in order; one that makes the pipeline raise becomes an EnrichmentFailure.

    `attributions` picks the quotes: "statements", or "all" (also thoughts).
    """
    return enrich_timed(nlp, articles, model=model, batch_size=batch_size, attributions=attributions).results


def enrich_timed(
    nlp: Language,
    articles: Sequence[Article],
    *,
    model: str,
    batch_size: int = 32,
    attributions: Attributions = "statements",
) -> Enrichment:
    """enrich(), also reporting the time spent in spaCy and in our own extraction."""
    if not articles:
        return Enrichment([])
    started = time.perf_counter()
    try:
        docs = list(nlp.pipe((a.body for a in articles), batch_size=batch_size))
    except Exception:  # noqa: BLE001 - isolate the article that breaks the batch
        one_by_one = [
            result
            for article in articles
            for result in _enrich_one(nlp, article, model=model, attributions=attributions)
        ]
        return Enrichment(one_by_one, parse_seconds=time.perf_counter() - started)
    parse_seconds = time.perf_counter() - started
    per_article_ms = parse_seconds * 1000 / len(articles)
    version = pipeline_version(nlp)
    started = time.perf_counter()
    results: list[EnrichedArticle | EnrichmentFailure] = []
    for article, doc in zip(articles, docs, strict=True):
        results.append(
            _assemble(article, doc, model=model, version=version, parse_ms=per_article_ms, attributions=attributions)
        )
    return Enrichment(results, parse_seconds, time.perf_counter() - started)


def _enrich_one(
    nlp: Language, article: Article, *, model: str, attributions: Attributions
) -> list[EnrichedArticle | EnrichmentFailure]:
    started = time.perf_counter()
    try:
        doc = nlp(article.body)
    except Exception as exc:  # noqa: BLE001 - reported as a dead letter, never raised
        return [EnrichmentFailure(article, type(exc).__name__, str(exc)[:500])]
    parse_ms = (time.perf_counter() - started) * 1000
    version = pipeline_version(nlp)
    return [_assemble(article, doc, model=model, version=version, parse_ms=parse_ms, attributions=attributions)]


def _assemble(
    article: Article, doc: spacy.tokens.Doc, *, model: str, version: str, parse_ms: float, attributions: Attributions
) -> EnrichedArticle | EnrichmentFailure:
    started = time.perf_counter()
    try:
        entities = extract_entities(doc, headline=article.headline)
        quotes = extract_quotes(doc, article_id=article.id, attributions=attributions)
    except Exception as exc:  # noqa: BLE001 - reported as a dead letter, never raised
        return EnrichmentFailure(article, type(exc).__name__, str(exc)[:500])
    extract_ms = (time.perf_counter() - started) * 1000
    return EnrichedArticle(
        event_id=event_id(article, version),
        article_id=article.id,
        headline=article.headline,
        byline=article.byline,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
        language=article.language,
        version=article.version,
        entities=entities,
        quotes=quotes,
        model=model,
        pipeline_version=version,
        processing_ms=round(parse_ms + extract_ms, 3),
    )
