"""First-name gender from the gender-guesser package's name list.

gender-guesser ships the list of the `gender` program (about 40,000 first names with
their usage by country), so no name list is kept here. A name is looked up without
regard to case; the answer is `male`, `female` or `either` for a known first name
(androgynous, or mostly one gender), and None for a word the list does not know.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import gender_guesser.detector as gender_detector

Gender = Literal["male", "female", "either"]

_ANSWERS: dict[str, Gender] = {
    "male": "male",
    "mostly_male": "male",
    "female": "female",
    "mostly_female": "female",
    "andy": "either",
}


@cache
def _detector() -> gender_detector.Detector:
    """The detector reads its list once (about 0.2 s), on first use."""
    return gender_detector.Detector(case_sensitive=False)


@cache
def first_name_gender(word: str) -> Gender | None:
    """The gender a first name points to, `either` when both, None when not a known first name."""
    if not word or not word[0].isalpha():
        return None
    return _ANSWERS.get(_detector().get_gender(word))


def is_first_name(word: str) -> bool:
    """True for a word the first-name list knows."""
    return first_name_gender(word) is not None
