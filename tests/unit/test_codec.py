from __future__ import annotations

import orjson
import pytest

from stream.codec import decode_article, encode
from stream.errors import InvalidJsonError, SchemaError, TooLargeError
from stream.models import Article

LIMITS = {"max_bytes": 2_000, "max_chars": 500}


def test_decodes_a_valid_article_with_optional_fields() -> None:
    raw = orjson.dumps(
        {
            "id": "a1",
            "body": "The minister said so.",
            "headline": "Minister speaks",
            "published_at": "2024-05-01T08:30:00Z",
            "version": 2,
            "extra": "ignored",
        }
    )
    article = decode_article(raw, **LIMITS)
    assert article == Article(
        id="a1",
        body="The minister said so.",
        headline="Minister speaks",
        published_at="2024-05-01T08:30:00Z",
        version=2,
    )


@pytest.mark.parametrize(
    ("raw", "error", "reason", "says"),
    [
        (b"not json", InvalidJsonError, "invalid_json", "not valid UTF-8 JSON"),
        (b'{"id": "a", "body": "caf\xe9"}', InvalidJsonError, "invalid_json", "UTF-8"),
        (b"", InvalidJsonError, "invalid_json", "not valid"),
        (None, SchemaError, "schema", "tombstone"),
        (b"[1, 2]", SchemaError, "schema", "is not of type 'object'"),
        (b'{"id": "a"}', SchemaError, "schema", "'body' is a required property"),
        (b'{"body": "text"}', SchemaError, "schema", "'id' is a required property"),
        (b'{"id": "a", "body": 7}', SchemaError, "schema", "body: 7 is not of type 'string'"),
        (b'{"id": 7, "body": "x"}', SchemaError, "schema", "id: 7 is not of type 'string'"),
        (b'{"id": "a", "body": " \\n\\t "}', SchemaError, "schema", "empty or only whitespace"),
        (b'{"id": "a", "body": "x", "published_at": "monday"}', SchemaError, "schema", "not an ISO 8601"),
        (b'{"id": "a", "body": "x", "published_at": "2024-05-01T08:30:00"}', SchemaError, "schema", "no time zone"),
        (b'{"id": "a", "body": "' + b"x" * 600 + b'"}', TooLargeError, "too_large", "600 characters"),
        (b" " * 2_001, TooLargeError, "too_large", "2001 bytes"),
    ],
)
def test_rejects_bad_input_with_a_reason(raw: bytes | None, error: type, reason: str, says: str) -> None:
    with pytest.raises(error) as caught:
        decode_article(raw, **LIMITS)
    assert caught.value.reason == reason
    assert says in str(caught.value)


def test_deeply_nested_json_is_rejected_not_recursed() -> None:
    with pytest.raises(InvalidJsonError, match="depth limit"):
        decode_article(b"[" * 5_000 + b"]" * 5_000, max_bytes=20_000, max_chars=500)


def test_encoding_is_stable_for_the_same_record() -> None:
    article = Article(id="a", body="b", headline="h")
    assert encode(article) == encode(Article(id="a", body="b", headline="h"))
    assert orjson.loads(encode(article))["headline"] == "h"
