"""`newswire eval` as a user runs it: figures, bad input, held-back splits, and the progress bar."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import termios
from pathlib import Path

import orjson

from ..conftest import DATA, ROOT
from .test_cli import newswire

KEYS = {"P", "R", "F1", "direct_R", "speaker", "cue", "name_strict", "name_lenient"}


def test_help_lists_the_eval_subcommands() -> None:
    result = newswire("eval", "--help")
    assert result.returncode == 0
    for command in ("quotes", "entities", "coref", "build"):
        assert command in result.stdout.decode()
        assert newswire("eval", command, "--help").returncode == 0


def test_quotes_scores_given_predictions(tmp_path: Path) -> None:
    body = 'Anna Berg said "it will pass" and left.'
    quote = {"content": [16, 28], "speaker": [0, 9], "cue": [10, 14], "name": "Anna Berg", "direct": True}
    gold = {"id": "a", "body": body, "quotes": [quote]}
    found = {
        "content": {"start": 16, "end": 28},
        "cue": {"start": 10, "end": 14},
        "speaker": {"start": 5, "end": 9, "name": "Berg"},
    }
    spurious = {"content": {"start": 33, "end": 38}, "cue": None, "speaker": None}
    pred = {"article_id": "a", "quotes": [found, spurious]}
    (tmp_path / "gold.jsonl").write_bytes(orjson.dumps(gold) + b"\n")
    (tmp_path / "pred.jsonl").write_bytes(orjson.dumps(pred) + b"\n")
    result = newswire("eval", "quotes", str(tmp_path / "gold.jsonl"), "--pred", str(tmp_path / "pred.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    figures = orjson.loads(result.stdout)
    assert set(figures) == {"0.3", "0.8"}
    assert KEYS <= set(figures["0.8"])
    assert (figures["0.8"]["P"], figures["0.8"]["R"], figures["0.8"]["F1"]) == (50.0, 100.0, 66.7)
    assert (figures["0.8"]["speaker"], figures["0.8"]["name_strict"], figures["0.8"]["name_lenient"]) == (
        100.0,
        0.0,
        100.0,
    )

    listed = newswire(
        "eval", "quotes", str(tmp_path / "gold.jsonl"), "--pred", str(tmp_path / "pred.jsonl"), "--errors"
    )
    text = listed.stdout.decode()
    assert "0 missed, 1 spurious, 0 wrong names" in text
    assert 'a @33 spurious: "left"' in text


def test_quotes_runs_the_enrichment_on_the_sample_gold() -> None:
    result = newswire("eval", "quotes", str(DATA / "kremlin-palmyra.gold.json"), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""  # no progress bar when stderr is not a terminal
    figures = orjson.loads(result.stdout)["0.8"]
    assert (figures["P"], figures["R"], figures["speaker"], figures["name_strict"]) == (100.0, 100.0, 100.0, 100.0)


def test_quotes_attributions_reach_the_enrichment() -> None:
    # The Leeds seed's gold holds statements only; with all attributions, its fear and its
    # unrealised speech are published too, as thoughts, and count as spurious.
    gold = str(DATA / "leeds-bus-drivers-strike.gold.json")
    statements = orjson.loads(newswire("eval", "quotes", gold, "--json").stdout)["0.8"]
    everything = newswire("eval", "quotes", gold, "--attributions", "all", "--json")
    assert everything.returncode == 0, everything.stderr
    figures = orjson.loads(everything.stdout)["0.8"]
    assert (statements["P"], statements["R"]) == (100.0, 100.0)
    assert figures["R"] == 100.0 and figures["P"] < 100.0


def test_attributions_apply_only_when_the_enrichment_runs_here(tmp_path: Path) -> None:
    (tmp_path / "pred.jsonl").write_bytes(b"")
    gold = str(DATA / "kremlin-palmyra.gold.json")
    result = newswire("eval", "quotes", gold, "--pred", str(tmp_path / "pred.jsonl"), "--attributions", "all")
    assert result.returncode == 2
    assert b"--attributions" in result.stderr


def test_entities_scores_a_conll_file(tmp_path: Path) -> None:
    lines = "-DOCSTART- O\n\nAngela B-PER\nMerkel I-PER\nvisited O\nParis B-LOC\non O\nMonday O\n. O\n"
    (tmp_path / "gold.txt").write_text(lines, "utf-8")
    result = newswire("eval", "entities", str(tmp_path / "gold.txt"), "--json")
    assert result.returncode == 0, result.stderr
    figures = orjson.loads(result.stdout)
    assert figures["documents"] == 1
    assert (figures["PER"]["gold"], figures["LOC"]["gold"], figures["ORG"]["gold"]) == (1, 1, 0)
    assert figures["micro"]["tp"] >= 1

    (tmp_path / "wrong.txt").write_text(lines.replace("Paris B-LOC", "Paris B-ORG"), "utf-8")
    listed = newswire("eval", "entities", str(tmp_path / "wrong.txt"), "--errors")
    assert listed.returncode == 0, listed.stderr
    assert "wrong-1 missed ORG 'Paris' in: Angela Merkel visited Paris on Monday ." in listed.stdout.decode()


def one_line_error(result: subprocess.CompletedProcess[bytes], *, naming: str) -> None:
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "Traceback" not in err
    assert err.count("\n") == 1 and naming in err, err


def test_missing_and_malformed_gold_files_are_one_line_and_exit_2(tmp_path: Path) -> None:
    one_line_error(newswire("eval", "quotes", str(tmp_path / "none.jsonl")), naming="none.jsonl: no such file")
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "body": "x", "quotes": []}\n{"id": \n', "utf-8")
    one_line_error(newswire("eval", "quotes", str(tmp_path / "bad.jsonl")), naming="bad.jsonl:2: not valid JSON")
    (tmp_path / "bad.txt").write_text("EU B-ORG\nrejects\n", "utf-8")
    one_line_error(newswire("eval", "entities", str(tmp_path / "bad.txt")), naming="bad.txt:2:")
    one_line_error(newswire("eval", "entities", str(tmp_path / "none.txt")), naming="none.txt: no such file")


def test_build_refuses_a_held_back_split(tmp_path: Path) -> None:
    result = newswire("eval", "build", "polnear", str(ROOT), "--split", "dev", "test", "--out", str(tmp_path))
    one_line_error(result, naming="PolNeAR test is held back for final evaluation")
    assert list(tmp_path.iterdir()) == []


def run_on_a_terminal(*args: str) -> str:
    """Run newswire with stderr on a pseudo-terminal; return what it showed there."""
    main, terminal = pty.openpty()
    termios.tcsetwinsize(terminal, (40, 120))  # a fresh pty has 0 columns
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "stream", *args], stdout=subprocess.DEVNULL, stderr=terminal, cwd=ROOT
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=300)
    os.close(main)
    assert process.returncode == 0, shown
    return shown.decode(errors="replace")


def test_enrich_shows_a_progress_bar_on_a_terminal_unless_quiet() -> None:
    sample = str(ROOT / "seeds" / "kremlin-palmyra.json")
    assert "articles/s" in run_on_a_terminal("enrich", sample)
    assert "articles/s" not in run_on_a_terminal("enrich", "--quiet", sample)


GAP_HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"


def test_coref_scores_a_gap_file_and_writes_gaps_output_format(tmp_path: Path) -> None:
    row = "t-1\tTom Baker met Peter Smith. He left.\tHe\t27\tTom Baker\t0\tTRUE\tPeter Smith\t13\tFALSE\thttp://x\n"
    (tmp_path / "gap.tsv").write_text(GAP_HEADER + row, "utf-8")
    out = tmp_path / "pred.tsv"
    result = newswire("eval", "coref", str(tmp_path / "gap.tsv"), "--predictions", str(out), "--json")
    assert result.returncode == 0, result.stderr
    figures = orjson.loads(result.stdout)
    assert (figures["masculine"], figures["overall"], figures["examples"]) == (100.0, 100.0, 1)
    assert out.read_text("utf-8") == "t-1\tTRUE\tFALSE\n"
    (tmp_path / "bad.tsv").write_text(GAP_HEADER + "t-1\ttext\n", "utf-8")
    one_line_error(newswire("eval", "coref", str(tmp_path / "bad.tsv")), naming="bad.tsv: line 2:")
