"""The largest event the worker lets through is one the producer and the broker accept."""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError

from stream.agents import fits_in_request
from stream.app import PRODUCER_MAX_REQUEST_BYTES, create_app
from stream.settings import Settings

from .conftest import Broker, kcat

pytestmark = pytest.mark.integration


def largest_value(key: bytes) -> int:
    """The longest value fits_in_request() accepts with this key (binary search)."""
    low, high = 0, PRODUCER_MAX_REQUEST_BYTES
    while low < high:
        middle = (low + high + 1) // 2
        if fits_in_request(key, b"x" * middle):
            low = middle
        else:
            high = middle - 1
    return low


async def test_events_at_the_limit_are_sent_and_one_byte_more_is_refused(broker: Broker) -> None:
    # The worker's producer: Faust passes these settings on to aiokafka.
    conf = create_app(Settings(bootstrap_servers=broker.bootstrap)).conf
    topic = f"test-{uuid.uuid4().hex[:8]}.size"
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap,
        acks="all",
        max_request_size=conf.producer_max_request_size,
        compression_type=conf.producer_compression_type,
    )
    await producer.start()
    try:
        for key in (b"k", b"an-article-id-" + b"9" * 100):
            size = largest_value(key)
            assert size > PRODUCER_MAX_REQUEST_BYTES - len(key) - 100, "the record overhead is under 100 bytes"
            metadata = await producer.send_and_wait(topic, b"x" * size, key=key)
            assert metadata.offset >= 0
            assert not fits_in_request(key, b"x" * (size + 1))
            with pytest.raises(MessageSizeTooLargeError):
                await producer.send_and_wait(topic, b"x" * (size + 1), key=key)
    finally:
        await producer.stop()
    sizes = kcat(broker, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%S\n").split()
    assert len(sizes) == 2
