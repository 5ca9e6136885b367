from __future__ import annotations

import pytest

from stream.nlp.first_names import first_name_gender, is_first_name


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Dmitry", "male"),
        ("Maria", "female"),
        ("ingrid", "female"),
        ("DANIEL", "male"),
        ("Kremlin", None),
        ("Talvera", None),
        ("", None),
        ("'s", None),
    ],
)
def test_first_name_gender(word: str, expected: str | None) -> None:
    assert first_name_gender(word) == expected


def test_is_first_name() -> None:
    assert is_first_name("Amanda")
    assert not is_first_name("Rossiya")
