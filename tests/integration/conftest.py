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

from ..conftest import service_environ

ROOT = Path(__file__).resolve().parents[2]
KAFKA_SH = ROOT / "deploy" / "local" / "kafka.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Broker:
    """One or more local Kafka nodes run by deploy/local/kafka.sh."""

    bootstrap: str
    nodes: list[dict[str, str]]
    kcat_args: list[str] = field(default_factory=list)

    def start(self, *indexes: int) -> None:
        """Start the given nodes (all by default) at once, then wait until each answers."""
        chosen = [self.nodes[i] for i in indexes] if indexes else self.nodes
        for env in chosen:
            subprocess.run([str(KAFKA_SH), "start"], env={**env, "KAFKA_NO_WAIT": "1"}, check=True)
        for env in chosen:
            subprocess.run([str(KAFKA_SH), "wait"], env=env, check=True)

    def stop(self, *indexes: int) -> None:
        for i in indexes or range(len(self.nodes)):
            subprocess.run([str(KAFKA_SH), "stop"], env=self.nodes[i], check=False)

    def kill(self, index: int) -> None:
        """SIGKILL one node, as a machine failure would."""
        pid = int((Path(self.nodes[index]["KAFKA_STATE"]) / "kafka.pid").read_text())
        os.kill(pid, signal.SIGKILL)


def local_kafka(state: Path, ports: list[int], *, extra: dict[str, str] | None = None) -> Broker:
    """A Broker description for len(ports) nodes; with several, a KRaft quorum of all of them."""
    quorum = ",".join(f"{i + 1}@127.0.0.1:{port + 1}" for i, port in enumerate(ports))
    cluster = {
        "KAFKA_QUORUM": quorum,
        "KAFKA_CLUSTER_ID": "bmV3c3dpcmUtdGVzdHMwMA",
        "KAFKA_REPLICATION": str(min(3, len(ports))),
        "KAFKA_MIN_ISR": str(min(2, len(ports))),
        "KAFKA_HEAP": "384m" if len(ports) > 1 else "512m",
    }
    nodes = [
        {
            **os.environ,
            **cluster,
            **(extra or {}),
            "KAFKA_PORT": str(port),
            "KAFKA_NODE_ID": str(i + 1),
            "KAFKA_STATE": str(state / f"node{i + 1}"),
        }
        for i, port in enumerate(ports)
    ]
    return Broker(",".join(f"127.0.0.1:{port}" for port in ports), nodes)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    if shutil.which("kcat") is None:
        pytest.fail("kcat is not installed: run deploy/local/setup.sh --test (make test does)")
    port = int(os.environ.get("NEWSWIRE_TEST_KAFKA_PORT", "19092"))
    kafka = local_kafka(tmp_path_factory.mktemp("kafka"), [port])
    kafka.start()
    try:
        yield kafka
    finally:
        kafka.stop()


def kcat(broker: Broker, *args: str, input: bytes | None = None, timeout: float = 60) -> bytes:
    result = subprocess.run(
        ["kcat", "-b", broker.bootstrap, *broker.kcat_args, *args],
        input=input,
        capture_output=True,
        timeout=timeout,
        check=False,
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

    def children(self) -> list[int]:
        """Pids of the worker's child processes (its NLP pool)."""
        assert self.process is not None
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def produce(self, messages: list[tuple[str, bytes]]) -> None:
        """Send (key, value) pairs to the raw topic with kcat, one message each."""
        for _, value in messages:
            assert b"\n" not in value
        payload = b"".join(key.encode() + b"\t" + value + b"\n" for key, value in messages)
        kcat(self.broker, "-P", "-t", self.topics["raw"], "-K", "\t", input=payload)

    def count(self, name: str) -> int:
        """Messages on one of the worker's topics so far (sum of the partitions' end offsets).

        Unlike consume(), this returns at once while the worker is still producing.
        While a partition has no leader (a broker just died) it returns -1.
        """
        partitions = int(self.env["NEWSWIRE_PARTITIONS"])
        queries = [arg for p in range(partitions) for arg in ("-t", f"{self.topics[name]}:{p}:-1")]
        try:
            out = kcat(self.broker, "-Q", *queries).decode()
        except AssertionError:
            return -1
        return sum(int(line.rsplit(" ", 1)[1]) for line in out.splitlines() if " offset " in line)

    def consume(self, name: str, count: int, *, timeout: float = 90) -> list[dict]:
        """Wait for `count` messages on one of the worker's topics; return them decoded."""
        deadline = time.monotonic() + timeout
        while True:
            out = kcat(self.broker, "-C", "-t", self.topics[name], "-o", "beginning", "-e", "-q")
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

    def make(*, on: Broker | None = None, **settings: str) -> Worker:
        target = on or broker
        suffix = uuid.uuid4().hex[:8]
        topics = {name: f"test-{suffix}.{name}" for name in ("raw", "enriched", "quotes", "entities", "dlq", "lineage")}
        env = {
            **service_environ(),
            "NEWSWIRE_BOOTSTRAP_SERVERS": target.bootstrap,
            "NEWSWIRE_RAW_TOPIC": topics["raw"],
            "NEWSWIRE_ENRICHED_TOPIC": topics["enriched"],
            "NEWSWIRE_QUOTES_TOPIC": topics["quotes"],
            "NEWSWIRE_ENTITIES_TOPIC": topics["entities"],
            "NEWSWIRE_DLQ_TOPIC": topics["dlq"],
            "NEWSWIRE_LINEAGE_TOPIC": topics["lineage"],
            "NEWSWIRE_GROUP_ID": f"test-{suffix}",
            "NEWSWIRE_PARTITIONS": "2",
            "NEWSWIRE_WEB_PORT": str(free_port()),
            "NEWSWIRE_DATA_DIR": str(tmp_path / f"data-{suffix}"),
            "NEWSWIRE_BATCH_WAIT": "0.2",
            # A stuck pipeline is logged well before a test gives up waiting.
            "NEWSWIRE_STALL_TIMEOUT": "30",
            **{f"NEWSWIRE_{k.upper()}": v for k, v in settings.items()},
        }
        subprocess.run([sys.executable, "-m", "stream", "topics"], env=env, check=True, capture_output=True)
        worker = Worker(target, env, tmp_path / f"worker-{suffix}.log", topics=topics)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        if worker.process is not None:
            worker.stop()
