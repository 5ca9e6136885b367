"""Reading articles from files: JSON, JSON Lines or plain text."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from stream.codec import article_from_dict
from stream.errors import ArticleError, InputError, InvalidJsonError
from stream.models import Article


def read_records(paths: list[str]) -> Iterator[tuple[str, Any]]:
    """Yield (where, record) for every article in the given files; "-" reads stdin.

    `.json` holds one article or a list of them, `.jsonl` one per line, and any
    other file is one plain-text article whose id is the file name's stem.
    A directory stands for the articles directly inside it. A record that is
    not valid JSON is yielded as an InvalidJsonError for the caller to report
    (`where` names the file and line); a file that cannot be read as UTF-8 text
    raises InputError.
    """
    for name in paths:
        if name == "-":
            yield from _parse_text("<stdin>", _decode("<stdin>", sys.stdin.buffer.read()), stem="stdin")
            continue
        path = Path(name)
        try:
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        except OSError as exc:
            raise InputError(f"{name}: {exc.strerror or exc}") from exc
        for file in files:
            if path.is_dir() and file.suffix not in (".json", ".jsonl", ".txt"):
                continue
            yield from _parse_file(file)


def read_articles(paths: list[str], *, max_chars: int) -> Iterator[tuple[str, Any, Article | ArticleError]]:
    """read_records() checked against the input contract: (where, record, the Article or why not)."""
    for where, record in read_records(paths):
        if isinstance(record, ArticleError):
            yield where, record, record
            continue
        try:
            yield where, record, article_from_dict(record, max_chars=max_chars)
        except ArticleError as exc:
            yield where, record, exc


def _decode(where: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise InputError(f"{where}:{line}: not UTF-8 text (byte 0x{byte} at column {column})") from exc


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    return _decode(str(path), data)


def _parse_file(path: Path) -> Iterator[tuple[str, Any]]:
    text = _read(path)
    if path.suffix == ".jsonl":
        yield from _parse_lines(str(path), text)
    elif path.suffix == ".json":
        yield from _parse_json(str(path), text)
    else:
        yield str(path), {"id": path.stem, "body": text.rstrip("\n")}


def _parse_text(where: str, text: str, *, stem: str) -> Iterator[tuple[str, Any]]:
    """Stdin: JSON, JSON Lines or plain text, told apart by the first character."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _parse_json(where, text)
    elif stripped.startswith("{"):
        # One JSON object (possibly pretty-printed), else JSON Lines.
        try:
            yield where, orjson.loads(text)
        except orjson.JSONDecodeError:
            yield from _parse_lines(where, text)
    else:
        yield where, {"id": stem, "body": text.rstrip("\n")}


def _parse_json(where: str, text: str) -> Iterator[tuple[str, Any]]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield f"{where}:{exc.lineno}", InvalidJsonError(f"not valid JSON at column {exc.colno}: {exc.msg}")
        return
    for i, item in enumerate(data if isinstance(data, list) else [data]):
        yield f"{where}[{i}]", item


def _parse_lines(where: str, text: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            record = InvalidJsonError(f"not valid JSON at column {exc.colno}: {exc.msg}")
        yield f"{where}:{number}", record
