"""CoNLL reading, text rebuilding, span mapping and entity scoring on small hand-made files."""

from __future__ import annotations

from pathlib import Path

import pytest

from stream.errors import EvaluationError
from stream.evaluation.entities import (
    EntityCounts,
    build_document,
    conll_documents,
    gold_mentions,
    map_mentions,
    read_conll,
)

WITH_DOCSTART = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

BRUSSELS NNP B-NP B-LOC
"""

WITHOUT_DOCSTART = """CRICKET O
WIN O

LONDON B-LOC
1996-08-30 O

Phil B-PER
Simmons I-PER
took O
four O

SOCCER O
RESULTS O

MADRID B-LOC
1996-08-31 O

Real B-ORG
Madrid I-ORG
won O
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "gold.txt"
    path.write_text(text, "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], {(0, 1, "PER"), (3, 3, "LOC")}),
        (["I-PER", "I-PER", "B-PER"], {(0, 1, "PER"), (2, 2, "PER")}),  # IOB1
        (["I-ORG", "I-LOC"], {(0, 0, "ORG"), (1, 1, "LOC")}),
        (["B-MISC", "I-MISC", "B-PER"], {(2, 2, "PER")}),  # MISC is not scored
        (["S-LOC", "B-ORG", "E-ORG"], {(0, 0, "LOC"), (1, 2, "ORG")}),  # BIOES
        (["O", "O"], set()),
    ],
)
def test_gold_mentions_from_tags(tags, expected) -> None:
    assert gold_mentions(tags) == expected


def test_docstart_blocks_are_documents(tmp_path: Path) -> None:
    documents = read_conll(write(tmp_path, WITH_DOCSTART))
    assert [[s.tokens for s in d] for d in documents] == [
        [("EU", "rejects", "German", "call"), ("Peter", "Blackburn")],
        [("BRUSSELS",)],
    ]
    assert documents[0][1].line == 8


def test_without_docstart_a_headline_and_its_dateline_start_a_document(tmp_path: Path) -> None:
    documents = conll_documents(write(tmp_path, WITHOUT_DOCSTART))
    assert [d.text for d in documents] == [
        "CRICKET WIN\nLONDON 1996-08-30\nPhil Simmons took four",
        "SOCCER RESULTS\nMADRID 1996-08-31\nReal Madrid won",
    ]
    first = documents[0]
    assert first.gold == {(2, 2, "LOC"), (4, 5, "PER")}
    assert [first.text[s:e] for s, e in first.offsets[4:6]] == ["Phil", "Simmons"]
    assert documents[1].id == "gold-2"


def test_a_mention_does_not_run_across_sentences() -> None:
    document = build_document("d", read_conll_sentences(["I-PER"], ["I-PER"]))
    assert document.gold == {(0, 0, "PER"), (1, 1, "PER")}


def read_conll_sentences(*tag_lists: list[str]):
    from stream.evaluation.entities import Sentence

    return [Sentence(tuple(f"W{i}" for i in range(len(tags))), tuple(tags), 1) for tags in tag_lists]


def test_predicted_mentions_map_to_tokens_and_types(tmp_path: Path) -> None:
    [document, _] = conll_documents(write(tmp_path, WITHOUT_DOCSTART))
    text = document.text
    at = text.index
    mapped = map_mentions(
        document,
        [
            (at("LONDON"), at("LONDON") + 6, "GPE"),
            (at("Phil"), at("Simmons") + 7, "PERSON"),
            (at("CRICKET") + 1, at("CRICKET") + 4, "ORG"),  # inside a token: snapped, counted
            (at("1996"), at("1996") + 10, "DATE"),  # not a scored label
        ],
    )
    assert mapped.mentions == {(2, 2, "LOC"), (4, 5, "PER"), (0, 0, "ORG")}
    assert mapped.off_grid == 1


def test_counts_give_per_type_and_micro_figures() -> None:
    counts = EntityCounts()
    counts.add(
        gold={(0, 1, "PER"), (3, 3, "LOC"), (5, 5, "ORG")}, predicted={(0, 1, "PER"), (3, 3, "ORG"), (7, 7, "LOC")}
    )
    rows = counts.figures()
    assert rows["PER"] == {"P": 100.0, "R": 100.0, "F1": 100.0, "tp": 1, "predicted": 1, "gold": 1}
    assert rows["LOC"]["tp"] == 0 and rows["LOC"]["gold"] == 1 and rows["LOC"]["predicted"] == 1
    assert rows["micro"] == {"P": 33.3, "R": 33.3, "F1": 33.3, "tp": 1, "predicted": 3, "gold": 3}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("EU B-ORG\nrejects\n", "gold.txt:2: expected 'TOKEN ... TAG'"),
        ("EU B-ORG\nrejects X-Y\n", "gold.txt:2:"),
        ("\n\n", "gold.txt: no sentences"),
    ],
)
def test_malformed_conll_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        read_conll(write(tmp_path, text))


def test_missing_conll_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no such file"):
        read_conll(str(tmp_path / "nope.txt"))
