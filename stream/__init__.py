"""newswire stream: enrich news articles from Kafka with entities and quotes."""

__version__ = "0.1.0"
