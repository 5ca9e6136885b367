"""Articles in through kcat, events out through kcat, against the real broker."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.request

import orjson
import pytest

from ..conftest import ROOT
from .conftest import kcat

pytestmark = pytest.mark.integration

SAMPLE_BODY = orjson.loads((ROOT / "seeds" / "kremlin-palmyra.json").read_bytes())["body"]


def article(article_id: str, body: str, **extra: object) -> bytes:
    return orjson.dumps({"id": article_id, "body": body, **extra})


def test_the_sample_article_gives_one_enriched_event_and_its_quotes(make_worker) -> None:
    worker = make_worker()
    worker.start()
    worker.produce([("kremlin-palmyra", article("kremlin-palmyra", SAMPLE_BODY, headline="Palmyra"))])

    [event] = worker.consume("enriched", 1)
    assert event["article_id"] == "kremlin-palmyra"
    assert event["headline"] == "Palmyra"
    entities = {(e["name"], e["label"]) for e in event["entities"]}
    assert {("Dmitry Peskov", "PERSON"), ("Vladimir Putin", "PERSON"), ("Kremlin", "ORG"), ("Syria", "GPE")} <= entities
    assert len(event["event_id"]) == 32

    quotes = worker.consume("quotes", len(event["quotes"]))
    assert len(quotes) == len(event["quotes"]) >= 1
    assert {q["article_id"] for q in quotes} == {"kremlin-palmyra"}
    assert "Dmitry Peskov" in {q["speaker_name"] for q in quotes}
    # Every quote event carries the speaker's affiliation and joint names, null and empty when none.
    assert all("speaker_affiliation" in q and isinstance(q["speaker_names"], list) for q in quotes)

    # One event per canonical entity, keyed by its name; the body names Peskov twice.
    names = [e["name"] for e in event["entities"]]
    records = worker.consume("entities", len(names))
    assert sorted(r["entity"] for r in records) == sorted(names)
    peskov = [r for r in records if r["entity"] == "Dmitry Peskov"]
    assert len(peskov) == 1
    assert (peskov[0]["label"], peskov[0]["count"], peskov[0]["article_id"]) == ("PERSON", 2, "kremlin-palmyra")
    palmyra = next(r for r in records if r["entity"] == "Palmyra")
    assert (palmyra["label"], palmyra["country_code"], palmyra["salience"] >= 0.4) == ("GPE", "SY", True)
    dates = [r for r in records if r["label"] == "DATE"]
    assert dates and all(r["salience"] is None for r in dates)  # dates keep their mentions, not a rank
    keys = kcat(worker.broker, "-C", "-t", worker.topics["entities"], "-o", "beginning", "-e", "-q", "-f", "%k\n")
    assert sorted(keys.decode().split("\n")[:-1]) == sorted(names)
    assert worker.consume("dlq", 0, timeout=0) == []


def test_bad_messages_are_dead_lettered_and_the_worker_keeps_running(make_worker) -> None:
    worker = make_worker(max_body_chars="5000")
    worker.start()
    bad = [
        ("broken", b'{"id": "broken", "body": '),
        ("no-body", article("no-body", "x")[:-1].replace(b',"body":"x"', b"") + b"}"),
        ("wrong-type", b'{"id": "wrong-type", "body": ["not", "a", "string"]}'),
        ("too-long", article("too-long", "word " * 2000)),
    ]
    assert orjson.loads(bad[1][1]) == {"id": "no-body"}
    worker.produce(bad)

    letters = {letter["source"]["key"]: letter for letter in worker.consume("dlq", 4)}
    assert len(letters) == 4
    assert {key: letter["reason"] for key, letter in letters.items()} == {
        "broken": "invalid_json",
        "no-body": "schema",
        "wrong-type": "schema",
        "too-long": "too_large",
    }
    assert "'body' is a required property" in letters["no-body"]["message"]
    assert base64.b64decode(letters["broken"]["value_b64"]) == bad[0][1]
    assert letters["too-long"]["source"]["topic"] == worker.topics["raw"]
    assert isinstance(letters["too-long"]["source"]["offset"], int)

    # Still alive and still enriching after the bad input.
    worker.produce([("after", article("after", '"We are open," the mayor said.'))])
    [event] = worker.consume("enriched", 1)
    assert event["article_id"] == "after"
    assert worker.alive
    assert len(worker.consume("dlq", 4, timeout=0)) == 4


def poll_readyz(base: str, answers: list[tuple[int, dict]], *, timeout: float = 300) -> None:
    """Ask /readyz every 50 ms, from before the worker starts until it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                answers.append((response.status, json.load(response)))
                return
        except urllib.error.HTTPError as exc:
            answers.append((exc.code, json.load(exc)))
        except OSError:
            pass  # not listening yet
        time.sleep(0.05)


def test_health_endpoints_answer_while_the_model_loads_and_every_log_line_is_json(make_worker) -> None:
    worker = make_worker(log_format="json")
    base = f"http://127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}"
    answers: list[tuple[int, dict]] = []
    poller = threading.Thread(target=poll_readyz, args=(base, answers))
    poller.start()
    worker.start()
    poller.join()
    # The port opens before the model is loaded: 503 until then, with the reason.
    assert answers[0] == (
        503,
        {"status": "not ready", "model_loaded": False, "partitions": answers[0][1]["partitions"]},
    )
    assert answers[-1] == (200, {"status": "ready", "model_loaded": True, "partitions": 2})
    with urllib.request.urlopen(f"{base}/livez", timeout=5) as response:
        assert json.load(response) == {"status": "ok"}

    worker.produce([("a", article("a", "Anna Berg said it rained."))])
    worker.consume("enriched", 1)
    worker.stop()
    # Every line of every process (the worker and its NLP process) is a JSON object.
    lines = [line for line in worker.log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(r["message"].startswith("batch: consumed=1") for r in records)
    nlp_lines = [r for r in records if r["logger"] == "stream.pool"]
    assert nlp_lines and all(r["process"] != worker.process.pid for r in nlp_lines)
    assert not any("Anna Berg said" in line for line in lines), "article text must not be logged"
