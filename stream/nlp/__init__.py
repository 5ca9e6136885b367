"""The pure NLP core: articles in, enriched records out. No Kafka in here.

`enrich()` assembles; the extractors in the submodules compute.

Failure policy, the same for every stage (`parse`, `entities`, `quotes`): an
exception is never swallowed and never half-applied. The article becomes an
`EnrichmentFailure` naming the stage, the error type and its message; the
service counts it (`newswire_extraction_failures_total{stage}`) and
dead-letters the article; `newswire enrich` reports it and exits 2.
"""

from __future__ import annotations

import gc
import hashlib
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import orjson
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from stream import __version__
from stream.errors import SettingsError
from stream.models import Article, Attributions, EnrichedArticle, Entity, Quote
from stream.nlp.attributes import speed_up_attribute_ruler
from stream.nlp.entities import extract_entities
from stream.nlp.first_names import load_first_names
from stream.nlp.gazetteer import load_gazetteer
from stream.nlp.lemmas import speed_up_lemmatizer
from stream.nlp.lexicon import DASHES
from stream.nlp.quotes import extract_quotes
from stream.nlp.views import remember_text

# The quote rules read the parse, the NER and lemmas; nothing else is needed. The
# lemmatizer's rules run as newswire_lemmas (stream/nlp/lemmas.py) and the attribute
# ruler's as newswire_attributes (stream/nlp/attributes.py): same output, less time.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@dataclass(frozen=True, slots=True)
class EnrichmentFailure:
    """An article a stage (parse, entities, quotes) raised on; the caller counts and dead-letters it."""

    article: Article
    error_type: str
    message: str
    stage: str = "parse"

    def describe(self) -> str:
        return f"{self.stage} stage failed: {self.error_type}: {self.message}"


@dataclass(frozen=True, slots=True)
class Extractors:
    """The extraction stages run on every parsed article; a test can swap one in."""

    entities: Callable[[Doc, Article], list[Entity]]
    quotes: Callable[[Doc, Article, Attributions], list[Quote]]


EXTRACTORS = Extractors(
    entities=lambda doc, article: extract_entities(doc, headline=article.headline),
    quotes=lambda doc, article, attributions: extract_quotes(doc, article_id=article.id, attributions=attributions),
)


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


def check_model(model: str) -> None:
    """Raise SettingsError unless `model` names an installed spaCy pipeline or a directory holding one."""
    if model.startswith("blank:") or spacy.util.is_package(model) or (Path(model) / "config.cfg").is_file():
        return
    raise SettingsError(f"no spaCy pipeline {model!r} is installed (NEWSWIRE_MODEL or --model)")


def load_pipeline(model: str, *, cache_dir: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path, once, with unused components left out, and the gazetteer.

    `cache_dir` holds the gazetteer and first-name table built once per machine; without it,
    they are built in memory.
    """
    held = pipeline_components(model)
    unused = [name for name in held or () if name not in COMPONENTS]
    nlp = spacy.load(model, exclude=unused)
    if held is None:  # no meta.json to read: drop what the loaded pipeline does not need
        for name in [name for name in nlp.pipe_names if name not in COMPONENTS]:
            nlp.remove_pipe(name)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newswire_paragraphs", before="parser")
    split_final_period(nlp)
    speed_up_attribute_ruler(nlp)
    speed_up_lemmatizer(nlp)
    load_gazetteer(cache_dir)  # once per process, here rather than in the first article's time
    load_first_names(cache_dir)  # likewise, the first-name list
    # The pipeline lives as long as the process: move its objects out of the garbage collector's
    # sight, or every full collection during extraction walks all of them again.
    gc.collect()
    gc.freeze()
    return nlp


# A full stop after a lower-case letter and a capital ("according to GroupM."), as spaCy
# already splits one after two capitals ("iOS.") or a lower-case letter ("PayPal.").
CAMEL_CASE_FULL_STOP = r"(?<=[a-z][A-Z])\."


def split_final_period(nlp: Language) -> None:
    """Split the full stop off a camel-case name ending in a capital, so the name is a word of its own.

    The rule is added to the pipeline's own suffix rules, whatever they are.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer) or tokenizer.suffix_search is None:
        return
    pattern = tokenizer.suffix_search.__self__.pattern
    if CAMEL_CASE_FULL_STOP not in pattern:
        tokenizer.suffix_search = re.compile(f"{pattern}|(?:{CAMEL_CASE_FULL_STOP}$)").search


def pipeline_components(model: str) -> list[str] | None:
    """Every component a pipeline package or directory holds, from its meta.json, without loading it."""
    try:
        path = Path(model) if Path(model).exists() else spacy.util.get_package_path(model)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError, ImportError):
        return None
    names = meta.get("components") or meta.get("pipeline")
    return list(names) if isinstance(names, list) else None


def pipeline_version(nlp: Language) -> str:
    """Identifies the code and model that produced an event."""
    return f"newswire-{__version__}+{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


# An article's fields hold only strings, numbers and None: a dict of them is what asdict() makes,
# without its deep copy of every value (ten times the cost).
ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def event_id(article: Article, version: str) -> str:
    """Same article and same pipeline -> same id, so consumers can drop duplicates."""
    record = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    digest = hashlib.blake2b(orjson.dumps(record, option=orjson.OPT_SORT_KEYS), digest_size=16)
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
    extractors: Extractors = EXTRACTORS,
) -> list[EnrichedArticle | EnrichmentFailure]:
    """Enrich articles in order; one that makes a stage raise becomes an EnrichmentFailure.

    `attributions` picks the quotes: "statements", or "all" (also thoughts).
    """
    return enrich_timed(
        nlp, articles, model=model, batch_size=batch_size, attributions=attributions, extractors=extractors
    ).results


def enrich_timed(
    nlp: Language,
    articles: Sequence[Article],
    *,
    model: str,
    batch_size: int = 32,
    attributions: Attributions = "statements",
    extractors: Extractors = EXTRACTORS,
) -> Enrichment:
    """enrich(), also reporting the time spent in spaCy and in our own extraction."""
    if not articles:
        return Enrichment([])
    started = time.perf_counter()
    try:
        docs = list(nlp.pipe((a.body for a in articles), batch_size=batch_size))
    except Exception:  # noqa: BLE001 - isolate the article that breaks the batch
        one_by_one = [
            _enrich_one(nlp, article, model=model, attributions=attributions, extractors=extractors)
            for article in articles
        ]
        return Enrichment(one_by_one, parse_seconds=time.perf_counter() - started)
    parse_seconds = time.perf_counter() - started
    per_article_ms = parse_seconds * 1000 / len(articles)
    version = pipeline_version(nlp)
    started = time.perf_counter()
    results: list[EnrichedArticle | EnrichmentFailure] = []
    with collection_paused():  # for the whole batch: one collection after it, not one after each article
        for article, doc in zip(articles, docs, strict=True):
            results.append(
                _assemble(
                    article,
                    doc,
                    model=model,
                    version=version,
                    parse_ms=per_article_ms,
                    attributions=attributions,
                    extractors=extractors,
                )
            )
    return Enrichment(results, parse_seconds, time.perf_counter() - started)


def _failure(article: Article, stage: str, exc: Exception) -> EnrichmentFailure:
    return EnrichmentFailure(article, type(exc).__name__, str(exc)[:500], stage)


def _enrich_one(
    nlp: Language, article: Article, *, model: str, attributions: Attributions, extractors: Extractors
) -> EnrichedArticle | EnrichmentFailure:
    started = time.perf_counter()
    try:
        doc = nlp(article.body)
    except Exception as exc:  # noqa: BLE001 - the failure policy: returned, counted, dead-lettered
        return _failure(article, "parse", exc)
    parse_ms = (time.perf_counter() - started) * 1000
    version = pipeline_version(nlp)
    return _assemble(
        article,
        doc,
        model=model,
        version=version,
        parse_ms=parse_ms,
        attributions=attributions,
        extractors=extractors,
    )


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (extraction: one article's, or a batch's), then resume it.

    Extraction makes tens of thousands of short-lived lists, tuples and records that reference
    counting frees, and makes no reference cycles; every 700 of them the collector would still
    scan the young ones (2% of the extraction pass on GGT dev). Whatever the block leaves behind
    is scanned at the first collection after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _assemble(
    article: Article,
    doc: spacy.tokens.Doc,
    *,
    model: str,
    version: str,
    parse_ms: float,
    attributions: Attributions,
    extractors: Extractors,
) -> EnrichedArticle | EnrichmentFailure:
    started = time.perf_counter()
    with collection_paused():
        try:
            remember_text(doc, article.body)  # the extractors cut their texts from it
            entities = extractors.entities(doc, article)
        except Exception as exc:  # noqa: BLE001 - the failure policy: returned, counted, dead-lettered
            return _failure(article, "entities", exc)
        try:
            quotes = extractors.quotes(doc, article, attributions)
        except Exception as exc:  # noqa: BLE001 - the failure policy: returned, counted, dead-lettered
            return _failure(article, "quotes", exc)
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
