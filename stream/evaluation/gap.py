"""GAP (gendered ambiguous pronouns): read the TSV, resolve, score by gender.

    rows = read_gap(lines)
    predictions = predict_gap(nlp, rows)
    scores = score_gap(rows, predictions)       # F1 masculine, feminine, overall; bias F/M

Only the snippet text is used, never the URL column. A pronoun the resolver links to
neither name is FALSE for both, as GAP's own scorer expects.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from stream.errors import EvaluationError
from stream.nlp.coref import build_coref

COLUMNS = ("ID", "Text", "Pronoun", "Pronoun-offset", "A", "A-offset", "A-coref", "B", "B-offset", "B-coref")
FEMININE = frozenset({"she", "her", "hers", "herself"})


@dataclass(frozen=True, slots=True)
class GapRow:
    """One example: does the pronoun refer to name A, to name B (or to neither)?"""

    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a: str
    a_offset: int
    a_coref: bool
    b: str
    b_offset: int
    b_coref: bool

    @property
    def feminine(self) -> bool:
        return self.pronoun.lower() in FEMININE


@dataclass(frozen=True, slots=True)
class GapPrediction:
    id: str
    a_coref: bool
    b_coref: bool


@dataclass(frozen=True, slots=True)
class GapScores:
    masculine: float
    feminine: float
    overall: float
    bias: float
    examples: int


def _flag(value: str, where: str) -> bool:
    if value.upper() not in ("TRUE", "FALSE"):
        raise EvaluationError(f"{where}: expected TRUE or FALSE, got {value!r}")
    return value.upper() == "TRUE"


def read_gap(lines: Iterable[str]) -> list[GapRow]:
    """Rows of a GAP TSV file (with its header line)."""
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise EvaluationError(f"not a GAP file: header {header!r}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if len(cells) < len(COLUMNS):
            raise EvaluationError(f"line {number}: {len(cells)} columns, expected {len(COLUMNS)}")
        try:
            rows.append(
                GapRow(
                    id=cells[0],
                    text=cells[1],
                    pronoun=cells[2],
                    pronoun_offset=int(cells[3]),
                    a=cells[4],
                    a_offset=int(cells[5]),
                    a_coref=_flag(cells[6], f"line {number}"),
                    b=cells[7],
                    b_offset=int(cells[8]),
                    b_coref=_flag(cells[9], f"line {number}"),
                )
            )
        except ValueError as exc:
            raise EvaluationError(f"line {number}: {exc}") from exc
    return rows


def _f1(pairs: list[tuple[bool, bool]]) -> float:
    """F1 over (gold, predicted) decisions, in percent."""
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if pred and not gold)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    return 200.0 * tp / (2 * tp + fp + fn) if tp else 0.0


def score_gap(rows: list[GapRow], predictions: list[GapPrediction]) -> GapScores:
    """F1 for masculine and feminine examples, overall, and the bias F/M (GAP's measure)."""
    by_id = {p.id: p for p in predictions}
    decisions: dict[bool, list[tuple[bool, bool]]] = {True: [], False: []}
    for row in rows:
        pred = by_id.get(row.id, GapPrediction(row.id, False, False))
        decisions[row.feminine] += [(row.a_coref, pred.a_coref), (row.b_coref, pred.b_coref)]
    masculine, feminine = _f1(decisions[False]), _f1(decisions[True])
    overall = _f1(decisions[False] + decisions[True])
    bias = feminine / masculine if masculine else 0.0
    return GapScores(round(masculine, 1), round(feminine, 1), round(overall, 1), round(bias, 3), len(rows))


def format_predictions(predictions: Iterable[GapPrediction]) -> str:
    """GAP's system-output format: ID, A-coref, B-coref as TRUE/FALSE, tab-separated, no header."""
    flag = {True: "TRUE", False: "FALSE"}
    return "".join(f"{p.id}\t{flag[p.a_coref]}\t{flag[p.b_coref]}\n" for p in predictions)


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def _same_name(name: str, entity_name: str) -> bool:
    words, other = {w.lower() for w in name.split()}, {w.lower() for w in entity_name.split()}
    return bool(words) and bool(other) and (words <= other or other <= words)


def predict_gap(nlp: Language, rows: list[GapRow], *, batch_size: int = 64) -> list[GapPrediction]:
    """resolve_gap() for every row, the snippets parsed in batches."""
    docs = nlp.pipe((row.text for row in rows), batch_size=batch_size)
    return [resolve_gap(doc, row) for doc, row in zip(docs, rows, strict=True)]


def resolve_gap(doc: Doc, row: GapRow) -> GapPrediction:
    """Run the article resolver on the parsed snippet; A or B is TRUE when it is the pronoun's entity."""
    candidates = [
        doc.char_span(offset, offset + len(name), label="PERSON", alignment_mode="expand")
        for name, offset in ((row.a, row.a_offset), (row.b, row.b_offset))
    ]
    coref = build_coref(doc, people=[c for c in candidates if c is not None and len(c)])
    span = doc.char_span(row.pronoun_offset, row.pronoun_offset + len(row.pronoun), alignment_mode="expand")
    entity = coref.entity_at(span.start) if span is not None and len(span) else None
    if entity is None:
        return GapPrediction(row.id, False, False)
    found = []
    for name, offset in ((row.a, row.a_offset), (row.b, row.b_offset)):
        linked = any(
            coref.entities[m.entity] is entity
            and _overlaps(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), offset, offset + len(name))
            for m in coref.mentions
        )
        found.append(linked or _same_name(name, entity.name))
    a, b = found
    if a and b:  # both names are the one entity's: keep the one linked by position
        b = False
    return GapPrediction(row.id, a, b)


def read_gap_file(path: str) -> list[GapRow]:
    """read_gap() on a file; EvaluationError naming the file when it is missing or malformed."""
    try:
        with open(path, encoding="utf-8", newline="") as lines:
            rows = read_gap(lines)
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read: {exc}") from exc
    except EvaluationError as exc:
        raise EvaluationError(f"{path}: {exc}") from exc
    if not rows:
        raise EvaluationError(f"{path}: no examples")
    return rows
