"""Reading gold quote files and predictions: good records, and one clear error for bad ones."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from stream.errors import EvaluationError
from stream.evaluation.gold import GoldQuote, PredictedQuote, read_gold_quotes, read_predictions

from ..conftest import DATA

QUOTE = {"content": [10, 12], "speaker": [0, 4], "cue": [5, 9], "name": "Anna", "direct": False}
GOOD = {"id": "a", "body": "Anna said hi.", "quotes": [QUOTE]}


def write(tmp_path: Path, *lines: str, name: str = "gold.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return str(path)


def test_a_gold_line_becomes_an_article(tmp_path: Path) -> None:
    [article] = read_gold_quotes(write(tmp_path, orjson.dumps(GOOD).decode(), ""))
    assert article.id == "a"
    assert article.quotes == (GoldQuote((10, 12), speaker=(0, 4), cue=(5, 9), name="Anna", direct=False),)


def test_the_sample_articles_gold_file_reads_as_one_article() -> None:
    [article] = read_gold_quotes(str(DATA / "kremlin-palmyra.gold.json"))
    assert article.id == "kremlin-palmyra"
    assert len(article.quotes) == 8


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "body": "x"', "gold.jsonl:2: not valid JSON"),
        ('{"id": "a", "quotes": []}', "gold.jsonl:2: not a gold article: missing field 'body'"),
        (
            '{"id": "a", "body": "x", "quotes": [{"content": [0, 9]}]}',
            "gold.jsonl:2: .*quote 0: offsets \\[0, 9\\] outside",
        ),
        ('{"id": "a", "body": "x", "quotes": [{"content": "0-1"}]}', "gold.jsonl:2: .*quote 0: offsets must be"),
        ('{"id": "a", "body": 3, "quotes": []}', "gold.jsonl:2: .*'body' is not a string"),
        ("[1, 2]", "gold.jsonl:2: not a gold article"),
    ],
)
def test_a_bad_gold_line_is_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, orjson.dumps(GOOD).decode(), line)
    with pytest.raises(EvaluationError, match=message):
        read_gold_quotes(path)


def test_missing_and_empty_gold_files(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="nope.jsonl: no such file"):
        read_gold_quotes(str(tmp_path / "nope.jsonl"))
    with pytest.raises(EvaluationError, match="gold.jsonl: no articles"):
        read_gold_quotes(write(tmp_path, ""))


def test_predictions_are_read_from_enriched_events(tmp_path: Path) -> None:
    event = {
        "article_id": "a",
        "quotes": [
            {"content": {"text": "hi", "start": 10, "end": 12}, "cue": {"text": "said", "start": 5, "end": 9},
             "speaker": {"text": "Anna", "start": 0, "end": 4, "name": "Anna Berg"}},
            {"content": {"text": "hi", "start": 10, "end": 12}, "cue": None,
             "speaker": {"text": None, "start": None, "end": None, "name": None}},
        ],
    }  # fmt: skip
    predictions = read_predictions(write(tmp_path, orjson.dumps(event).decode(), name="pred.jsonl"))
    assert predictions == {
        "a": [PredictedQuote((10, 12), speaker=(0, 4), cue=(5, 9), name="Anna Berg"), PredictedQuote((10, 12))]
    }
    with pytest.raises(EvaluationError, match="pred.jsonl:1: not an enriched article: missing field 'quotes'"):
        read_predictions(write(tmp_path, '{"article_id": "a"}', name="pred.jsonl"))
