"""Story versions, quote lineage, durable state and the query views, against the real broker."""

from __future__ import annotations

import shutil
import signal
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import orjson
import pytest

from stream.lineage import fingerprint

from .conftest import Worker, free_port, kcat

pytestmark = pytest.mark.integration

LEAD = "RIVERTON, March 3 — The city council met on Tuesday to discuss the flood damage."
BRIDGE = '"We will rebuild the bridge before the winter comes," Mayor Anna Berg said.'
BRIDGE_FIXED = '"We will rebuild the old bridge before the first snow," Mayor Anna Berg said.'
MONEY = '"The money for the repairs has already been set aside," said Tom Weller, the city treasurer.'

# Three versions: the second adds a paragraph with a quote, the third corrects the first quote's words.
VERSIONS = {1: [LEAD, BRIDGE], 2: [LEAD, BRIDGE, MONEY], 3: [LEAD, BRIDGE_FIXED, MONEY]}
BRIDGE_WORDS = "We will rebuild the bridge before the winter comes,"
FIXED_WORDS = "We will rebuild the old bridge before the first snow,"
MONEY_WORDS = "The money for the repairs has already been set aside,"
# (change, quote, version of the event, first_version) for one story.
EXPECTED_CHANGES = {
    ("added", BRIDGE_WORDS, 1, 1),
    ("added", MONEY_WORDS, 2, 2),
    ("removed", BRIDGE_WORDS, 3, 1),
    ("added", FIXED_WORDS, 3, 3),
}
# Stories spread over both partitions, so a batch mixes partitions.
STORIES = [f"story-{i}" for i in range(6)]


def version(story: str, number: int) -> tuple[str, bytes]:
    body = "\n\n".join(VERSIONS[number])
    return story, orjson.dumps({"id": story, "version": number, "source": "Wire A", "body": body})


def wait_until(condition, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.5)


def changes(worker: Worker) -> dict[str, Counter[tuple[str, str, int, int]]]:
    """Quote changes per article, each with how many times it was published."""
    out: dict[str, Counter[tuple[str, str, int, int]]] = {}
    for q in worker.consume("quotes", 0, timeout=0):
        out.setdefault(q["article_id"], Counter())[(q["change"], q["quote"], q["version"], q["first_version"])] += 1
    return out


def versions_enriched(worker: Worker) -> set[tuple[str, int]]:
    return {(e["article_id"], e["version"]) for e in worker.consume("enriched", 0, timeout=0)}


def partitions_of(worker: Worker, stories: list[str]) -> set[str]:
    out = kcat(worker.broker, "-C", "-t", worker.topics["raw"], "-o", "beginning", "-e", "-q", "-f", "%k %p\n")
    return {line.split()[1] for line in out.decode().splitlines() if line.split()[0] in stories}


def test_three_versions_give_exactly_the_added_and_removed_quotes(make_worker) -> None:
    worker = make_worker(batch_size="16", batch_wait="1.0")
    worker.start()
    for number in (1, 2, 3):
        # All stories' version N in one produce: batches mix both partitions.
        worker.produce([version(story, number) for story in STORIES])
        wait_until(lambda n=number: {(s, n) for s in STORIES} <= versions_enriched(worker))
    assert partitions_of(worker, STORIES) == {"0", "1"}

    enriched = {(e["article_id"], e["version"]): e for e in worker.consume("enriched", 0, timeout=0)}
    assert enriched[("story-0", 1)]["previous_version"] is None
    assert enriched[("story-0", 3)]["previous_version"] == 2
    assert len(enriched[("story-0", 3)]["quotes"]) == 2  # the full picture stays on the enriched topic

    time.sleep(2)  # anything extra would arrive with the last version
    got = changes(worker)
    for story in STORIES:
        assert set(got[story]) == EXPECTED_CHANGES, story
        assert all(count == 1 for count in got[story].values()), got[story]

    # An old version sent again: no quote changes, the enriched event still published.
    worker.produce([version("story-0", 1)])
    wait_until(lambda: sum(1 for e in worker.consume("enriched", 0, timeout=0) if e["article_id"] == "story-0") == 4)
    time.sleep(2)
    assert changes(worker)["story-0"] == got["story-0"]
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}/metrics").read().decode()
    assert 'newswire_story_versions_total{outcome="stale"} 1.0' in metrics


def test_one_quote_in_two_articles_gives_one_lineage_with_the_earlier_first(make_worker) -> None:
    worker = make_worker()
    worker.start()
    said = "said the minister, who spoke to reporters in the capital on Monday."
    quote = "The new rail line will connect every city in the north by 2030"
    later = {
        "id": "later",
        "source": "Wire B",
        "published_at": "2026-03-03T12:00:00Z",
        "body": f"LONDON, March 3 — Officials met.\n\n“{quote.upper()},” {said}",
    }
    earlier = {
        "id": "earlier",
        "source": "Wire A",
        "published_at": "2026-03-03T10:00:00Z",
        "body": f'PARIS, March 3 — Officials met.\n\n"{quote}," {said}\n\n"{quote}," he said again.',
    }
    # The later article arrives first; the earlier one repeats the quote within itself.
    worker.produce([("later", orjson.dumps(later))])
    wait_until(lambda: len(worker.consume("lineage", 0, timeout=0)) >= 1)
    worker.produce([("earlier", orjson.dumps(earlier))])
    wait_until(lambda: len(worker.consume("lineage", 0, timeout=0)) >= 2)
    # A later version of an article that already carries the quote does not count.
    worker.produce([("earlier", orjson.dumps({**earlier, "version": 2, "body": earlier["body"] + "\n\nMore."}))])
    wait_until(lambda: len(worker.consume("enriched", 0, timeout=0)) >= 3)
    time.sleep(3)

    events = worker.consume("lineage", 0, timeout=0)
    key = fingerprint(quote)
    assert [(e["change"], e["count"], e["occurrence"]["article_id"]) for e in events] == [
        ("first_seen", 1, "later"),
        ("repeated", 2, "earlier"),
    ]
    assert {e["fingerprint"] for e in events} == {key}
    assert events[1]["first"]["article_id"] == "earlier"

    port = worker.env["NEWSWIRE_WEB_PORT"]
    record = orjson.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/quotes/{key}").read())
    assert (record["count"], record["first"]["article_id"], record["first"]["source"]) == (2, "earlier", "Wire A")


def committed(worker: Worker) -> bool:
    """True once the worker reports no input lag on any partition: its input offsets are committed."""
    url = f"http://127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}/metrics"
    lines = urllib.request.urlopen(url).read().decode().splitlines()
    lags = [line.rsplit(" ", 1)[1] for line in lines if line.startswith("newswire_consumer_lag_messages{")]
    return len(lags) == int(worker.env["NEWSWIRE_PARTITIONS"]) and all(float(lag) == 0 for lag in lags)


def test_kill_9_between_versions_and_an_emptied_data_dir_restore_the_state(make_worker) -> None:
    worker = make_worker(batch_size="16", batch_wait="1.0")
    worker.start()
    worker.produce([version(story, 1) for story in STORIES])
    wait_until(lambda: {(s, 1) for s in STORIES} <= versions_enriched(worker))
    # Killed once the input is committed: only the changelog can bring version 1 back.
    wait_until(lambda: committed(worker), 60)
    assert worker.stop(signal.SIGKILL) == -signal.SIGKILL
    data = Path(worker.env["NEWSWIRE_DATA_DIR"])
    assert any(data.rglob("*.db")), "the tables were not in RocksDB under the data directory"
    shutil.rmtree(data)

    # The restarted worker has no local state: it restores the tables from their changelogs.
    worker.start()
    worker.produce([version(story, 2) for story in STORIES])
    wait_until(lambda: {(s, 2) for s in STORIES} <= versions_enriched(worker))
    assert worker.stop(signal.SIGKILL) == -signal.SIGKILL
    shutil.rmtree(data)
    worker.start()
    worker.produce([version(story, 3) for story in STORIES])
    wait_until(lambda: {(s, 3) for s in STORIES} <= versions_enriched(worker))
    time.sleep(2)

    quotes = worker.consume("quotes", 0, timeout=0)
    got = changes(worker)
    for story in STORIES:
        assert set(got[story]) == EXPECTED_CHANGES, story
    # Duplicates (a batch replayed after the kill) repeat the same ids, never new ones.
    ids = Counter((q["article_id"], q["change"], q["version"]) for q in quotes)
    same = {(q["article_id"], q["change"], q["version"]): (q["event_id"], q["quote_id"]) for q in quotes}
    for q in quotes:
        assert same[(q["article_id"], q["change"], q["version"])] == (q["event_id"], q["quote_id"]), ids


def test_the_views_answer_from_the_worker_holding_the_partition(make_worker, tmp_path: Path) -> None:
    first = make_worker(partitions="4")
    first.start()
    second = Worker(
        first.broker,
        {**first.env, "NEWSWIRE_WEB_PORT": str(free_port()), "NEWSWIRE_DATA_DIR": str(tmp_path / "second")},
        tmp_path / "second.log",
        topics=first.topics,
    )
    try:
        second.start()

        def partitions(worker: Worker) -> int:
            url = f"http://127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}/readyz"
            try:
                return int(orjson.loads(urllib.request.urlopen(url, timeout=10).read())["partitions"])
            except urllib.error.HTTPError:
                return 0

        # The input partitions are split between the two workers.
        wait_until(lambda: partitions(first) > 0 and partitions(second) > 0)
        assert partitions(first) + partitions(second) == 4
        # Keyed with the Java client's partitioner, as aiokafka and Faust's router compute it.
        payload = b"".join(key.encode() + b"\t" + value + b"\n" for key, value in (version(s, 1) for s in STORIES))
        kcat(
            first.broker, "-P", "-t", first.topics["raw"], "-K", "\t", "-X", "partitioner=murmur2_random", input=payload
        )
        wait_until(lambda: {(s, 1) for s in STORIES} <= versions_enriched(first))

        def get(worker: Worker, path: str) -> tuple[int, dict]:
            url = f"http://127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}{path}"
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    return response.status, orjson.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, orjson.loads(error.read())

        # The state is written once the events are acknowledged, the lineage after the fingerprints arrive.
        wait_until(lambda: len(first.consume("lineage", 0, timeout=0)) >= len(STORIES))
        wait_until(lambda: all(get(first, f"/articles/{story}")[0] == 200 for story in STORIES), 30)
        for worker in (first, second):
            for story in STORIES:
                status, body = get(worker, f"/articles/{story}")
                assert status == 200, (story, body)
                assert body["version"] == 1
                assert [q["quote"] for q in body["quotes"]] == [BRIDGE_WORDS]
                assert "Anna Berg" in body["entities"]
            assert get(worker, "/articles/no-such-story")[0] == 404
            key = fingerprint(BRIDGE_WORDS)
            status, lineage = get(worker, f"/quotes/{key}")
            assert (status, lineage["count"]) == (200, len(STORIES))
            assert get(worker, "/quotes/" + "0" * 32)[0] == 404
        both = first.log.read_text() + second.log.read_text()
        assert "Traceback" not in both
    finally:
        second.stop()


def test_entries_expire_after_the_retention(make_worker) -> None:
    worker = make_worker(state_retention="2")
    worker.start()
    worker.produce([version("story-0", 1)])
    wait_until(lambda: ("story-0", 1) in versions_enriched(worker))
    port = worker.env["NEWSWIRE_WEB_PORT"]

    def metrics() -> str:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()

    wait_until(lambda: 'newswire_state_expired_total{table="article-versions"} 1.0' in metrics(), 60)
    assert 'newswire_state_entries{table="article-versions"} 0.0' in metrics()
    # The changelog holds a tombstone, and the next version starts again as a first version.
    worker.produce([version("story-0", 2)])
    wait_until(lambda: ("story-0", 2) in versions_enriched(worker))
    enriched = [e for e in worker.consume("enriched", 0, timeout=0) if e["version"] == 2]
    assert enriched[0]["previous_version"] is None
