"""stream.produce puts each key where Faust's topic.send would, in the order given, and waits for the acks."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import MessageSizeTooLargeError

from stream.agents import fits_in_request
from stream.app import Topics, create_app, declare_topics
from stream.produce import produce
from stream.routing import Message
from stream.settings import Settings

from .conftest import Broker

# Unlike settings.partitions (4): the partition count must come from the broker's metadata.
PARTITIONS = 7
OUTPUTS = ("enriched", "entities")


@pytest.fixture
async def topics(broker: Broker, tmp_path: Path) -> AsyncIterator[Topics]:
    suffix = uuid.uuid4().hex[:8]
    env = {
        "NEWSWIRE_BOOTSTRAP_SERVERS": broker.bootstrap,
        "NEWSWIRE_GROUP_ID": f"test-{suffix}",
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
        "NEWSWIRE_PARTITIONS": "4",
        **{f"NEWSWIRE_{name.upper()}_TOPIC": f"test-{suffix}.{name}" for name in ("raw", *OUTPUTS)},
    }
    settings = Settings.from_env(env)
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        names = [settings.raw_topic, settings.enriched_topic, settings.entities_topic]
        await admin.create_topics([NewTopic(name, PARTITIONS, 1) for name in names])
    finally:
        await admin.close()
    app = create_app(settings)
    declared = declare_topics(app, settings)
    producer = await app.maybe_start_producer()
    try:
        yield declared
    finally:
        await producer.stop()


async def read_back(broker: Broker, topic: str, count: int) -> list[tuple[int, str, dict]]:
    """(partition, key, value) of the first `count` records, each partition in offset order."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    records: list[tuple[int, str, dict]] = []
    try:
        while len(records) < count:
            batches = await consumer.getmany(timeout_ms=10_000)
            assert batches, f"only {len(records)} of {count} records on {topic}"
            for tp, batch in sorted(batches.items()):
                records += [(tp.partition, r.key.decode(), orjson.loads(r.value)) for r in batch]
    finally:
        await consumer.stop()
    return records


async def test_each_key_goes_where_topic_send_puts_it_and_keeps_its_order(broker: Broker, topics: Topics) -> None:
    keys = [f"article-{i}" for i in range(40)] + ["Angela Merkel", "Ontario", "é", ""]
    faust_partition = {}
    for key in keys:
        sent = await topics.entities_topic.send(key=key.encode(), value=b"{}")
        faust_partition[key] = (await sent).partition
    assert len(set(faust_partition.values())) > 4  # the keys spread over more than settings.partitions

    # Records above the producer's batch size (16 kB) start new batches: order must hold across them.
    messages = [
        Message(OUTPUTS[i % 2], key, orjson.dumps({"seq": i, "pad": "x" * (20_000 if i % 7 == 0 else 50)}))
        for i in range(600)
        for key in [keys[(i * 7) % len(keys)]]
    ]
    await produce(messages, topics, fits_in_request)

    for output in OUTPUTS:
        topic = topics.for_output(output).get_topic_name()
        sent = [m for m in messages if m.output == output]
        stored = await read_back(broker, topic, len(sent) + (len(keys) if output == "entities" else 0))
        seen: dict[str, list[int]] = defaultdict(list)
        for partition, key, value in stored:
            if "seq" not in value:
                continue  # the topic.send probes above
            assert partition == faust_partition[key], key
            seen[key].append(value["seq"])
        expected: dict[str, list[int]] = defaultdict(list)
        for message in sent:
            expected[message.key].append(orjson.loads(message.value)["seq"])
        assert seen == expected


async def test_a_record_over_the_request_limit_is_refused_as_aiokafka_send_refuses_it(topics: Topics) -> None:
    messages = [Message("entities", "small", b"{}"), Message("enriched", "big", b"x" * 1_000_001)]
    with pytest.raises(MessageSizeTooLargeError):
        await produce(messages, topics, fits_in_request)
