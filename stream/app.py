"""The Faust application and its topics, built from Settings."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import faust

from stream.kafka import ssl_context
from stream.settings import Settings

# The largest produce request, and so the largest record, the producer sends
# (Faust's and aiokafka's producer_max_request_size); the broker's default
# message.max.bytes (1048588) is above it.
PRODUCER_MAX_REQUEST_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Topics:
    raw_topic: faust.TopicT
    enriched_topic: faust.TopicT
    quotes_topic: faust.TopicT
    entities_topic: faust.TopicT
    dlq_topic: faust.TopicT
    lineage_topic: faust.TopicT
    fingerprints_topic: faust.TopicT

    def for_output(self, output: str) -> faust.TopicT:
        """The topic of an output name (enriched, quotes, entities, dlq, lineage, fingerprints)."""
        topic: faust.TopicT = getattr(self, f"{output}_topic")
        return topic


def create_app(settings: Settings) -> faust.App:
    """A Faust app whose topics carry raw bytes: orjson runs at our own edges.

    `env={}`: Faust would otherwise read un-prefixed variables (PRODUCER_ACKS,
    BROKER_URL, WEB_PORT, ...) over these arguments; the settings come from
    `Settings` alone.
    """
    return faust.App(
        settings.group_id,
        env={},
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        broker_credentials=_credentials(settings),
        key_serializer="raw",
        value_serializer="raw",
        producer_acks=-1,
        producer_max_request_size=PRODUCER_MAX_REQUEST_BYTES,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_auto_offset_reset="earliest",
        datadir=str(Path(settings.data_dir).absolute()),
        # Tables live in RocksDB (the rocksdict driver, see stream.state) under the data directory; their
        # changelog topics get topic_replication_factor.
        store="rocksdb://",
        web_host=settings.web_host,
        web_port=settings.web_port,
        # Where other workers forward a table query for a key this worker holds.
        canonical_url=f"http://{advertised_host(settings.web_host)}:{settings.web_port}",
        web_bind=settings.web_host,
        web_in_thread=False,
        # One event loop turn spent in Python per batch is expected; the NLP
        # itself runs in the pool, so this only warns on real stalls.
        blocking_timeout=None,
    )


def advertised_host(web_host: str) -> str:
    """The address other workers reach this one at: the bound host, or this host's address for a wildcard."""
    if web_host in ("", "0.0.0.0", "::"):  # noqa: S104 - a comparison, not a bind
        return socket.gethostbyname(socket.gethostname())
    return web_host


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    def topic(name: str) -> faust.TopicT:
        return app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            partitions=settings.partitions,
            replicas=settings.replication_factor,
        )

    return Topics(
        raw_topic=topic(settings.raw_topic),
        enriched_topic=topic(settings.enriched_topic),
        quotes_topic=topic(settings.quotes_topic),
        entities_topic=topic(settings.entities_topic),
        dlq_topic=topic(settings.dlq_topic),
        lineage_topic=topic(settings.lineage_topic),
        fingerprints_topic=topic(settings.fingerprints_topic),
    )


def _credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.reveal(),
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None
