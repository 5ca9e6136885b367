"""The newswire command as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from stream.settings import describe

from ..conftest import ROOT


def newswire(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stream", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300, check=False
    )


def test_enrich_prints_the_sample_with_its_people_places_and_organisations() -> None:
    result = newswire("enrich", str(ROOT / "seeds" / "kremlin-palmyra.json"))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    event = orjson.loads(line)
    assert event["article_id"] == "kremlin-palmyra"
    entities = {(e["name"], e["label"]) for e in event["entities"]}
    for expected in [("Dmitry Peskov", "PERSON"), ("Vladimir Putin", "PERSON"), ("Kremlin", "ORG"), ("Syria", "GPE")]:
        assert expected in entities


def test_enrich_reads_jsonl_from_stdin_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = b'{"id": "a", "body": "Anna Berg said it rained in Oslo."}\nnot json\n{"id": "c"}\n'
    result = newswire("enrich", "-", stdin=lines)
    assert result.returncode == 1
    assert [orjson.loads(x)["article_id"] for x in result.stdout.splitlines()] == ["a"]
    errors = result.stderr.decode()
    assert "<stdin>:2: not valid JSON" in errors
    assert "<stdin>:3" in errors and "'body' is a required property" in errors


def test_every_seed_is_a_valid_article() -> None:
    result = newswire("enrich", str(ROOT / "seeds"))
    assert result.returncode == 0, result.stderr
    ids = [orjson.loads(x)["article_id"] for x in result.stdout.splitlines()]
    assert len(ids) == len(list((ROOT / "seeds").glob("*.json"))) >= 6


def test_help_lists_commands_and_settings() -> None:
    result = newswire("--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    for command in ("worker", "enrich", "replay", "topics"):
        assert command in text
    assert "NEWSWIRE_BOOTSTRAP_SERVERS" in text
    for command in ("worker", "enrich", "replay", "topics"):
        assert newswire(command, "--help").returncode == 0


def test_bad_settings_are_a_clear_error_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stream", "topics"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NEWSWIRE_PARTITIONS": "zero"},
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "newswire: NEWSWIRE_PARTITIONS must be a int, got 'zero'"


def test_the_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, default, _ in describe():
        shown = f"`{default}`" if default else ""
        row = f"| `{name}` | {shown} |"
        assert row in readme, f"{name} (default {default!r}) is not in the README's settings table"


def test_the_offline_commands_do_not_import_kafka_clients() -> None:
    code = (
        "import sys, stream.cli, stream.codec, stream.files; print(sorted({'aiokafka', 'asyncio'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120, check=True)
    assert result.stdout.strip() == b"[]"


def test_kafka_errors_are_told_apart_from_bugs() -> None:
    from aiokafka.errors import KafkaConnectionError

    from stream.cli import is_kafka_error

    assert is_kafka_error(KafkaConnectionError("no broker"))
    assert not is_kafka_error(ValueError("a bug"))
