from __future__ import annotations

import pytest
from spacy.language import Language

from stream.models import Article
from stream.nlp import enrich
from stream.pool import EnrichPool, split

from ..conftest import MODEL


@pytest.mark.parametrize(
    ("lengths", "parts", "sizes"),
    [
        ([1] * 10, 2, [5, 5]),
        ([1] * 7, 3, [2, 3, 2]),
        ([1], 4, [1]),
        ([1] * 3, 1, [3]),
        ([90, 10, 10, 10, 10, 10, 10, 10, 10, 10], 2, [1, 9]),
        ([10, 10, 10, 90], 2, [3, 1]),
        ([100, 1, 1], 3, [1, 1, 1]),
    ],
)
def test_split_is_contiguous_and_balanced_by_length(lengths: list[int], parts: int, sizes: list[int]) -> None:
    items = [Article(id=str(i), body="b" * n) for i, n in enumerate(lengths)]
    chunks = split(items, parts)
    assert [len(c) for c in chunks] == sizes
    assert [a for c in chunks for a in c] == items


async def test_two_processes_give_what_the_single_path_gives(nlp: Language) -> None:
    articles = [
        Article(id=str(i), body=f'"We will open the bridge on day {i}," Mayor Lena Roth said in Vienna.')
        for i in range(7)
    ]
    pool = EnrichPool(model=MODEL, processes=2, batch_size=3)
    pool.start()
    try:
        pooled = (await pool.enrich(articles)).results
    finally:
        pool.close()
    single = enrich(nlp, articles, model=MODEL, batch_size=3)
    strip = lambda events: [(e.event_id, e.entities, e.quotes) for e in events]  # noqa: E731
    assert strip(pooled) == strip(single)
