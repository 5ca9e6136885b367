"""stream.produce without a broker: partitions from the producer's metadata, order across batches, waiting for acks.

tests/integration/test_produce.py checks the same against a real broker and Faust's own topic.send.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import orjson
import pytest
from aiokafka.errors import KafkaTimeoutError
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from aiokafka.record.default_records import DefaultRecordBatch

from stream.agents import fits_in_request
from stream.produce import produce
from stream.routing import Message

BATCH_BYTES = 16_384  # Faust's default producer_max_batch_size


class FakeProducer:
    """The parts of AIOKafkaProducer that produce() uses; the broker acks when told to."""

    def __init__(self, partitions: int) -> None:
        self.partitions = set(range(partitions))
        cluster = SimpleNamespace(
            partitions_for_topic=lambda t: self.partitions, available_partitions_for_topic=lambda t: self.partitions
        )
        self.client = SimpleNamespace(cluster=cluster)
        self.sent: list[tuple[str, int, BatchBuilder]] = []
        self.one_by_one: list[tuple[str, str, int]] = []
        self.acks: list[asyncio.Future[object]] = []
        self.queued: dict[tuple[str, int], asyncio.Future[object]] = {}

    async def partitions_for(self, topic: str) -> set[int]:
        return self.partitions

    def create_batch(self) -> BatchBuilder:
        return BatchBuilder(BATCH_BYTES, 0)

    async def send_batch(self, batch: BatchBuilder, topic: str, *, partition: int) -> asyncio.Future[object]:
        assert partition in self.partitions, "Unrecognized partition"  # as aiokafka checks
        ack: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        previous = self.queued.get((topic, partition))
        self.queued[topic, partition] = ack
        self.sent.append((topic, partition, batch))
        self.acks.append(ack)
        if previous is not None:  # like aiokafka, wait for the partition's previous batch to leave
            await asyncio.wait([previous])
        return ack

    async def send(self, topic: str, value: bytes, *, key: bytes) -> asyncio.Future[object]:
        self.one_by_one.append((topic, key.decode(), orjson.loads(value)["seq"]))
        self.acks.append(asyncio.get_running_loop().create_future())
        return self.acks[-1]

    def records(self) -> list[tuple[str, int, str, int]]:
        """(topic, partition, key, seq) in the order the batches were queued."""
        return [
            (topic, partition, record.key.decode(), orjson.loads(record.value)["seq"])
            for topic, partition, batch in self.sent
            for record in DefaultRecordBatch(bytes(batch._build()))
        ]


def fake_topics(producer: FakeProducer) -> SimpleNamespace:
    faust_producer = SimpleNamespace(_ensure_producer=lambda: producer, partitioner=DefaultPartitioner())

    async def maybe_start_producer() -> SimpleNamespace:
        return faust_producer

    app = SimpleNamespace(maybe_start_producer=maybe_start_producer)
    topic = {output: SimpleNamespace(get_topic_name=lambda o=output: f"t.{o}") for output in ("enriched", "entities")}
    return SimpleNamespace(raw_topic=SimpleNamespace(app=app), for_output=topic.__getitem__)


def messages(count: int, *, pad: int = 5000) -> list[Message]:
    """Keys cycling over 9 names and two outputs; with the default pad, several batches per partition."""
    return [
        Message(("enriched", "entities")[i % 2], f"key-{i % 9}", orjson.dumps({"seq": i, "pad": "x" * (i % 5) * pad}))
        for i in range(count)
    ]


async def acked(producer: FakeProducer, sending: asyncio.Task[None]) -> None:
    while not sending.done():
        await asyncio.sleep(0.01)
        for ack in producer.acks:
            if not ack.done():
                ack.set_result(None)
    await sending


async def test_each_key_keeps_its_partition_and_order_across_batches() -> None:
    producer = FakeProducer(partitions=7)
    sent = messages(300)
    await acked(producer, asyncio.create_task(produce(sent, fake_topics(producer), fits_in_request)))  # type: ignore[arg-type]

    records = producer.records()
    assert len(records) == len(sent) and len(producer.sent) > 2 * 7  # several batches per partition
    partitioner = DefaultPartitioner()
    for topic, partition, key, _ in records:
        assert partition == partitioner(key.encode(), list(range(7)), list(range(7))), (topic, key)
    for output in ("enriched", "entities"):
        for key in {m.key for m in sent}:
            stored = [seq for topic, _, k, seq in records if topic == f"t.{output}" and k == key]
            assert stored == [orjson.loads(m.value)["seq"] for m in sent if m.output == output and m.key == key]


async def test_produce_returns_only_once_every_batch_is_acknowledged() -> None:
    producer = FakeProducer(partitions=3)
    sending = asyncio.create_task(produce(messages(20, pad=1), fake_topics(producer), fits_in_request))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    for ack in producer.acks[:-1]:
        ack.set_result(None)
    await asyncio.sleep(0.05)
    assert not sending.done()
    producer.acks[-1].set_result(None)
    await asyncio.wait_for(sending, 1)


async def test_a_failed_batch_fails_the_whole_produce() -> None:
    producer = FakeProducer(partitions=3)
    sending = asyncio.create_task(produce(messages(20, pad=1), fake_topics(producer), fits_in_request))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    producer.acks[0].set_exception(KafkaTimeoutError())
    with pytest.raises(KafkaTimeoutError):
        await asyncio.wait_for(sending, 1)


async def test_nothing_to_send_touches_no_producer() -> None:
    await produce([], None, fits_in_request)  # type: ignore[arg-type]


async def test_batches_whose_partition_left_the_metadata_go_one_by_one_in_order() -> None:
    producer = FakeProducer(partitions=3)
    sending = asyncio.create_task(produce(messages(60), fake_topics(producer), fits_in_request))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)  # the first batch of each partition is queued, the next ones wait for it
    queued = [p for _, p, _ in producer.sent].count(2)
    producer.partitions = {0, 1}
    await acked(producer, sending)

    assert [p for _, p, _ in producer.sent].count(2) == queued and producer.one_by_one
    seqs = [seq for _, _, _, seq in producer.records()] + [seq for _, _, seq in producer.one_by_one]
    assert sorted(seqs) == list(range(60))
    for topic, key in {(topic, key) for topic, key, _ in producer.one_by_one}:
        later = [seq for t, k, seq in producer.one_by_one if (t, k) == (topic, key)]
        assert later == sorted(later)
