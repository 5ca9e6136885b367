"""The worker's state: Faust tables in RocksDB, each backed by a changelog topic.

Two tables, both JSON values under str keys:

- `article-versions`, keyed by article id, co-partitioned with the input topic:
  the last version processed of each article (stream.versions.ArticleState);
- `quote-lineage`, keyed by quote fingerprint, co-partitioned with the
  fingerprint repartition topic: the first occurrence of each quote and how
  many articles carry it (stream.lineage.LineageState).

Faust writes a table entry to the changelog partition of the *current* event
and into that partition's RocksDB, whatever the key. A batch holds events of
several partitions, so every read and write here runs in the context of the
event that carried the key, and returns the changelog send, which the agent
awaits before it acks its input: a kill -9 then loses no state that its
committed input depends on.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import faust
import orjson
from aiokafka.partitioner import DefaultPartitioner
from faust.streams import _current_event
from faust.types import EventT, TableT
from yarl import URL

from stream import metrics
from stream.codec import encode
from stream.settings import Settings

log = logging.getLogger(__name__)

ARTICLES_TABLE = "article-versions"
LINEAGE_TABLE = "quote-lineage"

# RocksDB through the rocksdict package (faust-streaming's maintained driver).
STORE_OPTIONS = {"driver": "rocksdict"}

_PARTITIONER = DefaultPartitioner()


@contextmanager
def in_event(event: EventT[Any]) -> Iterator[None]:
    """Make `event` Faust's current event, so a table access goes to its partition."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


@dataclass(frozen=True, slots=True)
class StateTable:
    """A Faust table of JSON values, read and written in the context of one event."""

    table: TableT[bytes, bytes]

    @property
    def name(self) -> str:
        return str(self.table.name)

    def get(self, event: EventT[Any], key: str) -> dict[str, Any] | None:
        with in_event(event):
            raw = self.table.data.get(key.encode())
        return orjson.loads(raw) if raw is not None else None

    def put(self, event: EventT[Any], key: str, value: object) -> faust.types.FutureMessage:
        """Write locally and to the changelog partition of `event`; await the result before acking."""
        encoded = encode(value)
        with in_event(event):
            self.table.data[key.encode()] = encoded
        return self.table.send_changelog(event.message.partition, key.encode(), encoded)

    def delete(self, key: bytes, partition: int) -> faust.types.FutureMessage:
        del self.table.data[key]
        return self.table.send_changelog(partition, key, None, value_serializer="raw")

    def local_items(self) -> Iterator[tuple[bytes, dict[str, Any]]]:
        """Entries of the partitions this worker is active for."""
        for key, raw in self.table.data.items():
            yield key, orjson.loads(raw)


@dataclass(frozen=True, slots=True)
class Tables:
    articles: StateTable
    lineage: StateTable


def declare_tables(app: faust.App, settings: Settings) -> Tables:
    def table(name: str, help: str) -> StateTable:
        return StateTable(
            app.Table(
                name,
                key_type=bytes,
                value_type=bytes,
                partitions=settings.partitions,
                options=dict(STORE_OPTIONS),
                help=help,
            )
        )

    return Tables(
        articles=table(ARTICLES_TABLE, "Last processed version of each article."),
        lineage=table(LINEAGE_TABLE, "First occurrence and repeat count of each quote fingerprint."),
    )


def is_expired(updated_ms: int, *, now_ms: int, retention_seconds: int) -> bool:
    return now_ms - updated_ms > retention_seconds * 1000


async def expire(table: StateTable, *, retention_seconds: int) -> None:
    """Delete entries not updated within the retention, locally and in the changelog; export the size."""
    now_ms = int(time.time() * 1000)
    kept = 0
    doomed: list[tuple[bytes, int]] = []
    for key, value in table.local_items():
        if is_expired(int(value.get("updated_ms", 0)), now_ms=now_ms, retention_seconds=retention_seconds):
            doomed.append((key, int(value.get("partition", 0))))
        else:
            kept += 1
    for key, partition in doomed:
        await table.delete(key, partition)
    if doomed:
        metrics.state_expired.labels(table.name).inc(len(doomed))
        log.info("state: %d entries of %s expired", len(doomed), table.name)
    metrics.state_entries.labels(table.name).set(kept)


def install_state(app: faust.App, tables: Tables, settings: Settings) -> None:
    """Register the retention timer and the two query views."""
    interval = float(max(1, min(600, settings.state_retention // 10)))

    @app.timer(interval=interval)  # type: ignore[untyped-decorator]
    async def expire_state() -> None:
        for table in (tables.articles, tables.lineage):
            await expire(table, retention_seconds=settings.state_retention)

    @app.page("/articles/{article_id}")
    async def article_view(view: Any, request: Any, article_id: str) -> Any:
        return await _answer(app, tables.articles, article_id, view, request, article_answer, settings)

    @app.page("/quotes/{fingerprint}")
    async def quote_view(view: Any, request: Any, fingerprint: str) -> Any:
        return await _answer(app, tables.lineage, fingerprint, view, request, lineage_answer, settings)


def key_partition(key: bytes, partitions: int) -> int:
    """The partition of a key under the Java client's default partitioner (murmur2), as aiokafka computes it."""
    every = list(range(partitions))
    return int(_PARTITIONER(key, every, every))


def owner_of(app: faust.App, table: StateTable, partition: int) -> str | None:
    """The web URL of the worker active for a table partition, per the last assignment."""
    topic = table.table.changelog_topic.get_topic_name()
    for url, topics in app.router.table_metadata(table.name).items():
        if partition in topics.get(topic, ()):
            return str(url)
    return None


async def _answer(
    app: faust.App,
    table: StateTable,
    key: str,
    view: Any,
    request: Any,
    shape: Callable[[str, dict[str, Any]], dict[str, Any]],
    settings: Settings,
) -> Any:
    """Answer from the local table when this worker holds the key's partition, else ask the worker that does."""
    owner = owner_of(app, table, key_partition(key.encode(), settings.partitions))
    if owner is None:
        return view.json({"error": "no worker holds the key's partition (rebalancing?)", "key": key}, status=503)
    here, there = URL(str(app.conf.canonical_url)), URL(owner)
    if (there.host, there.port) != (here.host, here.port):
        async with app.http_client.get(there.with_path(request.url.path)) as response:
            return view.text(await response.text(), content_type=response.content_type, status=response.status)
    raw = table.table.data.get(key.encode())
    if raw is None:
        return view.json({"error": "not found", "key": key}, status=404)
    return view.json(shape(key, orjson.loads(raw)))


def article_answer(key: str, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "article_id": key,
        "version": state["version"],
        "previous_version": state["previous_version"],
        "event_id": state["event_id"],
        "quotes": [
            {"quote_id": q["quote"]["id"], "quote": q["quote"]["content"]["text"], "first_version": q["first_version"]}
            for q in state["quotes"]
        ],
        "entities": state["entities"],
        "updated_ms": state["updated_ms"],
    }


def lineage_answer(key: str, state: dict[str, Any]) -> dict[str, Any]:
    return {"fingerprint": key, "first": state["first"], "count": state["count"], "updated_ms": state["updated_ms"]}
