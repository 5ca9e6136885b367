"""`newswire bench`: where the time goes, as ratios measured in one run.

Every figure comes from the same synthetic corpus (paragraphs of `seeds/`
recombined into new articles): bare spaCy, the offline enrichment path, and the
full path through a real broker with one and with two NLP processes, plus
end-to-end latency at half the peak rate and peak memory per process.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from spacy.language import Language

from stream.admin import create_topics
from stream.codec import article_from_dict, decode_article, encode
from stream.files import read_records
from stream.kafka import aiokafka_options
from stream.nlp import enrich, load_pipeline
from stream.settings import Settings


def synthetic_corpus(seed_records: list[dict[str, Any]], count: int, *, paragraphs: int = 6) -> list[dict[str, Any]]:
    """`count` articles, each a reproducible random draw of seed paragraphs."""
    pool = [p for record in seed_records for p in record["body"].split("\n") if p.strip()]
    corpus = []
    for i in range(count):
        rng = random.Random(i)  # noqa: S311 - reproducible sampling, not security
        body = "\n".join(rng.sample(pool, min(paragraphs, len(pool))))
        corpus.append({"id": f"bench-{i:06d}", "body": body, "published_at": "2025-01-01T00:00:00Z"})
    return corpus


def words(corpus: list[dict[str, Any]]) -> int:
    return sum(len(record["body"].split()) for record in corpus)


def measure_bare_spacy(nlp: Language, corpus: list[dict[str, Any]], batch_size: int) -> float:
    """The ceiling: spaCy's nlp.pipe with the service's components and batch size."""
    started = time.perf_counter()
    for _ in nlp.pipe((r["body"] for r in corpus), batch_size=batch_size):
        pass
    return time.perf_counter() - started


def measure_offline(nlp: Language, corpus: list[dict[str, Any]], model: str, batch_size: int, max_chars: int) -> float:
    """The `newswire enrich` path: JSON bytes in, enriched JSON bytes out."""
    raw = [orjson.dumps(r) for r in corpus]
    started = time.perf_counter()
    out = 0
    for i in range(0, len(raw), batch_size):
        articles = [decode_article(x, max_bytes=10_000_000, max_chars=max_chars) for x in raw[i : i + batch_size]]
        out += sum(len(encode(e)) for e in enrich(nlp, articles, model=model, batch_size=batch_size))
    if out == 0:
        raise RuntimeError("the offline path produced no output")
    return time.perf_counter() - started


class WorkerProcess:
    """A `newswire worker` subprocess on its own topics, for one measurement."""

    def __init__(self, settings: Settings, processes: int, workdir: Path) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.raw, self.enriched = f"bench-{suffix}.raw", f"bench-{suffix}.enriched"
        self.env = {
            **os.environ,
            "NEWSWIRE_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
            "NEWSWIRE_RAW_TOPIC": self.raw,
            "NEWSWIRE_ENRICHED_TOPIC": self.enriched,
            "NEWSWIRE_QUOTES_TOPIC": f"bench-{suffix}.quotes",
            "NEWSWIRE_ENTITIES_TOPIC": f"bench-{suffix}.entities",
            "NEWSWIRE_DLQ_TOPIC": f"bench-{suffix}.dlq",
            "NEWSWIRE_LINEAGE_TOPIC": f"bench-{suffix}.lineage",
            "NEWSWIRE_GROUP_ID": f"bench-{suffix}",
            "NEWSWIRE_PROCESSES": str(processes),
            "NEWSWIRE_BATCH_SIZE": str(settings.batch_size),
            "NEWSWIRE_BATCH_WAIT": str(settings.batch_wait),
            "NEWSWIRE_WEB_PORT": str(_free_port()),
            "NEWSWIRE_DATA_DIR": str(workdir / f"data-{suffix}"),
            "NEWSWIRE_LOG_LEVEL": "info",
        }
        self.settings = Settings.from_env({k: v for k, v in self.env.items() if k.startswith("NEWSWIRE_")})
        self.log = workdir / f"worker-{suffix}.log"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        await create_topics(self.settings)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "stream", "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        port = self.env["NEWSWIRE_WEB_PORT"]
        deadline = time.monotonic() + 180
        while not await _ready(port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"bench worker did not become ready; see {self.log}")
            await asyncio.sleep(0.5)

    def peak_rss_mib(self) -> dict[str, float]:
        """Peak resident memory (VmHWM) of the worker and each of its NLP processes."""
        if self.process is None:
            return {}
        pids = [self.process.pid, *(p for p in _children(self.process.pid) if not _is_helper(p))]
        return {("worker" if pid == self.process.pid else f"nlp-{pid}"): _vm_hwm_mib(pid) for pid in pids}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(60)


async def run_through_kafka(
    worker: WorkerProcess, corpus: list[dict[str, Any]], *, rate: float | None = None
) -> tuple[float, list[float]]:
    """Produce the corpus (at `rate` articles/s, or as fast as possible); return (seconds, latencies)."""
    options = aiokafka_options(worker.settings)
    consumer = AIOKafkaConsumer(worker.enriched, auto_offset_reset="earliest", **options)
    producer = AIOKafkaProducer(acks="all", linger_ms=5, **options)
    await consumer.start()
    await producer.start()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    try:
        await consumer.seek_to_beginning()

        async def produce() -> None:
            started = time.perf_counter()
            for i, record in enumerate(corpus):
                if rate:
                    await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
                sent_at[record["id"]] = time.perf_counter()
                await producer.send(worker.raw, orjson.dumps(record), key=record["id"].encode())
            await producer.flush()

        started = time.perf_counter()
        producing = asyncio.create_task(produce())
        seen: set[str] = set()
        while len(seen) < len(corpus):
            batches = await consumer.getmany(timeout_ms=1000)
            now = time.perf_counter()
            for messages in batches.values():
                for message in messages:
                    article_id = orjson.loads(message.value)["article_id"]
                    if article_id in sent_at and article_id not in seen:  # skips earlier runs' events
                        seen.add(article_id)
                        latencies.append(now - sent_at[article_id])
            if time.perf_counter() - started > 1800:
                raise RuntimeError(f"only {len(seen)} of {len(corpus)} events arrived")
        await producing
        return time.perf_counter() - started, latencies
    finally:
        await producer.stop()
        await consumer.stop()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def bench(settings: Settings, *, articles: int, seeds: list[str], rounds: int = 2) -> dict[str, Any]:
    """Measure every path `rounds` times, interleaved, and keep each path's best time.

    Interleaving and keeping the best time make the ratios robust to a noisy
    machine: a slow moment hurts one round of one path, not the comparison.
    """
    records = [r for _, r in read_records(seeds) if isinstance(r, dict) and "body" in r]
    for record in records:
        article_from_dict(record, max_chars=settings.max_body_chars)  # the seeds must be valid articles
    corpus = synthetic_corpus(records, articles)
    total_words = words(corpus)
    nlp = load_pipeline(settings.model)
    list(nlp.pipe(r["body"] for r in corpus[:8]))  # warm-up

    def rates(seconds: float) -> dict[str, float]:
        return {
            "seconds": round(seconds, 3),
            "articles_per_s": round(len(corpus) / seconds, 2),
            "words_per_s": round(total_words / seconds, 1),
        }

    times: dict[str, list[float]] = {
        "bare_spacy": [],
        "offline_enrich": [],
        "kafka_1_process": [],
        "kafka_2_process": [],
    }
    report: dict[str, Any] = {
        "articles": len(corpus),
        "words": total_words,
        "model": settings.model,
        "batch_size": settings.batch_size,
        "rounds": rounds,
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp_dir:
        workdir = Path(os.environ.get("NEWSWIRE_BENCH_DIR") or tmp_dir)
        workers = {n: WorkerProcess(settings, n, workdir) for n in (1, 2)}
        try:
            for worker in workers.values():
                await worker.start()
            for round_ in range(rounds):
                batch = [{**r, "id": f"{r['id']}-r{round_}"} for r in corpus]
                times["bare_spacy"].append(measure_bare_spacy(nlp, batch, settings.batch_size))
                times["offline_enrich"].append(
                    measure_offline(nlp, batch, settings.model, settings.batch_size, settings.max_body_chars)
                )
                for n, worker in workers.items():
                    seconds, _ = await run_through_kafka(worker, batch)
                    times[f"kafka_{n}_process"].append(seconds)
            for name, values in times.items():
                report[name] = {**rates(min(values)), "all_seconds": [round(v, 3) for v in values]}
            peak = len(corpus) / min(times["kafka_2_process"])
            latency_corpus = [{**r, "id": r["id"] + "-lat"} for r in corpus]
            _, latencies = await run_through_kafka(workers[2], latency_corpus, rate=peak / 2)
            report["latency_at_half_peak"] = {
                "workers_processes": 2,
                "rate_articles_per_s": round(peak / 2, 2),
                "p50_s": round(percentile(latencies, 50), 3),
                "p95_s": round(percentile(latencies, 95), 3),
                "p99_s": round(percentile(latencies, 99), 3),
            }
            report["peak_rss_mib"] = {f"kafka_{n}_process": w.peak_rss_mib() for n, w in workers.items()}
        finally:
            for worker in workers.values():
                worker.stop()
    bare, offline = min(times["bare_spacy"]), min(times["offline_enrich"])
    one, two = min(times["kafka_1_process"]), min(times["kafka_2_process"])
    report["ratios"] = {
        "offline_vs_bare_spacy": round(bare / offline, 3),
        "kafka_1_process_vs_offline": round(offline / one, 3),
        "kafka_2_processes_vs_1": round(one / two, 3),
    }
    return report


async def _ready(port: str) -> bool:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", int(port))
    except OSError:
        return False
    writer.write(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n")
    status = await reader.readline()
    writer.close()
    return b" 200 " in status


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            found += [child, *_children(child)]
    return found


def _is_helper(pid: int) -> bool:
    """multiprocessing's resource tracker is a child too, but does no NLP."""
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def _vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
