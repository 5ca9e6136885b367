"""What the worker tells the outside: /metrics, /livez, /readyz, consumer lag, rebalances."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import faust
import spacy
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from faust.exceptions import ConsumerNotStarted
from prometheus_client import generate_latest

from stream import __version__, metrics
from stream.kafka import aiokafka_options
from stream.pool import EnrichPool
from stream.settings import Settings

log = logging.getLogger(__name__)

LAG_INTERVAL = 10.0
# prometheus-client's CONTENT_TYPE_LATEST names a charset, which aiohttp refuses
# in content_type; the exposition format is UTF-8 either way.
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4"


def lag_seconds(published_at: str | None, *, now: datetime) -> float | None:
    """Seconds since `published_at` (ISO 8601), or None when absent or unreadable."""
    if not published_at:
        return None
    try:
        published = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if published.tzinfo is None:
        return None
    return (now - published).total_seconds()


def input_partitions(app: faust.App, raw_topic: str) -> list[Any]:
    """The input partitions assigned to this worker; none before its consumer has started.

    The web server answers /readyz and /metrics while the model loads, before
    Faust starts the consumer thread, whose assignment() raises until then.
    """
    try:
        assignment = app.consumer.assignment()
    except ConsumerNotStarted:
        return []
    return [tp for tp in assignment if tp.topic == raw_topic]


def install(app: faust.App, pool: EnrichPool, settings: Settings) -> None:
    """Register the health and metrics endpoints, the lag timer and the rebalance hook."""
    metrics.build.info(
        {"version": __version__, "model": settings.model, "spacy": spacy.about.__version__, "faust": faust.__version__}
    )

    def is_ready() -> bool:
        return pool.ready and bool(input_partitions(app, settings.raw_topic))

    @app.page("/metrics")
    async def metrics_view(web: Any, request: Any) -> Any:
        metrics.ready.set(1 if is_ready() else 0)
        return web.bytes(generate_latest(), content_type=METRICS_CONTENT_TYPE)

    @app.page("/livez")
    async def live_view(web: Any, request: Any) -> Any:
        # Answering at all shows the event loop is not stalled.
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def ready_view(web: Any, request: Any) -> Any:
        state = {"model_loaded": pool.ready, "partitions": len(input_partitions(app, settings.raw_topic))}
        if is_ready():
            return web.json({"status": "ready", **state})
        return web.json({"status": "not ready", **state}, status=503)

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def on_assigned(app: faust.App, assigned: set[Any], **kwargs: Any) -> None:  # noqa: ARG001
        metrics.rebalances.inc()
        metrics.assigned_partitions.set(len(input_partitions(app, settings.raw_topic)))
        metrics.consumer_lag.clear()

    @app.timer(interval=LAG_INTERVAL)  # type: ignore[untyped-decorator]
    async def update_consumer_lag() -> None:
        await _update_lag(app, settings)


async def _update_lag(app: faust.App, settings: Settings) -> None:
    tps = input_partitions(app, settings.raw_topic)
    if not tps:
        return
    admin = AIOKafkaAdminClient(**aiokafka_options(settings))
    try:
        await admin.start()
        partitions = [TopicPartition(tp.topic, tp.partition) for tp in tps]
        committed = await admin.list_consumer_group_offsets(settings.group_id, partitions=partitions)
        ends = await app.consumer.highwaters(*tps)
    except Exception as exc:  # noqa: BLE001 - a missed lag reading must not hurt the worker
        log.warning("could not read consumer lag: %r", exc)
        return
    finally:
        await admin.close()
    for tp in tps:
        end = ends.get(tp)
        meta = committed.get(TopicPartition(tp.topic, tp.partition))
        offset = meta.offset if meta is not None and meta.offset >= 0 else 0
        if end is not None:
            metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, end - offset))
