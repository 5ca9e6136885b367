"""The quote scorer on tiny hand-made gold and predictions."""

from __future__ import annotations

import pytest

from stream.evaluation.gold import GoldArticle, GoldQuote, PredictedQuote
from stream.evaluation.quotes import Words, describes_unnamed, find_errors, match_quotes, names_agree, score_quotes

BODY = '"We will win," Anna Berg said. The mayor told reporters that taxes would fall.'
WIN = (1, 12)  # We will win
ANNA = (15, 24)  # Anna Berg
BERG = (20, 24)
SAID = (25, 29)
MAYOR = (31, 40)  # The mayor
TOLD = (41, 45)
TAXES = (61, 77)  # taxes would fall


def gold(*quotes: GoldQuote, body: str = BODY, id: str = "a") -> GoldArticle:
    return GoldArticle(id, body, quotes)


def test_words_of_a_span_ignore_marks_and_spaces() -> None:
    words = Words(BODY)
    assert words.within((0, 14)) == words.within(WIN) == frozenset({0, 1, 2})
    assert words.within((5, 6)) == frozenset({1})  # a span inside a word takes the word
    assert words.within(None) == frozenset()
    assert words.within((20, 14)) == frozenset()  # a reversed span covers nothing


@pytest.mark.parametrize(
    ("predicted", "overlap", "expected"),
    [
        ([WIN], 0.8, [0]),
        ([(1, 8)], 0.3, [0]),  # "We will": 2 of 3 words
        ([(1, 8)], 0.8, [None]),
        ([(1, 3)], 0.3, [0]),  # 1 of 3 words is more than 0.3
        ([(1, 8), (0, 14)], 0.3, [1]),  # the better cover wins
    ],
)
def test_a_gold_quote_takes_the_prediction_covering_most_of_its_words(predicted, overlap, expected) -> None:
    preds = [PredictedQuote(content=p) for p in predicted]
    assert match_quotes(Words(BODY), [GoldQuote(WIN)], preds, overlap=overlap) == expected


def test_a_share_equal_to_the_threshold_is_not_enough() -> None:
    body = "one two three four five six seven eight nine ten"
    preds = [PredictedQuote(content=(0, 17))]  # 4 of 5 words
    assert match_quotes(Words(body), [GoldQuote((0, 24))], preds, overlap=0.8) == [None]


def test_each_prediction_matches_one_gold_quote_in_gold_order() -> None:
    preds = [PredictedQuote(content=(1, 8))]
    assert match_quotes(Words(BODY), [GoldQuote((1, 8)), GoldQuote(WIN)], preds, overlap=0.3) == [0, None]


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("Anna Berg", "Anna Berg", (True, True)),
        ("Mr. Anna  Berg", "anna berg", (True, True)),
        ("Berg", "Anna Berg", (False, True)),
        ("Ann Berg", "Anna Berg", (False, False)),  # conflicting first name
        ("United Nations", "the United Nations", (True, True)),
        (None, "officials", (True, True)),  # an unnamed speaker left unnamed
        (None, "A Freedom Mobile spokesperson", (True, True)),
        ("Joe Smith", "officials", (False, False)),
        (None, "Anna Berg", (False, False)),
    ],
)
def test_names_agree_strictly_or_by_last_name(predicted, gold, expected) -> None:
    assert names_agree(predicted, gold) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("officials", True),
        ("the government", True),
        ("their lawyers", True),
        ("the Kremlin", False),
        ("Anna Berg", False),
        ("", False),
    ],
)
def test_descriptions_of_unnamed_speakers(name, expected) -> None:
    assert describes_unnamed(name) is expected


def test_scores_count_matches_speakers_cues_names_and_missing_articles() -> None:
    articles = [
        gold(
            GoldQuote(WIN, speaker=ANNA, cue=SAID, name="Anna Berg", direct=True),
            GoldQuote(TAXES, speaker=MAYOR, cue=TOLD, name="Tom Lie"),
        ),
        gold(GoldQuote(WIN, direct=True), id="b"),  # no prediction for this article
    ]
    predictions = {
        "a": [
            PredictedQuote(WIN, speaker=BERG, cue=SAID, name="Anna Berg"),  # speaker "Berg" shares a word
            PredictedQuote(TAXES, speaker=None, cue=(31, 45), name=None),
            PredictedQuote(MAYOR),  # spurious
        ]
    }
    counts = score_quotes(articles, predictions, overlap=0.8)
    assert (counts.gold, counts.predicted, counts.matched, counts.missing_articles) == (3, 3, 2, 1)
    assert (counts.direct_gold, counts.direct_matched) == (2, 1)
    assert (counts.speaker_gold, counts.speaker_right, counts.cue_gold, counts.cue_right) == (2, 1, 2, 2)
    assert (counts.name_gold, counts.name_strict, counts.name_lenient) == (2, 1, 1)
    figures = counts.figures()
    assert figures == {
        "P": 66.7, "R": 66.7, "F1": 66.7, "direct_R": 50.0,
        "speaker": 50.0, "cue": 100.0, "name_strict": 50.0, "name_lenient": 50.0,
    }  # fmt: skip


def test_figures_with_nothing_to_count_are_none() -> None:
    counts = score_quotes([gold()], {"a": []}, overlap=0.3)
    assert counts.figures()["P"] == 0.0
    assert counts.figures()["speaker"] is None


def test_errors_list_missed_spurious_and_wrong_names_with_their_text() -> None:
    articles = [gold(GoldQuote(WIN, speaker=ANNA, name="Anna Berg"), GoldQuote(TAXES, cue=TOLD))]
    predictions = {"a": [PredictedQuote(WIN, speaker=MAYOR, name="Tom Lie"), PredictedQuote(MAYOR)]}
    errors = find_errors(articles, predictions, overlap=0.3)
    assert [(e.kind, e.content) for e in errors] == [
        ("name", "We will win"),
        ("spurious", "The mayor"),
        ("missed", "taxes would fall"),
    ]
    assert (errors[0].expected, errors[0].found, errors[0].speaker) == ("Anna Berg", "Tom Lie", "The mayor")
    assert errors[2].cue == "told"
