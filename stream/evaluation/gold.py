"""The project's gold quote format, and reading it and predictions from files.

A gold file is JSON Lines (or a .json file holding one record or a list), one article
a line::

    {"id": str, "body": str,
     "quotes": [{"content": [start, end], "speaker": [start, end] | null,
                 "cue": [start, end] | null, "name": str | null, "direct": bool}]}

Offsets are character offsets into "body"; "name" is the speaker's resolved name
(or, for an unnamed speaker, the description the annotators wrote). Predictions are
`newswire enrich` output: one enriched event a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from stream.errors import EvaluationError

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldQuote:
    content: Offsets
    speaker: Offsets | None = None
    cue: Offsets | None = None
    name: str | None = None
    direct: bool = False


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    body: str
    quotes: tuple[GoldQuote, ...]


@dataclass(frozen=True, slots=True)
class PredictedQuote:
    """What the scorer reads of a quote the service found."""

    content: Offsets
    speaker: Offsets | None = None
    cue: Offsets | None = None
    name: str | None = None


def read_json_records(path: str) -> Iterator[tuple[str, Any]]:
    """(where, record) for each record of a .jsonl file, or of a .json file holding one or a list."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read: {exc}") from exc
    if file.suffix == ".json":
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise EvaluationError(f"{path}: not valid JSON: {exc}") from exc
        for i, record in enumerate(data if isinstance(data, list) else [data]):
            yield f"{path}[{i}]", record
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}:{number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise EvaluationError(f"{path}:{number}: not valid JSON: {exc}") from exc


def read_gold_quotes(path: str) -> list[GoldArticle]:
    """The articles of a gold quote file; EvaluationError naming the file and line on bad input."""
    articles = []
    for where, record in read_json_records(path):
        try:
            articles.append(gold_article(record))
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"{where}: not a gold article: {_why(exc)}") from exc
    if not articles:
        raise EvaluationError(f"{path}: no articles")
    return articles


def gold_article(record: dict[str, Any]) -> GoldArticle:
    body = record["body"]
    if not isinstance(body, str):
        raise TypeError("'body' is not a string")
    if not isinstance(record["id"], str | int):
        raise TypeError("'id' is not a string")
    quotes = []
    for i, quote in enumerate(record["quotes"]):
        try:
            quotes.append(
                GoldQuote(
                    content=_offsets(quote["content"], len(body)),
                    speaker=_optional_offsets(quote.get("speaker"), len(body)),
                    cue=_optional_offsets(quote.get("cue"), len(body)),
                    name=_optional_text(quote.get("name")),
                    direct=bool(quote.get("direct", False)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"quote {i}: {_why(exc)}") from exc
    return GoldArticle(str(record["id"]), body, tuple(quotes))


def read_predictions(path: str) -> dict[str, list[PredictedQuote]]:
    """Predicted quotes by article id, from enriched events (`newswire enrich` output)."""
    predictions: dict[str, list[PredictedQuote]] = {}
    for where, record in read_json_records(path):
        try:
            predictions[str(record["article_id"])] = [predicted_quote(q) for q in record["quotes"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"{where}: not an enriched article: {_why(exc)}") from exc
    return predictions


def predicted_quote(quote: dict[str, Any]) -> PredictedQuote:
    speaker = quote.get("speaker") or {}
    content = _span_offsets(quote["content"])
    if content is None:
        raise ValueError("a quote without content offsets")
    return PredictedQuote(
        content=content,
        speaker=_span_offsets(speaker),
        cue=_span_offsets(quote.get("cue")),
        name=_optional_text(speaker.get("name")),
    )


def _span_offsets(span: dict[str, Any] | None) -> Offsets | None:
    """A model Span ({"start": s, "end": e, ...}) as offsets; None when absent or empty."""
    if not span or span.get("start") is None:
        return None
    return int(span["start"]), int(span["end"])


def _offsets(value: Any, length: int) -> Offsets:
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise ValueError(f"offsets must be [start, end], got {value!r}")
    start, end = value
    # start > end occurs (PolNeAR's discontinuous spans listed out of order): such a span covers no word.
    if not (0 <= start <= length and 0 <= end <= length):
        raise ValueError(f"offsets {list(value)} outside the body (length {length})")
    return start, end


def _optional_offsets(value: Any, length: int) -> Offsets | None:
    return None if value is None else _offsets(value, length)


def _optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"name {value!r} is not a string")
    return value or None


def _why(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
