"""Running the service's enrichment over gold articles, with a progress bar."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from stream.evaluation.gold import PredictedQuote
from stream.models import Article, Attributions, EnrichedArticle, Quote
from stream.nlp import EnrichmentFailure, check_model, enrich, load_pipeline
from stream.nlp.quotes import extract_quotes
from stream.progress import progress_bar


def enrich_all(
    articles: Sequence[Article],
    *,
    model: str,
    batch_size: int,
    quiet: bool,
    attributions: Attributions = "statements",
    cache_dir: str | None = None,
) -> tuple[dict[str, EnrichedArticle], int]:
    """Enriched articles by id, exactly as the service makes them, and how many failed (reported on stderr)."""
    check_model(model)
    nlp = load_pipeline(model, cache_dir=cache_dir)
    enriched: dict[str, EnrichedArticle] = {}
    failed = 0
    with progress_bar(total=len(articles), quiet=quiet) as bar:
        for at in range(0, len(articles), batch_size):
            batch = articles[at : at + batch_size]
            for result in enrich(nlp, batch, model=model, batch_size=batch_size, attributions=attributions):
                if isinstance(result, EnrichmentFailure):
                    failed += 1
                    print(f"newswire: {result.article.id}: {result.describe()}", file=sys.stderr)
                else:
                    enriched[result.article_id] = result
            bar.update(len(batch))
    return enriched, failed


def quotes_joined(
    articles: Sequence[Article],
    *,
    model: str,
    batch_size: int,
    quiet: bool,
    attributions: Attributions = "statements",
    cache_dir: str | None = None,
) -> dict[str, list[Quote]]:
    """Quotes with interrupted statements joined ('"X," he said, "Y."' as one), PolNeAR's convention."""
    check_model(model)
    nlp = load_pipeline(model, cache_dir=cache_dir)
    found: dict[str, list[Quote]] = {}
    with progress_bar(total=len(articles), quiet=quiet) as bar:
        docs = nlp.pipe((a.body for a in articles), batch_size=batch_size)
        for article, doc in zip(articles, docs, strict=True):
            found[article.id] = extract_quotes(doc, article_id=article.id, attributions=attributions, join_split=True)
            bar.update(1)
    return found


def as_predicted(quotes: Sequence[Quote]) -> list[PredictedQuote]:
    return [
        PredictedQuote(
            content=(q.content.start, q.content.end),
            speaker=(q.speaker.start, q.speaker.end)
            if q.speaker.start is not None and q.speaker.end is not None
            else None,
            cue=(q.cue.start, q.cue.end) if q.cue else None,
            name=q.speaker.name,
        )
        for q in quotes
    ]
