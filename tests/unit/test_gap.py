"""GAP reader, scorer and output format on tiny synthetic rows."""

from __future__ import annotations

import pytest

from stream.errors import EvaluationError
from stream.evaluation.gap import (
    GapPrediction,
    format_predictions,
    read_gap,
    resolve_gap,
    score_gap,
)

HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"
ROWS = [
    "t-1\tTom Baker met Peter Smith. He left.\tHe\t27\tTom Baker\t0\tTRUE\tPeter Smith\t13\tFALSE\thttp://x\n",
    "t-2\tAnna Berg met Maria Holm. She left.\tShe\t26\tAnna Berg\t0\tFALSE\tMaria Holm\t14\tTRUE\thttp://x\n",
]


def test_read_gap_parses_offsets_and_flags():
    rows = read_gap([HEADER, *ROWS])
    assert [(r.id, r.pronoun_offset, r.a_coref, r.b_coref, r.feminine) for r in rows] == [
        ("t-1", 27, True, False, False),
        ("t-2", 26, False, True, True),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        ["not\ta\theader\n"],
        [HEADER, "t-1\ttext\the\n"],
        [HEADER, ROWS[0].replace("TRUE", "yes")],
        [HEADER, ROWS[0].replace("\t27\t", "\tx\t")],
    ],
)
def test_read_gap_rejects_malformed_files(lines):
    with pytest.raises(EvaluationError):
        read_gap(lines)


@pytest.mark.parametrize(
    ("predictions", "expected"),
    [
        # All right: F1 100 for both genders, bias 1.
        ([GapPrediction("t-1", True, False), GapPrediction("t-2", False, True)], (100.0, 100.0, 100.0, 1.0)),
        # Feminine wrong (A instead of B): F1 0 for her, masculine 100.
        ([GapPrediction("t-1", True, False), GapPrediction("t-2", True, False)], (100.0, 0.0, 50.0, 0.0)),
        # A missing prediction is FALSE/FALSE.
        ([GapPrediction("t-2", False, True)], (0.0, 100.0, 66.7, 0.0)),
    ],
)
def test_score_gap_by_gender(predictions, expected):
    scores = score_gap(read_gap([HEADER, *ROWS]), predictions)
    assert (scores.masculine, scores.feminine, scores.overall, scores.bias) == expected


def test_format_predictions_is_gaps_system_output():
    text = format_predictions([GapPrediction("t-1", True, False), GapPrediction("t-2", False, False)])
    assert text == "t-1\tTRUE\tFALSE\nt-2\tFALSE\tFALSE\n"


def test_resolve_gap_links_the_subject(nlp):
    row = read_gap([HEADER, ROWS[0]])[0]
    assert resolve_gap(nlp(row.text), row) == GapPrediction("t-1", True, False)
