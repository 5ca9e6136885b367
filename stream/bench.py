"""`newswire bench`: where the time goes, as ratios measured in one run.

Every figure comes from the same corpus (a file of real articles with `--corpus`,
else paragraphs of `seeds/` recombined into new articles): bare spaCy with and
without the lemmatizer and the offline `newswire enrich` command, each a process of
its own run to its end (model load included), and the full path through a real
broker with one and with two NLP processes; then end-to-end latency at half the
peak rate and peak memory per process.

The machine's own ceiling for two processes comes from bare spaCy too: its parse
of the whole corpus in one process against two processes parsing halves at once,
model load excluded like the Kafka paths. On a machine with as many cores as NLP
processes, the broker and the worker's event loop share those cores.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from stream.admin import create_topics
from stream.codec import article_from_dict
from stream.errors import ArticleError
from stream.files import read_articles, read_records
from stream.kafka import aiokafka_options
from stream.settings import Settings

# Every path measured; bare spaCy without the lemmatizer is the reference for the others.
PATHS = (
    "bare_spacy_no_lemmatizer",
    "bare_spacy",
    "offline_enrich",
    "parse_1_process",
    "parse_2_processes",
    "kafka_1_process",
    "kafka_2_process",
)


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


def corpus_from_file(path: str, *, max_chars: int) -> list[dict[str, Any]]:
    """The articles of a file (`.jsonl`, `.json` ...), reduced to the article fields; an invalid one is an error."""
    corpus = []
    for where, _, article in read_articles([path], max_chars=max_chars):
        if isinstance(article, ArticleError):
            raise type(article)(f"{where}: {article}")
        corpus.append({key: value for key, value in asdict(article).items() if value is not None})
    if not corpus:
        raise ArticleError(f"{path}: no articles")
    return corpus


def run_to_end(command: list[str], log: Path, *, env: dict[str, str]) -> tuple[float, float, float]:
    """Run a process to its end: (wall seconds, CPU seconds, its peak resident memory in MiB)."""
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=output)  # noqa: S603
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... exited with {process.returncode}; see {log}")
    return seconds, usage.ru_utime + usage.ru_stime, round(usage.ru_maxrss / 1024, 1)


def run_paced(commands: list[list[str]], log: Path, *, env: dict[str, str]) -> tuple[float, float]:
    """Start `--paced` bare spaCy processes, release them together once all have loaded, and wait for all.

    Returns the wall seconds from the release to the last result, and the CPU
    seconds of all the parses.
    """
    with log.open("wb") as errors:
        processes = [
            subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)  # noqa: S603
            for command in commands
        ]
    pipes = [(p.stdin, p.stdout) for p in processes if p.stdin is not None and p.stdout is not None]
    timings: list[Any] = []
    try:
        if any(stdout.readline() != b"loaded\n" for _, stdout in pipes):
            raise RuntimeError(f"{' '.join(commands[0][:4])} ... did not load its model; see {log}")
        started = time.perf_counter()
        for stdin, _ in pipes:
            stdin.write(b"go\n")
            stdin.flush()
        timings = [orjson.loads(stdout.readline() or b"null") for _, stdout in pipes]
        seconds = time.perf_counter() - started
    finally:
        for process in processes:
            if len(timings) < len(processes):
                process.kill()
            process.wait()
        for stdin, stdout in pipes:
            stdin.close()
            stdout.close()
    if any(process.returncode for process in processes) or not all(isinstance(t, dict) for t in timings):
        raise RuntimeError(f"{' '.join(commands[0][:4])} ... failed; see {log}")
    return seconds, sum(timing["cpu_seconds"] for timing in timings)


def halves(corpus: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two parts of nearly equal text length (the longest article first, each to the lighter part)."""
    parts: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    sizes = [0, 0]
    for record in sorted(corpus, key=lambda r: len(r["body"]), reverse=True):
        lighter = 0 if sizes[0] <= sizes[1] else 1
        parts[lighter].append(record)
        sizes[lighter] += len(record["body"])
    return parts


def offline_commands(settings: Settings, corpus_file: Path) -> dict[str, list[str]]:
    """The paths that run without a broker, each one process from start to end."""
    bare = [sys.executable, "-m", "stream.bare_spacy", settings.model, str(settings.batch_size), str(corpus_file)]
    enrich = [sys.executable, "-m", "stream", "enrich", str(corpus_file), "-o", os.devnull]
    enrich += ["--model", settings.model, "--batch-size", str(settings.batch_size)]
    return {"bare_spacy_no_lemmatizer": [*bare, "--no-lemmatizer"], "bare_spacy": bare, "offline_enrich": enrich}


def parse_commands(settings: Settings, corpus_file: Path, half_files: tuple[Path, Path]) -> dict[str, list[list[str]]]:
    """The machine's ceiling: bare spaCy's parse of the corpus in one process, and of its halves in two at once."""

    def paced(path: Path) -> list[str]:
        bare = [sys.executable, "-m", "stream.bare_spacy", settings.model, str(settings.batch_size), str(path)]
        return [*bare, "--no-lemmatizer", "--paced"]

    return {"parse_1_process": [paced(corpus_file)], "parse_2_processes": [paced(path) for path in half_files]}


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
            "NEWSWIRE_CACHE_DIR": settings.cache_path,
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

    def cpu_seconds(self) -> float:
        """CPU time (user and system) used so far by the worker and its NLP processes."""
        if self.process is None:
            return 0.0
        return sum(_cpu_seconds(pid) for pid in [self.process.pid, *_children(self.process.pid)])

    def peak_rss_mib(self) -> dict[str, float]:
        """Peak resident memory (VmHWM) of the worker and each of its NLP processes."""
        if self.process is None:
            return {}
        pids = [self.process.pid, *(p for p in _children(self.process.pid) if not _is_helper(p))]
        return {("worker" if pid == self.process.pid else f"nlp-{pid}"): _vm_hwm_mib(pid) for pid in pids}

    def nlp_seconds(self) -> dict[str, float]:
        """The worker's newswire_nlp_seconds_total by stage (spacy, extraction), read from its /metrics."""
        url = f"http://127.0.0.1:{self.env['NEWSWIRE_WEB_PORT']}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local worker)
            return stage_seconds(response.read().decode())

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


def stage_seconds(exposition: str) -> dict[str, float]:
    """newswire_nlp_seconds_total by stage, from a Prometheus text exposition."""
    found = {}
    for line in exposition.splitlines():
        if line.startswith('newswire_nlp_seconds_total{stage="'):
            labels, value = line.rsplit(" ", 1)
            found[labels.split('"')[1]] = float(value)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def bench(
    settings: Settings, *, articles: int, seeds: list[str], corpus_path: str | None = None, rounds: int = 2
) -> dict[str, Any]:
    """Measure every path `rounds` times, interleaved, and keep each path's best time.

    Interleaving and keeping the best time make the ratios robust to a noisy
    machine: a slow moment hurts one round of one path, not the comparison.
    """
    if corpus_path:
        corpus = corpus_from_file(corpus_path, max_chars=settings.max_body_chars)
    else:
        records = [r for _, r in read_records(seeds) if isinstance(r, dict) and "body" in r]
        for record in records:
            article_from_dict(record, max_chars=settings.max_body_chars)  # the seeds must be valid articles
        corpus = synthetic_corpus(records, articles)
    total_words = words(corpus)
    processes = {"kafka_2_process": 2, "parse_2_processes": 2}
    times: dict[str, list[float]] = {name: [] for name in PATHS}
    cpu: dict[str, list[float]] = {name: [] for name in PATHS}
    peak_rss: dict[str, float] = {}
    report: dict[str, Any] = {
        "corpus": corpus_path or f"synthetic from {', '.join(seeds)}",
        "articles": len(corpus),
        "words": total_words,
        "model": settings.model,
        "batch_size": settings.batch_size,
        "rounds": rounds,
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp_dir:
        workdir = Path(os.environ.get("NEWSWIRE_BENCH_DIR") or tmp_dir)
        corpus_file = workdir / "corpus.jsonl"
        corpus_file.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in corpus))
        env = {**os.environ, "NEWSWIRE_CACHE_DIR": settings.cache_path}
        commands = offline_commands(settings, corpus_file)
        half_files = (workdir / "half-1.jsonl", workdir / "half-2.jsonl")
        for path, half in zip(half_files, halves(corpus), strict=True):
            path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in half))
        parses = parse_commands(settings, corpus_file, half_files)
        workers = {n: WorkerProcess(settings, n, workdir) for n in (1, 2)}
        try:
            for worker in workers.values():
                await worker.start()  # the first start on a machine also builds the gazetteer file
            for round_ in range(rounds):
                for name, command in commands.items():
                    seconds, cpu_seconds, rss = run_to_end(command, workdir / f"{name}.log", env=env)
                    times[name].append(seconds)
                    cpu[name].append(cpu_seconds)
                    peak_rss[name] = max(rss, peak_rss.get(name, 0.0))
                for name, paced in parses.items():
                    seconds, cpu_seconds = run_paced(paced, workdir / f"{name}.log", env=env)
                    times[name].append(seconds)
                    cpu[name].append(cpu_seconds)
                batch = [{**r, "id": f"{r['id']}-r{round_}"} for r in corpus]
                for n, worker in workers.items():
                    used = worker.cpu_seconds()
                    seconds, _ = await run_through_kafka(worker, batch)
                    times[f"kafka_{n}_process"].append(seconds)
                    cpu[f"kafka_{n}_process"].append(worker.cpu_seconds() - used)
            for name, values in times.items():
                fastest = min(values)
                report[name] = {
                    "seconds": round(fastest, 3),
                    "articles_per_s": round(len(corpus) / fastest, 2),
                    "words_per_s": round(total_words / fastest, 1),
                    "words_per_s_per_core": round(total_words / fastest / processes.get(name, 1), 1),
                    "all_seconds": [round(v, 3) for v in values],
                    "cpu_seconds": round(min(cpu[name]), 3),
                }
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
            stages = workers[1].nlp_seconds()
            report["extraction_vs_parse"] = {
                "spacy_s": round(stages.get("spacy", 0.0), 3),
                "extraction_s": round(stages.get("extraction", 0.0), 3),
                "ratio": round(stages.get("extraction", 0.0) / stages["spacy"], 4) if stages.get("spacy") else None,
            }
            report["peak_rss_mib"] = {
                **peak_rss,
                **{f"kafka_{n}_process": w.peak_rss_mib() for n, w in workers.items()},
            }
        finally:
            for worker in workers.values():
                worker.stop()
    best = {name: min(values) for name, values in times.items()}
    cpu_best = {name: min(values) for name, values in cpu.items()}
    nlp_rss = [
        mib for n in (1, 2) for name, mib in report["peak_rss_mib"][f"kafka_{n}_process"].items() if name != "worker"
    ]
    report["ratios"] = {
        "offline_vs_bare_spacy_no_lemmatizer": round(best["bare_spacy_no_lemmatizer"] / best["offline_enrich"], 3),
        "offline_vs_bare_spacy": round(best["bare_spacy"] / best["offline_enrich"], 3),
        "kafka_1_process_vs_offline": round(best["offline_enrich"] / best["kafka_1_process"], 3),
        "kafka_2_processes_vs_1": round(best["kafka_1_process"] / best["kafka_2_process"], 3),
        # What the machine itself gives two processes: bare spaCy's parse, nothing else running.
        "parse_2_processes_vs_1": round(best["parse_1_process"] / best["parse_2_processes"], 3),
        # The same ratios in CPU time (best round each): steadier than wall time on a shared machine.
        "cpu_offline_vs_bare_spacy_no_lemmatizer": round(
            cpu_best["bare_spacy_no_lemmatizer"] / cpu_best["offline_enrich"], 3
        ),
        "cpu_kafka_1_process_vs_offline": round(cpu_best["offline_enrich"] / cpu_best["kafka_1_process"], 3),
        "nlp_process_peak_rss_vs_bare_spacy_no_lemmatizer": round(
            max(nlp_rss, default=0.0) / peak_rss["bare_spacy_no_lemmatizer"], 3
        ),
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


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
