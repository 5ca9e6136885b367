"""Gold files from public corpora, read from the git directories they are fetched as.

`build(corpus, source, split, out_dir)` writes `<corpus>-<split>.<ext>` into `out_dir`
(keep it git-ignored: the corpora are copyrighted news). Held-back splits are refused:
they are for final evaluation only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from stream.errors import EvaluationError
from stream.evaluation.corpora import conll, gap, ggt, polnear
from stream.evaluation.corpora.git import git_dir


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    splits: tuple[str, ...]
    held_back: tuple[str, ...]
    build: Callable[[str, str], tuple[str, str]]  # (git dir, split) -> (file text, summary)
    extension: str


def _polnear(git: str, split: str) -> tuple[str, str]:
    built = polnear.build_polnear(git, split)
    quotes = sum(len(r["quotes"]) for r in built.records)
    skipped = f", {built.skipped_lines} malformed annotation lines skipped" if built.skipped_lines else ""
    return _jsonl(built.records), f"{len(built.records)} articles, {quotes} quotes{skipped}"


def _ggt(git: str, split: str) -> tuple[str, str]:
    built = ggt.build_ggt(git, split)
    quotes = sum(len(r["quotes"]) for r in built.records)
    unplaced = f", skipped {built.unplaced} of the sheet's quotes without usable offsets" if built.unplaced else ""
    return _jsonl(built.records), f"{len(built.records)} articles, {quotes} quotes{unplaced}"


def _gap(git: str, split: str) -> tuple[str, str]:
    text = gap.build_gap(git, split)
    return text, f"{text.count(chr(10)) - 1} examples"


def _conll(git: str, split: str) -> tuple[str, str]:
    text = conll.build_conll(git, split)
    return text, f"{text.count(chr(10) + chr(10))} sentences"


def _jsonl(records: list[dict[str, object]]) -> str:
    return "".join(orjson.dumps(r).decode() + "\n" for r in records)


CORPORA = {
    "polnear": Corpus("PolNeAR", polnear.SPLITS, polnear.HELD_BACK, _polnear, "jsonl"),
    "ggt": Corpus("the Gender Gap Tracker set", ggt.SPLITS, ggt.HELD_BACK, _ggt, "jsonl"),
    "gap": Corpus("GAP", gap.SPLITS, gap.HELD_BACK, _gap, "tsv"),
    "conll": Corpus("CoNLL-2003", conll.SPLITS, conll.HELD_BACK, _conll, "txt"),
}


def check_split(corpus: str, split: str) -> None:
    """EvaluationError for a held-back or unknown split, before anything is read."""
    spec = CORPORA[corpus]
    if split in spec.held_back:
        raise EvaluationError(
            f"{spec.name} {split} is held back for final evaluation and is never built; "
            f"build {' or '.join(spec.splits)}"
        )
    if split not in spec.splits:
        raise EvaluationError(f"{spec.name} has no split {split!r}; build {' or '.join(spec.splits)}")


def build(corpus: str, source: str, split: str, out_dir: str) -> Path:
    """Write the gold file of one split; a line on stderr says what it holds."""
    check_split(corpus, split)
    text, summary = CORPORA[corpus].build(git_dir(source), split)
    out = Path(out_dir) / f"{corpus}-{split}.{CORPORA[corpus].extension}"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(out.suffix + ".part")
    partial.write_text(text, "utf-8")
    partial.replace(out)
    print(f"newswire: wrote {out}: {summary}", file=sys.stderr)
    return out
