"""Gold quotes with resolved speaker names from the Gender Gap Tracker's annotated set.

The set (Canadian news, 2018-2019) is an Excel sheet of annotations, one row per
article, and a zip of the raw article texts, read at COMMIT (the data left the
repository's HEAD later). Annotation offsets point into the text as GGT's quote
extractor preprocessed it (line breaks made into sentence ends, runs of spaces
squeezed); they are mapped back onto the raw text, which is the gold body.
Articles are split in two halves by a hash of their id: only the dev half is built,
the other is held back for final evaluation.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import orjson

from stream.errors import EvaluationError
from stream.evaluation.corpora.git import read_file

COMMIT = "69d2932bb588c9c571ebc8d905d054fabedcb701"
FOLDER = "NLP/evaluation/src/"
SHEET = FOLDER + "eval/AnnotationTable_byArticle_withReplacementArticles.xlsx"
TEXTS = FOLDER + "rawtext.zip"
SPLITS = ("dev",)
HELD_BACK = ("test",)
# GGT's preprocessing, in order; its annotation offsets refer to the result.
REWRITES = (("\xa0", " "), ("\xe9", " "), ("\n", ".\n "), ("..\n ", ".\n "), (". .\n ", ".\n "), ("  ", " "))
ARTICLE_ID = re.compile(r"([0-9a-f]{24})\)?\s*$")  # the sheet writes ObjectId(...), once without "("
DIRECT = re.compile('["\u201c\u201d]')


def half_of(article_id: str) -> str:
    return "dev" if hashlib.sha1(article_id.encode()).digest()[0] % 2 == 0 else "test"  # noqa: S324 - a split, not security


def preprocessed_offsets(raw: str) -> list[int]:
    """For each character of GGT's preprocessed text, the offset of the raw character it came from."""
    text, origin = raw, list(range(len(raw)))
    for old, new in REWRITES:
        pieces: list[str] = []
        mapped: list[int] = []
        at = 0
        while (hit := text.find(old, at)) >= 0:
            pieces.append(text[at:hit])
            mapped += origin[at:hit]
            pieces.append(new)
            # The k-th new character comes from the k-th old one (the last old one past its length).
            mapped += [origin[hit + min(k, len(old) - 1)] for k in range(len(new))]
            at = hit + len(old)
        pieces.append(text[at:])
        mapped += origin[at:]
        text, origin = "".join(pieces), mapped
    return origin


def parse_offsets(value: Any) -> tuple[int, int] | None:
    """'(12, 40)' -> (12, 40); None for anything else or an empty span."""
    try:
        numbers = [int(x) for x in str(value).strip("()").split(",") if x.strip()]
    except ValueError:
        return None
    return (numbers[0], numbers[1]) if len(numbers) == 2 and numbers[1] > numbers[0] else None


def to_raw(span: tuple[int, int] | None, origin: list[int]) -> list[int] | None:
    if span is None:
        return None
    start, end = span[0], min(span[1], len(origin))
    return [origin[start], origin[end - 1] + 1] if start < end else None


def parse_annotations(cell: str) -> list[dict[str, Any]]:
    """The sheet's JSON list of quotes; a few cells have "}[{" where "},{" belongs."""
    try:
        return list(orjson.loads(cell))
    except orjson.JSONDecodeError:
        return list(orjson.loads(re.sub(r"\}\s*\[\s*\{", "},{", cell)))


def gold_quotes(annotations: list[dict[str, Any]], origin: list[int]) -> list[dict[str, Any]]:
    quotes = []
    for quote in annotations:
        content = to_raw(parse_offsets(quote.get("quote_index")), origin)
        if content is None:
            continue
        quotes.append(
            {
                "content": content,
                "speaker": to_raw(parse_offsets(quote.get("speaker_index")), origin),
                "cue": to_raw(parse_offsets(quote.get("verb_index")), origin),
                "name": (quote.get("reference") or "").strip() or None,
                "direct": bool(DIRECT.search(quote.get("quote", ""))),
            }
        )
    return quotes


@dataclass
class Build:
    records: list[dict[str, Any]] = field(default_factory=list)
    annotated: int = 0  # quotes in the sheet for the built articles
    unplaced: int = 0  # of those, quotes without usable content offsets


def build_ggt(git: str, split: str, *, rev: str = COMMIT) -> Build:
    import openpyxl  # only `newswire eval build ggt` needs it

    with zipfile.ZipFile(io.BytesIO(read_file(git, rev, TEXTS))) as archive:
        texts = {
            name.rsplit("/", 1)[-1].removesuffix(".txt"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".txt")
        }
    sheet = openpyxl.load_workbook(io.BytesIO(read_file(git, rev, SHEET)), read_only=True).worksheets[0]
    build = Build()
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        found = ARTICLE_ID.search(str(row[1]))
        if found is None or found.group(1) not in texts:
            raise EvaluationError(f"{SHEET}: row {row[1]!r} names no article of {TEXTS}")
        article_id = found.group(1)
        if half_of(article_id) != split:
            continue
        raw = texts[article_id]
        try:
            annotations = parse_annotations(str(row[13]))
        except orjson.JSONDecodeError as exc:
            raise EvaluationError(f"{SHEET}: article {article_id}: annotations are not JSON: {exc}") from exc
        quotes = gold_quotes(annotations, preprocessed_offsets(raw))
        build.annotated += len(annotations)
        build.unplaced += len(annotations) - len(quotes)
        build.records.append({"id": article_id, "body": raw, "quotes": quotes, "outlet": row[2]})
    return build
