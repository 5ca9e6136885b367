from __future__ import annotations

import pytest
from spacy.language import Language

from stream.models import Article
from stream.nlp import enrich
from stream.pool import CHUNKS_PER_PROCESS, EnrichPool, chunks_for, split

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


def test_a_batch_is_cut_in_a_few_chunks_per_process_so_none_waits_on_a_long_one_or_holds_it_all() -> None:
    items = [Article(id=str(i), body="b" * (10 + i % 7)) for i in range(32)]
    assert len(chunks_for(items, 1)) == len(chunks_for(items, 0)) == CHUNKS_PER_PROCESS > 1
    assert len(chunks_for(items, 2)) == 2 * CHUNKS_PER_PROCESS
    assert len(chunks_for(items[:3], 2)) == 3
    assert [a for c in chunks_for(items, 2) for a in c] == items


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
