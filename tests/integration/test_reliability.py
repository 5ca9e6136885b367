"""Nothing lost when workers crash, stop, restart or share the work.

Each test reports sent / received / duplicates / lost on stdout (run pytest -s).
"""

from __future__ import annotations

import signal
import time
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import pytest

pytestmark = pytest.mark.integration

SENTENCES = [
    '"We will reopen the bridge on Friday," Mayor Lena Roth said in Vienna.',
    "The ministry said exports rose 4% in March, according to the statistics office.",
    "Coach Maarten Kuipers told reporters the team was ready.",
    '"It is a fair deal," she said, adding that talks would go on.',
]


def articles(prefix: str, count: int) -> list[tuple[str, bytes]]:
    """Short articles so a few hundred flow through in seconds."""
    out = []
    for i in range(count):
        body = f"{SENTENCES[i % 4]} {SENTENCES[(i + 1) % 4]} Item {i}."
        out.append((f"{prefix}-{i}", orjson.dumps({"id": f"{prefix}-{i}", "body": body})))
    return out


def tally(sent: list[tuple[str, bytes]], events: list[dict]) -> dict[str, int]:
    """sent / received / duplicates / lost, after checking duplicates are identical."""
    by_id: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        by_id[event["article_id"]].append(event)
    for article_id, copies in by_id.items():
        assert len({c["event_id"] for c in copies}) == 1, f"duplicates of {article_id} differ in event_id"
    sent_ids = {key for key, _ in sent}
    report = {
        "sent": len(sent),
        "received": len(events),
        "duplicates": len(events) - len(by_id),
        "lost": len(sent_ids - by_id.keys()),
    }
    print(report)
    return report


def wait_until(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def wait_for_every_article(worker, sent: list[tuple[str, bytes]], timeout: float = 180) -> None:  # type: ignore[no-untyped-def]
    """Wait until the enriched topic holds an event for every sent article id."""
    wait_until(lambda: worker.count("enriched") >= len(sent), timeout)  # cheap, while the worker is busy
    ids = {key for key, _ in sent}
    wait_until(lambda: {e["article_id"] for e in worker.consume("enriched", 0, timeout=0)} >= ids, timeout)


def test_kill_9_mid_stream_loses_nothing(make_worker) -> None:
    worker = make_worker(batch_size="8")
    worker.start()
    sent = articles("crash", 1500)
    worker.produce(sent)
    wait_until(lambda: worker.count("enriched") >= 40)
    pool = worker.children()
    assert pool, "the worker runs its NLP in child processes"
    assert worker.stop(signal.SIGKILL) == -signal.SIGKILL
    # The orphaned NLP processes notice and exit instead of holding their models forever.
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pool), 15)
    partial = worker.count("enriched")
    assert partial < len(sent), "the crash came too late to test anything"

    worker.start()
    wait_for_every_article(worker, sent)
    report = tally(sent, worker.consume("enriched", 0, timeout=0))
    assert report["lost"] == 0


def test_sigterm_stops_in_bounded_time_and_restart_redoes_nothing_committed(make_worker) -> None:
    worker = make_worker(batch_size="8")
    worker.start()
    sent = articles("term", 1000)
    worker.produce(sent)
    wait_until(lambda: worker.count("enriched") >= 30)
    started = time.monotonic()
    assert worker.stop(signal.SIGTERM, wait=60) == 0
    stop_seconds = time.monotonic() - started
    print({"stop_seconds": round(stop_seconds, 1)})
    assert stop_seconds < 30

    worker.start()
    wait_for_every_article(worker, sent)
    report = tally(sent, worker.consume("enriched", 0, timeout=0))
    assert report["lost"] == 0
    # At most the batch in flight at the stop is done twice.
    assert report["duplicates"] <= 8

    # Stopped idle, everything committed: a restart reprocesses nothing.
    before = worker.count("enriched")
    assert worker.stop(signal.SIGTERM) == 0
    worker.start()
    worker.produce([("marker", orjson.dumps({"id": "marker", "body": "Anna Berg said it rained."}))])
    wait_until(lambda: worker.count("enriched") > before)
    time.sleep(3)  # anything reprocessed would have arrived with or before the marker
    assert worker.count("enriched") == before + 1
    assert worker.consume("enriched", 0, timeout=0)[-1]["article_id"] == "marker" or any(
        e["article_id"] == "marker" for e in worker.consume("enriched", 0, timeout=0)
    )


def test_a_worker_joining_and_leaving_loses_nothing_and_keeps_order(make_worker) -> None:
    first = make_worker(batch_size="8", partitions="4")
    first.start()
    # Ten versions of each of 30 articles: per id they must come out in order.
    sent = []
    for version in range(10):
        for i in range(30):
            key = f"story-{i}"
            body = f"{SENTENCES[i % 4]} Update {version}."
            sent.append((key, orjson.dumps({"id": key, "body": body, "version": version})))
    first.produce(sent[:100])
    wait_until(lambda: first.count("enriched") >= 20)

    second = make_worker(batch_size="8", partitions="4")
    # Its own web port and data directory (RocksDB allows one process per directory).
    second.env = {
        **first.env,
        "NEWSWIRE_WEB_PORT": second.env["NEWSWIRE_WEB_PORT"],
        "NEWSWIRE_DATA_DIR": second.env["NEWSWIRE_DATA_DIR"],
    }
    second.topics = first.topics
    second.start()
    first.produce(sent[100:200])
    wait_until(lambda: first.count("enriched") >= 150, 120)
    assert second.stop(signal.SIGTERM) == 0
    first.produce(sent[200:])

    def versions() -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for event in first.consume("enriched", 0, timeout=0):
            out[event["article_id"]].append(event["version"])
        return out

    wait_until(lambda: first.count("enriched") >= len(sent), 180)
    wait_until(lambda: sum(len(set(v)) for v in versions().values()) == len(sent), 180)
    seen = versions()
    for key, got in seen.items():
        # Duplicates may repeat a version after a rebalance, never go back before it.
        deduped = [v for i, v in enumerate(got) if i == 0 or v != got[i - 1]]
        firsts = list(dict.fromkeys(deduped))
        assert firsts == sorted(firsts), f"{key} out of order: {got}"
    report = tally(
        [(f"{k}@{orjson.loads(v)['version']}", v) for k, v in sent],
        [{**e, "article_id": f"{e['article_id']}@{e['version']}"} for e in first.consume("enriched", 0, timeout=0)],
    )
    assert report["lost"] == 0
    assert Counter(e["article_id"] for e in first.consume("enriched", 0, timeout=0)).keys() == {k for k, _ in sent}
