"""Bytes <-> records at the Kafka edge: orjson plus the input contract.

`decode_article` raises an ArticleError subclass for anything that is not a
valid article; the agent turns that into a dead letter.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from stream.errors import InvalidJsonError, SchemaError, TooLargeError
from stream.models import Article

# Non-str dict keys never occur in our records; sorted keys keep event bytes
# stable for the same input, which makes duplicates easy to spot downstream.
JSON_OPTIONS = orjson.OPT_SORT_KEYS


def encode(record: Any) -> bytes:
    """Serialize a record (dataclasses included) to JSON bytes."""
    return orjson.dumps(record, option=JSON_OPTIONS)


def decode_article(raw: bytes | str | None, *, max_bytes: int, max_chars: int) -> Article:
    """Parse and validate one raw message; raise an ArticleError subclass if unusable."""
    if raw is None:
        raise SchemaError("message has no value (tombstone)")
    size = len(raw)
    if size > max_bytes:
        raise TooLargeError(f"message is {size} bytes, over the limit of {max_bytes}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidJsonError(f"not valid UTF-8 JSON: {exc}") from exc
    return article_from_dict(data, max_chars=max_chars)


def article_from_dict(data: Any, *, max_chars: int) -> Article:
    """Validate a decoded JSON value against the article schema and build an Article."""
    errors = sorted(article_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise SchemaError("; ".join(_describe(e) for e in errors[:3]))
    body = data["body"]
    if len(body) > max_chars:
        raise TooLargeError(f"body is {len(body)} characters, over the limit of {max_chars}")
    published_at = data.get("published_at")
    if published_at is not None:
        _check_timestamp(published_at)
    return Article(
        id=data["id"],
        body=body,
        headline=data.get("headline"),
        byline=data.get("byline"),
        source=data.get("source"),
        url=data.get("url"),
        published_at=published_at,
        language=data.get("language"),
        version=data.get("version"),
    )


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the JSON Schemas shipped in `stream/schemas/` (article, enriched, quote, entity, dead_letter, lineage)."""
    text = resources.files("stream.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def article_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("article"))


def _describe(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "message"
    if error.validator == "pattern" and where == "body":
        return "body: is empty or only whitespace"
    message = error.message
    if len(message) > 200:
        message = message[:200] + "..."
    return f"{where}: {message}"


def _check_timestamp(value: str) -> None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SchemaError(f"published_at: {value[:64]!r} is not an ISO 8601 timestamp") from exc
    if parsed.tzinfo is None:
        raise SchemaError(f"published_at: {value[:64]!r} has no time zone")
