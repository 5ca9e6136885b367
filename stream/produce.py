"""Produce a batch's messages as one record batch per topic-partition.

Why: an article makes about 90 output events, and `topic.send()` costs each one a
Faust FutureMessage and PendingMessage, sensor and signal calls, a done callback and
a trip through aiokafka's accumulator. That per-message work was the event loop's
largest cost. Here a message is one append to an aiokafka record batch, and a batch
(not a message) is handed to the producer.

It is the aiokafka producer Faust already runs, so TLS/SASL, acks=all, compression,
batch and request sizes are Faust's; partitions are chosen by that producer's own
partitioner over its own metadata, so a key lands where `topic.send(key=...)`
would put it. Records of one partition are appended, and their batches submitted,
in the order given, so each key keeps its order on each topic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError
from aiokafka.producer.message_accumulator import BatchBuilder

from stream.app import Topics
from stream.routing import Message

log = logging.getLogger(__name__)

Fits = Callable[[bytes, bytes], bool]


@dataclass(slots=True)
class Batch:
    """A record batch for one partition, and its records should they have to be sent one by one."""

    builder: BatchBuilder
    records: list[tuple[bytes, bytes]] = field(default_factory=list)


async def produce(messages: Sequence[Message], topics: Topics, fits: Fits) -> None:
    """Send messages and return once the broker has acknowledged every one; raise on any failure.

    `fits(key, value)` is the size check the records were routed with: a record
    the producer's request cannot hold raises, as aiokafka's own `send()` does.
    """
    if not messages:
        return
    faust_producer = await topics.raw_topic.app.maybe_start_producer()
    producer: AIOKafkaProducer = faust_producer._ensure_producer()
    batches = await build_batches(messages, topics, producer, faust_producer.partitioner, fits)
    futures: list[asyncio.Future[object]] = []
    async with asyncio.TaskGroup() as group:
        submitted = [
            group.create_task(submit(producer, topic, partition, chain))
            for (topic, partition), chain in batches.items()
        ]
    for task in submitted:
        futures += task.result()
    await asyncio.gather(*futures)


async def build_batches(
    messages: Sequence[Message],
    topics: Topics,
    producer: AIOKafkaProducer,
    partitioner: Callable[[bytes, list[int], list[int]], int],
    fits: Fits,
) -> dict[tuple[str, int], list[Batch]]:
    """The messages appended, in order, to record batches per (topic, partition)."""
    names: dict[str, str] = {}
    partitions: dict[str, tuple[list[int], list[int]]] = {}
    chosen: dict[tuple[str, bytes], int] = {}
    batches: dict[tuple[str, int], list[Batch]] = {}
    for message in messages:
        topic = names.get(message.output)
        if topic is None:
            topic = names[message.output] = topics.for_output(message.output).get_topic_name()
            known = sorted(await producer.partitions_for(topic))
            available = list(producer.client.cluster.available_partitions_for_topic(topic) or ())
            partitions[topic] = (known, available)
        key, value = message.key.encode(), message.value
        if not fits(key, value):
            raise MessageSizeTooLargeError(f"a {message.output} record of {len(value)} bytes is over the request limit")
        partition = chosen.get((topic, key))
        if partition is None:
            partition = chosen[topic, key] = partitioner(key, *partitions[topic])
        chain = batches.get((topic, partition))
        if chain is None:
            chain = batches[topic, partition] = [Batch(producer.create_batch())]
        if chain[-1].builder.append(timestamp=None, key=key, value=value) is None:
            # Full: a new batch always takes its first record, whatever its size.
            chain.append(Batch(producer.create_batch()))
            chain[-1].builder.append(timestamp=None, key=key, value=value)
        chain[-1].records.append((key, value))
    return batches


async def submit(
    producer: AIOKafkaProducer, topic: str, partition: int, chain: list[Batch]
) -> list[asyncio.Future[object]]:
    """Queue one partition's batches in order; each waits for the one before it to leave the queue.

    Should the producer's metadata no longer list the partition when a batch's
    turn comes (it changed while earlier batches waited), that batch and the rest
    go record by record through `send()`, which picks partitions from the metadata
    of the moment, as `topic.send()` does, instead of failing every retry.
    """
    futures: list[asyncio.Future[object]] = []
    for i, batch in enumerate(chain):
        # No await between this check and send_batch's own: both see the same metadata.
        if partition not in (producer.client.cluster.partitions_for_topic(topic) or ()):
            log.warning(
                "%s[%d] is not in the producer's metadata now; sending its records one by one", topic, partition
            )
            for later in chain[i:]:
                futures += [await producer.send(topic, value, key=key) for key, value in later.records]
            break
        futures.append(await producer.send_batch(batch.builder, topic, partition=partition))
    return futures
