"""Runs the synchronous NLP off the event loop.

Each batch is split into contiguous chunks, a few per worker process, and the
results are put back together in input order, so the per-key order of the stream
is kept. With `processes = 0` a single thread in this process does the work
(handy for debugging; it competes with the loop for the GIL).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from spacy.language import Language

from stream.logs import configure_logging
from stream.models import Article, Attributions, EnrichedArticle
from stream.nlp import Enrichment, EnrichmentFailure, enrich_timed, load_pipeline

log = logging.getLogger(__name__)

Result = EnrichedArticle | EnrichmentFailure

# Chunks per NLP process in a batch. One chunk per process left a process idle
# while another finished a longer part (articles vary tenfold in length); with
# smaller chunks an idle process takes the next one. A process also holds only
# one chunk's parsed docs at a time (a quarter of the memory of a whole batch's),
# and spaCy parses news articles a few at a time as fast as many at a time.
CHUNKS_PER_PROCESS = 4

_nlp: Language | None = None
_model = ""


def _load(model: str, cache_dir: str | None, parent: int, log_level: str, log_format: str) -> None:
    global _nlp, _model
    # A spawned process starts with no logging set up: its lines follow the settings too.
    configure_logging(level=log_level, fmt=log_format)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()
    _nlp, _model = load_pipeline(model, cache_dir=cache_dir), model
    log.info("NLP process %d loaded model %s", os.getpid(), model)


def _exit_with_parent(parent: int) -> None:
    """End this NLP process once the worker that spawned it is gone (say, after kill -9).

    A killed parent cannot shut its pool down, and the orphans would keep their
    models in memory for good.
    """
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _enrich_chunk(articles: Sequence[Article], batch_size: int, attributions: Attributions) -> Enrichment:
    assert _nlp is not None, "pool process started without a model"  # noqa: S101
    return enrich_timed(_nlp, articles, model=_model, batch_size=batch_size, attributions=attributions)


def split(items: Sequence[Article], parts: int) -> list[Sequence[Article]]:
    """Contiguous chunks of nearly equal text length (parse time follows length); never an empty one."""
    parts = max(1, min(parts, len(items)))
    total = sum(len(a.body) for a in items)
    chunks: list[Sequence[Article]] = []
    start, done = 0, 0
    for i in range(parts - 1):
        target = total * (i + 1) / parts
        end = start + 1  # at least one article per chunk
        done += len(items[start].body)
        # leave at least one article for each chunk still to come
        while end < len(items) - (parts - 1 - i) and done + len(items[end].body) / 2 <= target:
            done += len(items[end].body)
            end += 1
        chunks.append(items[start:end])
        start = end
    chunks.append(items[start:])
    return chunks


def chunks_for(articles: Sequence[Article], processes: int) -> list[Sequence[Article]]:
    """A batch's chunks: CHUNKS_PER_PROCESS per process (a thread counts as one)."""
    return split(articles, max(1, processes) * CHUNKS_PER_PROCESS)


class EnrichPool:
    """Enrichment in worker processes (or a thread), awaited from the event loop."""

    def __init__(
        self,
        *,
        model: str,
        processes: int,
        batch_size: int,
        cache_dir: str | None = None,
        attributions: Attributions = "statements",
        log_level: str = "info",
        log_format: str = "text",
    ) -> None:
        self.model = model
        self.cache_dir = cache_dir
        self.processes = processes
        self.batch_size = batch_size
        self.attributions: Attributions = attributions
        self.log_settings = (log_level, log_format)
        self._executor: Executor | None = None
        self._loaded = threading.Event()
        self.closed = False

    def start(self) -> None:
        """Start the workers and load the model in each; blocks until all are ready."""
        if self.processes == 0:
            global _nlp, _model
            _nlp, _model = load_pipeline(self.model, cache_dir=self.cache_dir), self.model
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
            self._loaded.set()
            return
        # spawn, not fork: forking a process that runs an event loop and
        # Kafka client threads is unsafe.
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_load,
            initargs=(self.model, self.cache_dir, os.getpid(), *self.log_settings),
        )
        warmups = [
            self._executor.submit(_enrich_chunk, [], self.batch_size, self.attributions) for _ in range(self.processes)
        ]
        for future in warmups:
            future.result()
        self._loaded.set()

    @property
    def ready(self) -> bool:
        """True once the model is loaded in every process."""
        return self._loaded.is_set()

    async def enrich(self, articles: Sequence[Article]) -> Enrichment:
        """Enrich articles off the loop; results come back in input order.

        The timings add up the chunks' CPU time, not the wall time of the batch.
        """
        if not articles:
            return Enrichment([])
        if not self._loaded.is_set():
            # The worker loads the model in the background, so /readyz can answer meanwhile.
            await asyncio.to_thread(self._loaded.wait)
        if self._executor is None:
            raise RuntimeError("EnrichPool.start() was not called")
        loop = asyncio.get_running_loop()
        chunks = chunks_for(articles, self.processes)
        futures = [
            loop.run_in_executor(self._executor, _enrich_chunk, chunk, self.batch_size, self.attributions)
            for chunk in chunks
        ]
        results: list[Result] = []
        parse_seconds = extract_seconds = 0.0
        for chunk in await asyncio.gather(*futures):
            results.extend(chunk.results)
            parse_seconds += chunk.parse_seconds
            extract_seconds += chunk.extract_seconds
        return Enrichment(results, parse_seconds, extract_seconds)

    def close(self) -> None:
        self.closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
            self._loaded.clear()
