"""Sentence starts set before the parser: paragraphs and datelines."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stream.nlp import dateline_end
from stream.nlp.quotes import extract_quotes


@pytest.mark.parametrize(
    ("text", "story_starts_with"),
    [
        ("JAKARTA, Feb 24 — The ministry says cases rose.", "The"),
        ("NEW YORK, March 3 - Shares fell on Monday.", "Shares"),
        ("LONDON (Newswire Desk) - Rain is forecast.", None),  # no comma: not read as a dateline
        ("OSLO, Norway, Jan 2 -- Snow closed the airport.", "Snow"),
        ("The city said - after a pause - that it would wait.", None),
        ("NATO, the alliance said on Monday - was ready.", None),
        ("UN officials met.", None),
    ],
)
def test_datelines_are_recognised(nlp: Language, text: str, story_starts_with: str | None) -> None:
    doc = nlp.make_doc(text)
    end = dateline_end(doc, 0)
    assert (doc[end].text if end is not None else None) == story_starts_with


def test_the_speaker_after_a_dateline_is_the_story_subject(nlp: Language) -> None:
    doc = nlp("JAKARTA, Feb 24 — Indonesia's Health Ministry says dengue cases rose by 60% this year.")
    [quote] = extract_quotes(doc)
    assert quote.speaker.text == "Indonesia's Health Ministry"
    assert quote.cue is not None and quote.cue.text == "says"


def test_every_paragraph_starts_a_sentence(nlp: Language) -> None:
    doc = nlp("Storm hits coast\nThe storm reached the coast on Monday, officials said.")
    assert [sent.text.strip() for sent in doc.sents][:2] == [
        "Storm hits coast",
        "The storm reached the coast on Monday, officials said.",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("according to GroupM.", ["according", "to", "GroupM", "."]),
        ("made by PayPal.", ["made", "by", "PayPal", "."]),
        ("back in the U.S.", ["back", "in", "the", "U.S."]),
    ],
)
def test_a_full_stop_after_a_camel_case_name_is_split_off(nlp: Language, text: str, words: list[str]) -> None:
    assert [t.text for t in nlp.tokenizer(text)] == words
