"""A real Prometheus server scrapes the worker while the seeds are replayed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, free_port

pytestmark = pytest.mark.integration

SEEDS = sorted((ROOT / "seeds").glob("*.json"))


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, expr: str) -> float | None:
        """The single value of an instant query, or None when it has no result."""
        with urllib.request.urlopen(f"{self.url}/api/v1/query?query={urllib.parse.quote(expr)}", timeout=10) as r:
            body = json.load(r)
        assert body["status"] == "success", body
        result = body["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, expr: str, expected: float, *, timeout: float = 90) -> float | None:
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.query(expr)
            if value == expected:
                return value
            time.sleep(1)
        return value


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator:
    if shutil.which("prometheus") is None:
        pytest.fail("prometheus is not installed: run deploy/local/setup.sh --test (make test does)")
    processes: list[subprocess.Popen[bytes]] = []

    def start(target: str) -> Prometheus:
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            f"scrape_configs:\n  - job_name: newswire\n    static_configs: [{{targets: ['{target}']}}]\n"
        )
        address = f"127.0.0.1:{free_port()}"
        log = (tmp_path / "prometheus.log").open("wb")
        processes.append(
            subprocess.Popen(
                [
                    "prometheus",
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                    f"--web.listen-address={address}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        log.close()
        url = f"http://{address}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return Prometheus(url)
            except OSError:
                pass
            if time.monotonic() > deadline or processes[-1].poll() is not None:
                raise AssertionError((tmp_path / "prometheus.log").read_text(errors="replace")[-3000:])
            time.sleep(0.5)

    yield start
    for process in processes:
        process.terminate()
        process.wait(30)


def test_prometheus_counts_what_was_replayed(make_worker, prometheus_for) -> None:
    worker = make_worker()
    worker.start()
    prometheus = prometheus_for(f"127.0.0.1:{worker.env['NEWSWIRE_WEB_PORT']}")
    assert prometheus.wait_for('up{job="newswire"}', 1) == 1

    subprocess.run([sys.executable, "-m", "stream", "replay", *map(str, SEEDS)], env=worker.env, check=True)
    bad = [("bad-1", b"{not json"), ("bad-2", b'{"id": "bad-2", "body": 42}')]
    worker.produce(bad)
    assert len(worker.consume("enriched", len(SEEDS))) == len(SEEDS)
    assert len(worker.consume("dlq", len(bad))) == len(bad)

    assert prometheus.wait_for("newswire_articles_enriched_total", len(SEEDS)) == len(SEEDS)
    assert prometheus.wait_for("newswire_articles_consumed_total", len(SEEDS) + len(bad)) == len(SEEDS) + len(bad)
    assert prometheus.wait_for("sum(newswire_articles_dead_lettered_total)", len(bad)) == len(bad)
    assert prometheus.query('newswire_articles_dead_lettered_total{reason="invalid_json"}') == 1
    assert prometheus.query('newswire_articles_dead_lettered_total{reason="schema"}') == 1
    assert prometheus.wait_for('newswire_events_produced_total{output="enriched"}', len(SEEDS)) == len(SEEDS)
    assert prometheus.wait_for("newswire_ready", 1) == 1
    assert prometheus.wait_for("sum(newswire_consumer_lag_messages)", 0, timeout=60) == 0
    quotes = prometheus.query("sum(newswire_quotes_total)")
    assert quotes is not None and quotes >= len(SEEDS)
