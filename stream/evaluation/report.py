"""Plain-text output of `newswire eval`: the figures as a table, errors one a line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from stream.evaluation.entities import SCORED_TYPES, Document, EntityCounts, Mention
from stream.evaluation.gold import GoldArticle
from stream.evaluation.quotes import QuoteCounts, QuoteError

QUOTE_COLUMNS = ("P", "R", "F1", "direct_R", "speaker", "cue", "name_strict", "name_lenient")
CONTEXT_CHARS = 160


def _cell(value: float | int | None) -> str:
    return "-" if value is None else str(value)


def print_quote_figures(
    gold_path: str, source: str, gold: Sequence[GoldArticle], figures: Mapping[str, QuoteCounts]
) -> None:
    first = next(iter(figures.values()))
    print(f"gold: {gold_path}: {len(gold)} articles, {first.gold} quotes ({first.direct_gold} direct)")
    missing = f", {first.missing_articles} gold articles without predictions" if first.missing_articles else ""
    print(f"predicted: {source}: {first.predicted} quotes{missing}")
    print("overlap " + " ".join(f"{c:>{_width(c)}}" for c in QUOTE_COLUMNS))
    for overlap, counts in figures.items():
        row = counts.figures()
        print(f"{overlap:<7} " + " ".join(f"{_cell(row[c]):>{_width(c)}}" for c in QUOTE_COLUMNS))


def _width(column: str) -> int:
    return max(len(column), 5)


def _quoted(text: str | None) -> str:
    if text is None:
        return "-"
    return f'"{text[:CONTEXT_CHARS]}{"..." if len(text) > CONTEXT_CHARS else ""}"'


def print_quote_errors(errors: Sequence[QuoteError], *, overlap: float) -> None:
    kinds = {kind: sum(e.kind == kind for e in errors) for kind in ("missed", "spurious", "name")}
    print(
        f"\nerrors at overlap {overlap}: {kinds['missed']} missed, {kinds['spurious']} spurious, "
        f"{kinds['name']} wrong names"
    )
    for e in errors:
        names = ""
        if e.kind == "name":
            names = f" | name {_quoted(e.found)}, gold {_quoted(e.expected)}"
        elif e.expected or e.found:
            names = f" | name {_quoted(e.expected or e.found)}"
        where = f"{e.article_id} @{e.start} {e.kind}"
        print(f"{where}: {_quoted(e.content)} | speaker {_quoted(e.speaker)} | cue {_quoted(e.cue)}{names}")


def print_entity_figures(gold_path: str, model: str, documents: int, counts: EntityCounts) -> None:
    rows = counts.figures()
    print(f"gold: {gold_path}: {documents} documents, {rows['micro']['gold']} {'/'.join(SCORED_TYPES)} mentions")
    print(f"predicted: model {model}: {rows['micro']['predicted']} mentions ({counts.off_grid} off the token grid)")
    print(f"{'type':<6} " + " ".join(f"{c:>9}" for c in ("P", "R", "F1", "gold", "predicted")))
    for kind, row in rows.items():
        print(f"{kind:<6} " + " ".join(f"{row[c]:>9}" for c in ("P", "R", "F1", "gold", "predicted")))


def print_entity_errors(documents: Sequence[Document], predicted: Mapping[str, set[Mention]]) -> None:
    print()
    for document in documents:
        found = predicted.get(document.id, set())
        wrong = [("missed", m) for m in document.gold - found] + [("spurious", m) for m in found - document.gold]
        for kind, (first, last, label) in sorted(wrong, key=lambda w: w[1]):
            start, end = document.offsets[first][0], document.offsets[last][1]
            print(f"{document.id} {kind} {label} {document.text[start:end]!r} in: {_around(document.text, start, end)}")


def _around(text: str, start: int, end: int) -> str:
    """The sentence (line) holding text[start:end], cut to about CONTEXT_CHARS around it."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - CONTEXT_CHARS // 2)
    line_end = text.find("\n", end)
    line_end = min(line_end if line_end >= 0 else len(text), end + CONTEXT_CHARS // 2)
    return text[line_start:line_end]
