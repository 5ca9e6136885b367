"""Prometheus metrics of the service. Labels are short fixed strings, never ids or names.

Faust's own sensors are not exported; everything below is ours, served at /metrics
by the worker's web server together with the prometheus-client process metrics
(`process_*`, `python_*`).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, Info

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
LAG_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400)
COUNT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)

articles_consumed = Counter("newswire_articles_consumed_total", "Raw messages taken from the input topic.")
articles_enriched = Counter("newswire_articles_enriched_total", "Articles enriched and published.")
articles_dead_lettered = Counter(
    "newswire_articles_dead_lettered_total", "Messages sent to the dead-letter topic, by reason.", ["reason"]
)
events_produced = Counter("newswire_events_produced_total", "Events acknowledged by the broker, by output.", ["output"])
extraction_failures = Counter(
    "newswire_extraction_failures_total",
    "Articles a stage raised on (stage=parse, entities or quotes); each is dead-lettered.",
    ["stage"],
)
produce_errors = Counter("newswire_produce_errors_total", "Failed attempts to produce a batch's events.")

article_seconds = Histogram(
    "newswire_article_processing_seconds",
    "Enrichment time per article (its share of the batch).",
    buckets=LATENCY_BUCKETS,
)
batch_seconds = Histogram(
    "newswire_batch_processing_seconds",
    "Wall time of a batch: decode, enrich, produce and acks.",
    buckets=LATENCY_BUCKETS,
)
batch_size = Histogram("newswire_batch_size", "Messages per batch.", buckets=BATCH_BUCKETS)
event_lag = Histogram(
    "newswire_event_lag_seconds",
    "Now minus the article's time when its events are acknowledged: clock=published (published_at) "
    "or clock=kafka (the input record's timestamp).",
    ["clock"],
    buckets=LAG_BUCKETS,
)
nlp_seconds = Counter(
    "newswire_nlp_seconds_total",
    "CPU seconds in the NLP pool: stage=spacy (the parse) or stage=extraction (ours).",
    ["stage"],
)
quotes_per_article = Histogram("newswire_quotes_per_article", "Quotes found per article.", buckets=COUNT_BUCKETS)
entities_per_article = Histogram(
    "newswire_entities_per_article", "Canonical entities found per article.", buckets=COUNT_BUCKETS
)
quotes = Counter("newswire_quotes_total", "Quotes published, by kind.", ["kind"])

consumer_lag = Gauge(
    "newswire_consumer_lag_messages",
    "Input messages not yet committed: log end offset minus committed offset, per assigned partition.",
    ["topic", "partition"],
)
rebalances = Counter("newswire_rebalances_total", "Partition assignments received by this worker.")
assigned_partitions = Gauge("newswire_assigned_partitions", "Input partitions assigned to this worker.")
input_rewinds = Counter(
    "newswire_input_rewinds_total",
    "Input partitions sought back to an offset that was read but never processed (it is processed again).",
)
commits_held = Counter(
    "newswire_commits_held_total",
    "Input commits held back because they would have passed a fetched record that was never processed.",
)
stalled = Gauge(
    "newswire_stalled",
    "1 while input waits but no batch has finished for NEWSWIRE_STALL_TIMEOUT seconds (see /livez).",
)
ready = Gauge("newswire_ready", "1 when the model is loaded and partitions are assigned.")
build = Info("newswire_build", "Service, model and library versions.")

story_versions = Counter(
    "newswire_story_versions_total",
    "Article versions by outcome: first, update, replay (already processed) or stale (older than the last; "
    "no quote changes).",
    ["outcome"],
)
lineage_events = Counter(
    "newswire_lineage_events_total", "Quote lineage events published, by change (first_seen, repeated).", ["change"]
)
state_entries = Gauge(
    "newswire_state_entries", "Entries in this worker's active table partitions, after the last expiry.", ["table"]
)
state_expired = Counter(
    "newswire_state_expired_total", "Table entries deleted after NEWSWIRE_STATE_RETENTION.", ["table"]
)
