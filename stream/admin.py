"""Creating the service's topics."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from stream.kafka import aiokafka_options
from stream.settings import Settings


async def create_topics(settings: Settings) -> list[tuple[str, bool]]:
    """Create any missing topic; return (name, created) for each of the service's topics."""
    admin = AIOKafkaAdminClient(**aiokafka_options(settings))
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        names = [*settings.topics, settings.fingerprints_topic]
        missing = [name for name in names if name not in existing]
        if missing:
            new = [NewTopic(name, settings.partitions, settings.replication_factor) for name in missing]
            try:
                await admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # created meanwhile by another worker
        return [(name, name in missing) for name in names]
    finally:
        await admin.close()
