"""Producing articles from files to the raw topic."""

from __future__ import annotations

import sys

import orjson
from aiokafka import AIOKafkaProducer

from stream.errors import ArticleError
from stream.files import read_articles
from stream.kafka import aiokafka_options
from stream.settings import Settings


async def replay(settings: Settings, paths: list[str], *, topic: str | None, repeat: int, validate: bool) -> int:
    """Send every article in `paths` (`repeat` times), keyed by id; 2 if any was skipped."""
    records, skipped = [], 0
    for where, record, checked in read_articles(paths, max_chars=settings.max_body_chars):
        # --raw sends even records that break the contract, but never unparseable text.
        if isinstance(checked, ArticleError) and (validate or isinstance(record, ArticleError)):
            skipped += 1
            print(f"newswire: skipped {where}: {checked}", file=sys.stderr)
            continue
        records.append(record)
    producer = AIOKafkaProducer(**aiokafka_options(settings), acks="all", enable_idempotence=True)
    try:
        await producer.start()  # inside the try: a failed start must still close the client
        for _ in range(repeat):
            for record in records:
                key = record.get("id") if isinstance(record, dict) else None
                await producer.send(
                    topic or settings.raw_topic,
                    orjson.dumps(record),
                    key=str(key).encode() if key is not None else None,
                )
        await producer.flush()
    finally:
        await producer.stop()
    print(f"sent {len(records) * repeat} articles to {topic or settings.raw_topic}", file=sys.stderr)
    return 2 if skipped else 0
