"""Broker faults and secured listeners, against brokers the harness starts for each test."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from .conftest import Broker, free_port, kcat, local_kafka
from .test_reliability import articles, check_every_output, good, livez, wait_until, with_bad_messages

pytestmark = pytest.mark.integration

SASL_USER, SASL_PASSWORD = "newswire", "pw-0f9c2e7d-never-logged"


@pytest.fixture
def single_broker(tmp_path: Path) -> Iterator[Broker]:
    kafka = local_kafka(tmp_path / "kafka", [free_port()])
    kafka.start()
    yield kafka
    kafka.stop()


@pytest.fixture
def three_brokers(tmp_path: Path) -> Iterator[Broker]:
    kafka = local_kafka(tmp_path / "kafka", [free_port() for _ in range(3)])
    kafka.start()
    yield kafka
    kafka.stop()


@pytest.fixture
def sasl_broker(tmp_path: Path) -> Iterator[Broker]:
    port = free_port()
    properties = tmp_path / "sasl.properties"
    properties.write_text(
        f"listeners=SASL_PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}\n"
        f"advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{port}\n"
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT\n"
        "inter.broker.listener.name=SASL_PLAINTEXT\n"
        "sasl.enabled.mechanisms=PLAIN\n"
        "sasl.mechanism.inter.broker.protocol=PLAIN\n"
        "listener.name.sasl_plaintext.plain.sasl.jaas.config="
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="admin" password="admin-pw" user_admin="admin-pw" user_{SASL_USER}="{SASL_PASSWORD}";\n'
    )
    kafka = local_kafka(tmp_path / "kafka", [port], extra={"KAFKA_EXTRA_PROPERTIES": str(properties)})
    kafka.kcat_args = [
        "-X",
        "security.protocol=SASL_PLAINTEXT",
        "-X",
        "sasl.mechanisms=PLAIN",
        "-X",
        f"sasl.username={SASL_USER}",
        "-X",
        f"sasl.password={SASL_PASSWORD}",
    ]
    kafka.start()
    yield kafka
    kafka.stop()


def test_single_broker_restart_mid_stream_loses_nothing(make_worker, single_broker: Broker) -> None:
    worker = make_worker(on=single_broker, batch_size="8")
    worker.start()
    sent = with_bad_messages(articles("restart", 800))
    worker.produce(sent)
    wait_until(lambda: worker.count("enriched") >= 30)
    single_broker.stop()
    time.sleep(5)
    single_broker.start()
    wait_until(lambda: worker.count("enriched") >= len(good(sent)), 240)
    assert worker.alive, "the worker must recover by itself"
    report = check_every_output(worker, sent)
    assert report["lost"] == 0


def test_a_stall_during_a_broker_outage_stays_live(make_worker, single_broker: Broker) -> None:
    # Input waits behind a frozen NLP process (a stall a restart may cure: 503); then the
    # broker goes too, and the stall is the outage's: reported, but live, since a restarted
    # worker would meet the same broker.
    worker = make_worker(on=single_broker, batch_size="8", stall_timeout="3")
    worker.start()
    sent = articles("outage", 120)
    worker.produce(sent[:40])
    wait_until(lambda: worker.count("enriched") >= 8)
    children = worker.children()
    for pid in children:
        os.kill(pid, signal.SIGSTOP)
    try:
        worker.produce(sent[40:])
        wait_until(lambda: livez(worker)[1]["status"] == "stalled", 120)
        single_broker.stop()
        wait_until(lambda: livez(worker)[1]["status"] == "waiting for the broker", 60)
        status, body = livez(worker)
        assert status == 200 and "unreadable" in body["error"], body
    finally:
        for pid in children:
            os.kill(pid, signal.SIGCONT)
    single_broker.start()
    report = check_every_output(worker, sent)
    assert report["lost"] == 0
    wait_until(lambda: livez(worker)[1]["status"] == "ok", 60)


def test_one_of_three_brokers_killed_mid_stream_loses_nothing(make_worker, three_brokers: Broker) -> None:
    worker = make_worker(on=three_brokers, batch_size="8", replication_factor="3", partitions="3")
    worker.start()
    sent = with_bad_messages(articles("cluster", 600))
    worker.produce(sent)
    wait_until(lambda: worker.count("enriched") >= 30, 120)
    three_brokers.kill(2)
    wait_until(lambda: worker.count("enriched") >= len(good(sent)), 300)
    assert worker.alive
    report = check_every_output(worker, sent)
    assert report["lost"] == 0


def test_a_stop_with_the_broker_gone_ends_within_the_shutdown_timeout(make_worker, single_broker: Broker) -> None:
    worker = make_worker(on=single_broker, shutdown_timeout="5")
    worker.start()
    single_broker.kill(0)
    time.sleep(3)
    started = time.monotonic()
    status = worker.stop(wait=60)
    took = time.monotonic() - started
    log = worker.log.read_text(errors="replace")
    assert took < 30, f"a stop took {took:.0f} s with the broker gone:\n{worker.log_tail()}"
    # Either Faust's own stop finished in time (0) or the deadline ended it (1) and said why.
    assert status == 0 or (status == 1 and "did not finish within 5 s" in log), worker.log_tail()


def sasl_worker(make_worker, broker: Broker, **settings: str):  # type: ignore[no-untyped-def]
    """A worker that logs in to the SASL/PLAIN listener with the right password."""
    return make_worker(
        on=broker,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="PLAIN",
        sasl_username=SASL_USER,
        sasl_password=SASL_PASSWORD,
        **settings,
    )


def test_sasl_settings_reach_the_client_and_secrets_stay_out(make_worker, sasl_broker: Broker) -> None:
    worker = sasl_worker(make_worker, sasl_broker, log_level="debug")
    worker.start()
    worker.produce([("ok", orjson.dumps({"id": "ok", "body": '"It works," Anna Berg said.'}))])
    [event] = worker.consume("enriched", 1)
    assert event["article_id"] == "ok"

    # A bad message carrying a credential in a header: the dead letter must not repeat it.
    kcat(
        sasl_broker,
        "-P",
        "-t",
        worker.topics["raw"],
        "-k",
        "bad",
        "-H",
        "authorization=Bearer tok-123-secret",
        input=b"{broken",
    )
    [letter] = worker.consume("dlq", 1)
    assert base64.b64decode(letter["value_b64"]) == b"{broken"
    assert "tok-123-secret" not in orjson.dumps(letter).decode()

    worker.stop(signal.SIGTERM)
    log = worker.log.read_text(errors="replace")
    assert "batch: consumed=1" in log
    assert SASL_PASSWORD not in log


def test_a_wrong_password_is_a_clear_failure_not_a_hang(make_worker, sasl_broker: Broker) -> None:
    worker = sasl_worker(make_worker, sasl_broker)
    wrong = {**worker.env, "NEWSWIRE_SASL_PASSWORD": "wrong-password-xyz"}
    topics = subprocess.run([sys.executable, "-m", "stream", "topics"], env=wrong, capture_output=True, timeout=120)
    assert topics.returncode == 1
    error = topics.stderr.decode()
    assert error.splitlines()[-1].startswith("newswire: Kafka at 127.0.0.1:"), error
    assert "Authentication failed" in error, error
    assert "wrong-password-xyz" not in error

    worker.env = wrong
    with pytest.raises(AssertionError, match="worker exited with 1:"):
        worker.start(wait=120)
    assert "wrong-password-xyz" not in worker.log.read_text(errors="replace")
