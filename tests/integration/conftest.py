"""The integration harness: a real Apache Kafka broker, our worker, and kcat.

The broker is started once per test session by `deploy/local/kafka.sh` on its own
port and state directory, so it never touches a broker a developer already runs.
Each worker fixture gets fresh topic names and its own consumer group.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]
KAFKA_SH = ROOT / "deploy" / "local" / "kafka.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Broker:
    bootstrap: str
    state: Path


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    if shutil.which("kcat") is None:
        pytest.fail("kcat is not installed: run deploy/local/setup.sh --test (make test does)")
    port = int(os.environ.get("NEWSWIRE_TEST_KAFKA_PORT", "19092"))
    state = tmp_path_factory.mktemp("kafka")
    env = {**os.environ, "KAFKA_PORT": str(port), "KAFKA_STATE": str(state)}
    subprocess.run([str(KAFKA_SH), "start"], env=env, check=True)
    try:
        yield Broker(f"127.0.0.1:{port}", state)
    finally:
        subprocess.run([str(KAFKA_SH), "stop"], env=env, check=False)


def kcat(bootstrap: str, *args: str, input: bytes | None = None, timeout: float = 60) -> bytes:
    result = subprocess.run(
        ["kcat", "-b", bootstrap, *args], input=input, capture_output=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"kcat {' '.join(args)} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


@dataclass
class Worker:
    """A running `newswire worker` process and its topics."""

    broker: Broker
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    topics: dict[str, str] = field(default_factory=dict)

    def start(self, *, wait: float = 120) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "stream", "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + wait
        while b"Worker]: Ready" not in self.log.read_bytes():
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker not ready after {wait}s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGTERM, *, wait: float = 60) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def produce(self, messages: list[tuple[str, bytes]]) -> None:
        """Send (key, value) pairs to the raw topic with kcat, one message each."""
        for key, value in messages:
            assert b"\n" not in value
        payload = b"".join(key.encode() + b"\t" + value + b"\n" for key, value in messages)
        kcat(self.broker.bootstrap, "-P", "-t", self.topics["raw"], "-K", "\t", input=payload)

    def count(self, name: str) -> int:
        """Messages on one of the worker's topics so far (sum of the partitions' end offsets).

        Unlike consume(), this returns at once while the worker is still producing.
        """
        partitions = int(self.env["NEWSWIRE_PARTITIONS"])
        queries = [arg for p in range(partitions) for arg in ("-t", f"{self.topics[name]}:{p}:-1")]
        out = kcat(self.broker.bootstrap, "-Q", *queries).decode()
        return sum(int(line.rsplit(" ", 1)[1]) for line in out.splitlines() if " offset " in line)

    def consume(self, name: str, count: int, *, timeout: float = 90) -> list[dict]:
        """Wait for `count` messages on one of the worker's topics; return them decoded."""
        deadline = time.monotonic() + timeout
        while True:
            out = kcat(self.broker.bootstrap, "-C", "-t", self.topics[name], "-o", "beginning", "-e", "-q")
            records = [orjson.loads(line) for line in out.splitlines() if line.strip()]
            if len(records) >= count or time.monotonic() > deadline:
                return records
            if not self.alive:
                raise AssertionError(f"worker died:\n{self.log_tail()}")
            time.sleep(0.5)


@pytest.fixture
def make_worker(broker: Broker, tmp_path: Path) -> Iterator:
    """A factory of workers on fresh topics; every worker is stopped at the end of the test."""
    workers: list[Worker] = []

    def make(**settings: str) -> Worker:
        suffix = uuid.uuid4().hex[:8]
        topics = {name: f"test-{suffix}.{name}" for name in ("raw", "enriched", "quotes", "dlq")}
        env = {
            **os.environ,
            "NEWSWIRE_BOOTSTRAP_SERVERS": broker.bootstrap,
            "NEWSWIRE_RAW_TOPIC": topics["raw"],
            "NEWSWIRE_ENRICHED_TOPIC": topics["enriched"],
            "NEWSWIRE_QUOTES_TOPIC": topics["quotes"],
            "NEWSWIRE_DLQ_TOPIC": topics["dlq"],
            "NEWSWIRE_GROUP_ID": f"test-{suffix}",
            "NEWSWIRE_PARTITIONS": "2",
            "NEWSWIRE_WEB_PORT": str(free_port()),
            "NEWSWIRE_DATA_DIR": str(tmp_path / f"data-{suffix}"),
            "NEWSWIRE_BATCH_WAIT": "0.2",
            **{f"NEWSWIRE_{k.upper()}": v for k, v in settings.items()},
        }
        subprocess.run([sys.executable, "-m", "stream", "topics"], env=env, check=True, capture_output=True)
        worker = Worker(broker, env, tmp_path / f"worker-{suffix}.log", topics=topics)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        if worker.process is not None:
            worker.stop()
