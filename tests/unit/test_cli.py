"""The newswire command as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from stream.settings import describe

from ..conftest import ROOT, service_environ


def newswire(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stream", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
        env={**service_environ(), **(env or {})},
    )


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The command's only line on stderr (no traceback, no library noise)."""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, result.stderr.decode()
    return lines[0]


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
    assert result.returncode == 2
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
    assert "exit status:" in text and "2    bad usage or input" in text
    for command in ("worker", "enrich", "replay", "topics"):
        help_text = newswire(command, "--help")
        assert help_text.returncode == 0
        assert "1    a service could not be reached" in help_text.stdout.decode()


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


def test_enrich_of_a_missing_file_names_it_and_exits_2() -> None:
    result = newswire("enrich", "/nonexistent.json")
    assert result.returncode == 2
    assert one_line(result) == "newswire: /nonexistent.json: No such file or directory"


def test_enrich_of_a_file_that_is_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a", "body": "ok"}\n{"id": "b", "body": "caf\xe9"}\n')
    result = newswire("enrich", str(path))
    assert result.returncode == 2
    assert one_line(result) == f"newswire: {path}:2: not UTF-8 text (byte 0xe9 at column 25)"


def test_malformed_json_names_the_file_once_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "a",\n "body": x}\n')
    result = newswire("enrich", str(path))
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"newswire: {path}:2: not valid JSON at column 10"), line
    assert line.count(str(path)) == 1


def test_enrich_with_an_unknown_model_or_unwritable_output_is_one_line() -> None:
    seed = str(ROOT / "seeds" / "kremlin-palmyra.json")
    result = newswire("enrich", "--model", "no_such_model", seed)
    assert result.returncode == 2
    assert one_line(result) == "newswire: no spaCy pipeline 'no_such_model' is installed (NEWSWIRE_MODEL or --model)"
    result = newswire("enrich", "-o", "/nonexistent/dir/out.jsonl", seed)
    assert result.returncode == 2
    assert one_line(result) == "newswire: /nonexistent/dir/out.jsonl: No such file or directory"


def test_a_bad_option_value_is_a_usage_error() -> None:
    result = newswire("replay", "--repeat", "0", "x.json")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        "newswire replay: error: argument --repeat: must be a whole number of at least 1, got '0'"
    )


def test_replay_and_bench_of_a_missing_file_exit_2_before_any_connection() -> None:
    unreachable = {"NEWSWIRE_BOOTSTRAP_SERVERS": "127.0.0.1:1"}
    result = newswire("replay", "/nonexistent.json", env=unreachable)
    assert result.returncode == 2
    assert one_line(result) == "newswire: /nonexistent.json: No such file or directory"
    result = newswire("bench", "--seeds", "/nonexistent", env=unreachable)
    assert result.returncode == 2
    assert one_line(result) == "newswire: /nonexistent: No such file or directory"


def test_an_unreachable_broker_is_one_line_and_exit_1_for_replay_and_topics() -> None:
    unreachable = {"NEWSWIRE_BOOTSTRAP_SERVERS": "127.0.0.1:1"}
    for args in (("replay", str(ROOT / "seeds" / "kremlin-palmyra.json")), ("topics",)):
        result = newswire(*args, env=unreachable)
        assert result.returncode == 1, result.stderr
        line = one_line(result)  # no "Unclosed AIOKafkaProducer" after it
        assert line.startswith("newswire: Kafka at 127.0.0.1:1: KafkaConnectionError: Unable to bootstrap"), line
        assert "Connect call failed" in line


def test_the_worker_with_an_unknown_model_is_one_line_and_exit_2() -> None:
    result = newswire("worker", env={"NEWSWIRE_MODEL": "no_such_model", "NEWSWIRE_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    assert result.returncode == 2
    assert one_line(result) == "newswire: no spaCy pipeline 'no_such_model' is installed (NEWSWIRE_MODEL or --model)"


def test_an_unknown_newswire_variable_is_named_on_stderr() -> None:
    result = newswire("enrich", "/nonexistent.json", env={"NEWSWIRE_BATCHSIZE": "8"})
    assert "unknown setting NEWSWIRE_BATCHSIZE is ignored; did you mean NEWSWIRE_BATCH_SIZE?" in result.stderr.decode()
