"""The parts of `newswire bench` that run without a broker."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest
from prometheus_client import CollectorRegistry, Counter, generate_latest

from stream.bench import (
    corpus_from_file,
    halves,
    offline_commands,
    parse_commands,
    run_paced,
    run_to_end,
    stage_seconds,
)
from stream.errors import SchemaError
from stream.settings import Settings

from ..conftest import MODEL


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_a_corpus_file_keeps_the_article_fields_only(tmp_path: Path) -> None:
    corpus = write_jsonl(
        tmp_path / "gold.jsonl",
        [{"id": "a", "body": "Rain, she said.", "quotes": [{"content": "Rain"}], "outlet": "X", "headline": "H"}],
    )
    assert corpus_from_file(str(corpus), max_chars=1000) == [{"id": "a", "body": "Rain, she said.", "headline": "H"}]


def test_an_invalid_article_in_the_corpus_is_an_error(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "bad.jsonl", [{"id": "a", "body": "fine"}, {"id": "b"}])
    with pytest.raises(SchemaError, match="bad.jsonl:2"):
        corpus_from_file(str(corpus), max_chars=1000)


def test_every_offline_path_runs_to_its_end(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "body": '"We will rebuild," Mayor Lena Roth said.'}])
    settings = Settings(model=MODEL, batch_size=4, cache_dir=str(tmp_path / "cache"))
    commands = offline_commands(settings, corpus)
    assert set(commands) == {"bare_spacy_no_lemmatizer", "bare_spacy", "offline_enrich"}
    for name, command in commands.items():
        seconds, cpu_seconds, rss = run_to_end(command, tmp_path / f"{name}.log", env={})
        assert seconds > 0 and cpu_seconds > 0 and rss > 50, name  # a loaded model is tens of MiB


def test_a_failing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited with 3"):
        run_to_end([sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "x.log", env={})


def test_the_stage_seconds_are_read_from_a_workers_metrics() -> None:
    registry = CollectorRegistry()
    seconds = Counter("newswire_nlp_seconds", "NLP seconds by stage.", ["stage"], registry=registry)
    seconds.labels("spacy").inc(8.5)
    seconds.labels("extraction").inc(0.25)
    assert stage_seconds(generate_latest(registry).decode()) == {"spacy": 8.5, "extraction": 0.25}


def test_halves_split_the_text_evenly_and_keep_every_article() -> None:
    corpus = [{"id": str(n), "body": "x" * n} for n in (90, 10, 50, 40, 30, 20)]
    first, second = halves(corpus)
    assert sorted(r["id"] for r in first + second) == sorted(r["id"] for r in corpus)
    assert abs(sum(len(r["body"]) for r in first) - sum(len(r["body"]) for r in second)) <= 10


def test_paced_parses_start_together_and_report_their_cpu(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "body": '"We will rebuild," Mayor Lena Roth said.'}])
    settings = Settings(model=MODEL, batch_size=4)
    commands = parse_commands(settings, corpus, (corpus, corpus))
    assert [len(c) for c in commands.values()] == [1, 2]
    seconds, cpu_seconds = run_paced(commands["parse_2_processes"], tmp_path / "paced.log", env={})
    assert 0 < seconds < 60 and cpu_seconds > 0


def test_a_paced_process_that_never_loads_is_reported(tmp_path: Path) -> None:
    never = [sys.executable, "-c", "import sys; sys.exit(4)"]
    with pytest.raises(RuntimeError, match="did not load"):
        run_paced([never], tmp_path / "x.log", env={})


def test_a_paced_process_that_fails_after_the_release_is_reported(tmp_path: Path) -> None:
    fails = [sys.executable, "-c", "print('loaded', flush=True); input(); raise SystemExit(5)"]
    with pytest.raises(RuntimeError, match="failed"):
        run_paced([fails, fails], tmp_path / "x.log", env={})
