"""What the worker tells the outside: /metrics, /livez, /readyz, consumer lag, rebalances."""

from __future__ import annotations

import logging
import time
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
from stream.rewind import in_flight_messages, reread_from_committed
from stream.settings import Settings
from stream.watchdog import Progress, liveness, should_reread, stalled_seconds

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


def messages_in_flight(consumer: Any) -> int:
    """How many messages an agent holds unacknowledged (see rewind.in_flight_messages)."""
    return len(in_flight_messages(consumer))


def install(app: faust.App, pool: EnrichPool, settings: Settings, progress: Progress) -> None:
    """Register the health and metrics endpoints, the lag and stall timer and the rebalance hook."""
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
        # Answering at all shows the event loop runs; a stuck pipeline answers 503.
        status, body = liveness(progress, now=time.monotonic(), timeout=settings.stall_timeout)
        return web.json(body, status=status)

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
        # Recovery after an assignment is not a stall: the timeout starts now.
        progress.observe_lag(0)

    @app.timer(interval=LAG_INTERVAL)  # type: ignore[untyped-decorator]
    async def update_consumer_lag() -> None:
        lag = await _update_lag(app, settings, progress)
        if lag is not None:
            progress.observe_lag(lag)
        report_stall(app, progress, settings)
        if should_reread(
            progress, in_flight=messages_in_flight(app.consumer), now=time.monotonic(), timeout=settings.stall_timeout
        ):
            await reread_from_committed(app)


def report_stall(app: faust.App, progress: Progress, settings: Settings) -> None:
    """Log a stall once when it starts (with what the consumer holds) and once when it ends."""
    stalled = stalled_seconds(progress, now=time.monotonic(), timeout=settings.stall_timeout)
    was_stalled, progress.stalled = progress.stalled, bool(stalled)
    metrics.stalled.set(1 if stalled else 0)
    if stalled and not was_stalled:
        consumer = app.consumer
        log.error(
            "pipeline stalled: no batch finished for %.0fs with %d messages waiting; stage: %s; "
            "broker not answering: %s; batches so far: %d; messages in flight: %d (unacked set: %d); flow active: %s; "
            "in recovery: %s; assigned: %s",
            stalled,
            progress.lag,
            progress.stage,
            progress.broker_error,
            progress.batches,
            messages_in_flight(consumer),
            len(consumer.unacked),
            app.flow_control.is_active(),
            app.in_recovery,
            sorted(f"{tp.topic}[{tp.partition}]" for tp in input_partitions(app, settings.raw_topic)),
        )
    elif was_stalled and not stalled:
        log.warning("pipeline moving again (stage: %s)", progress.stage)


async def _update_lag(app: faust.App, settings: Settings, progress: Progress) -> int | None:
    """Export each input partition's lag; return their sum (0 with none assigned), None when unreadable.

    Whether the broker answered is told to `progress`: a stall during an outage is
    the broker's, and a restart would not cure it.
    """
    tps = input_partitions(app, settings.raw_topic)
    if not tps:
        return 0
    admin = AIOKafkaAdminClient(**aiokafka_options(settings))
    try:
        await admin.start()
        partitions = [TopicPartition(tp.topic, tp.partition) for tp in tps]
        committed = await admin.list_consumer_group_offsets(settings.group_id, partitions=partitions)
        ends = await app.consumer.highwaters(*tps)
    except Exception as exc:  # noqa: BLE001 - a missed lag reading must not hurt the worker
        log.warning("could not read consumer lag: %r", exc)
        progress.broker_failing(f"consumer lag unreadable: {exc!r}")
        return None
    finally:
        await admin.close()
    progress.broker_answered()
    total = 0
    for tp in tps:
        end = ends.get(tp)
        meta = committed.get(TopicPartition(tp.topic, tp.partition))
        offset = meta.offset if meta is not None and meta.offset >= 0 else 0
        if end is not None:
            lag = max(0, end - offset)
            metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)
            total += lag
    return total
