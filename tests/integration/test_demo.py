"""The quick start's first command, as a newcomer runs it."""

from __future__ import annotations

import os
import subprocess

import pytest

from .conftest import ROOT, free_port

pytestmark = pytest.mark.integration


def test_the_demo_prints_an_event_per_seed_and_stops_everything() -> None:
    env = {**os.environ, "KAFKA_PORT": str(free_port()), "NEWSWIRE_WEB_PORT": str(free_port())}
    result = subprocess.run(
        ["deploy/local/demo.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seeds = len(list((ROOT / "seeds").glob("*.json")))
    assert f"demo: {seeds} enriched events" in result.stderr
    assert result.stdout.count("\n== ") == seeds
    assert "== kremlin-palmyra" in result.stdout
    assert "Dmitry Peskov said: Our armed forces are not conducting any land operations there" in result.stdout
    assert "stopped broker" in result.stderr
    pid_file = ROOT / ".local" / "demo" / "worker.pid"
    assert not pid_file.exists(), "the demo must stop its worker"
