"""Entity scoring on CoNLL-2003-style files: exact mention spans, per type and micro-averaged.

Reading: one token and its tag a line (the tag is the last column, IOB1 or IOB2), a blank
line between sentences. Documents: a `-DOCSTART-` line starts one; a file without them
(the common public copy has none) starts one at each Reuters dateline sentence ("LONDON
1996-08-30": a short sentence ending in a YYYY-MM-DD date), together with the headline
sentence before it. Text: a document's tokens joined by single spaces, its sentences by
line breaks (the service starts a sentence at each line break).

Types: the service's PERSON is PER, ORG is ORG, GPE, LOC and FAC are LOC. CoNLL's MISC
and the service's other labels (NORP, DATE, ...) are not scored. A predicted mention
maps to the tokens its characters overlap (one that starts or ends inside a token
takes the whole token, and is counted as off the token grid); it is right when its
first token, last token and type equal a gold mention's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stream.errors import EvaluationError

SCORED_TYPES = ("PER", "ORG", "LOC")
SERVICE_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATELINE_MAX_TOKENS = 6

Mention = tuple[int, int, str]  # first token, last token (inclusive), type


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int  # of its first token, for messages


@dataclass
class Document:
    """A rebuilt text with each token's character offsets and the gold mentions over token indices."""

    id: str
    text: str
    offsets: list[tuple[int, int]]
    gold: set[Mention] = field(default_factory=set)


def read_conll(path: str) -> list[list[Sentence]]:
    """Documents as lists of sentences; EvaluationError naming the file and line on bad input."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read: {exc}") from exc
    documents: list[list[Sentence]] = []
    marked = any(line.startswith("-DOCSTART-") for line in lines)
    tokens: list[str] = []
    tags: list[str] = []
    first = 0
    current: list[Sentence] = []

    def end_sentence() -> None:
        if tokens:
            current.append(Sentence(tuple(tokens), tuple(tags), first))
            tokens.clear()
            tags.clear()

    for number, line in enumerate([*lines, ""], start=1):
        if line.startswith("-DOCSTART-"):
            end_sentence()
            if current:
                documents.append(current)
            current = []
        elif not line.strip():
            end_sentence()
        else:
            fields = line.split()
            tag = fields[-1]
            if len(fields) < 2 or not (tag == "O" or re.fullmatch(r"[BIES]-\S+", tag)):
                raise EvaluationError(f"{path}:{number}: expected 'TOKEN ... TAG' with an IOB tag, got {line!r}")
            if not tokens:
                first = number
            tokens.append(fields[0])
            tags.append(tag)
    if current:
        documents.append(current)
    if not documents:
        raise EvaluationError(f"{path}: no sentences")
    return documents if marked else split_at_datelines(documents[0])


def is_dateline(sentence: Sentence) -> bool:
    return len(sentence.tokens) <= DATELINE_MAX_TOKENS and bool(DATE.fullmatch(sentence.tokens[-1]))


def split_at_datelines(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Reuters articles: a headline sentence, a dateline sentence, the story."""
    starts = [0] + [i - 1 for i in range(2, len(sentences)) if is_dateline(sentences[i])]
    bounds = [*starts, len(sentences)]
    return [list(sentences[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def gold_mentions(tags: Sequence[str]) -> set[Mention]:
    """Mentions of the scored types from IOB1/IOB2 tags (BIOES too)."""
    mentions: set[Mention] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix in ("I", "E") and label == kind and start >= 0
        if not continues:
            if start >= 0 and kind in SCORED_TYPES:
                mentions.add((start, i - 1, kind))
            start, kind = (i, label) if prefix != "O" else (-1, "")
        if prefix in ("E", "S"):
            if kind in SCORED_TYPES:
                mentions.add((start, i, kind))
            start, kind = -1, ""
    return mentions


def build_document(doc_id: str, sentences: Sequence[Sentence]) -> Document:
    """Join tokens by spaces and sentences by line breaks, keeping each token's offsets."""
    pieces: list[str] = []
    offsets: list[tuple[int, int]] = []
    gold: set[Mention] = set()
    at = 0
    for s, sentence in enumerate(sentences):
        base = len(offsets)
        gold |= {(first + base, last + base, kind) for first, last, kind in gold_mentions(sentence.tags)}
        for t, token in enumerate(sentence.tokens):
            if s or t:
                separator = " " if t else "\n"
                pieces.append(separator)
                at += 1
            pieces.append(token)
            offsets.append((at, at + len(token)))
            at += len(token)
    return Document(doc_id, "".join(pieces), offsets, gold)


def conll_documents(path: str) -> list[Document]:
    stem = Path(path).stem
    return [build_document(f"{stem}-{i + 1}", sentences) for i, sentences in enumerate(read_conll(path))]


@dataclass
class Mapped:
    mentions: set[Mention]
    off_grid: int  # predicted mentions that started or ended inside a token


def map_mentions(document: Document, predicted: Iterable[tuple[int, int, str]]) -> Mapped:
    """Service mentions (character start, end, label) as token mentions of the scored types."""
    starts = [s for s, _ in document.offsets]
    ends = [e for _, e in document.offsets]
    mapped = Mapped(set(), 0)
    for start, end, label in predicted:
        kind = SERVICE_TYPES.get(label)
        if kind is None:
            continue
        first, last = bisect_right(ends, start), bisect_left(starts, end) - 1
        if last < first:
            continue
        mapped.off_grid += starts[first] != start or ends[last] != end
        mapped.mentions.add((first, last, kind))
    return mapped


@dataclass
class EntityCounts:
    true_positives: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    off_grid: int = 0

    def add(self, gold: set[Mention], predicted: set[Mention]) -> None:
        for _, _, kind in gold:
            self.gold[kind] += 1
        for _, _, kind in predicted:
            self.predicted[kind] += 1
        for _, _, kind in gold & predicted:
            self.true_positives[kind] += 1

    def figures(self) -> dict[str, dict[str, float | int]]:
        """P, R, F1 (percentages) and the counts, per type and "micro" over the scored types."""
        rows = {
            kind: self._row(self.true_positives[kind], self.predicted[kind], self.gold[kind]) for kind in SCORED_TYPES
        }
        rows["micro"] = self._row(
            sum(self.true_positives.values()), sum(self.predicted.values()), sum(self.gold.values())
        )
        return rows

    @staticmethod
    def _row(tp: int, predicted: int, gold: int) -> dict[str, float | int]:
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "P": round(100 * precision, 1),
            "R": round(100 * recall, 1),
            "F1": round(100 * f1, 1),
            "tp": tp,
            "predicted": predicted,
            "gold": gold,
        }
