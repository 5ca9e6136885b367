"""Acronyms an article defines, and the alias table."""

from __future__ import annotations

import pytest

from stream.nlp.aliases import ALIASES, defined_acronyms, expand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Immigration, Refugees and Citizenship Canada (IRCC) said on Friday.",
            {"IRCC": "Immigration, Refugees and Citizenship Canada"},
        ),
        ("Members of the Federal Open Market Committee (FOMC) met.", {"FOMC": "Federal Open Market Committee"}),
        (
            "The Kenya Revenue Authority (KRA) and the World Health Organization (WHO) agreed.",
            {
                "KRA": "Kenya Revenue Authority",
                "WHO": "World Health Organization",
            },
        ),
        # Not an acronym, or letters the words before do not hold.
        ("He told Reuters (Reuters) so.", {}),
        ("Prices rose (see chart). The index (CPI) fell.", {}),
        ("A line break\n(ABC) keeps the long form apart.", {}),
        ("", {}),
    ],
)
def test_defined_acronyms(text: str, expected: dict[str, str]) -> None:
    assert defined_acronyms(text) == expected


def test_the_first_definition_wins() -> None:
    text = "Alpha Beta Corp (ABC) said. Another Big Company (ABC) said."
    assert defined_acronyms(text) == {"ABC": "Alpha Beta Corp"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fed", "Federal Reserve"),
        ("U.N.", "United Nations"),
        ("U.N", "United Nations"),
        ("EU", "European Union"),
        ("U.S.", "United States"),
        ("IRCC", "Immigration, Refugees and Citizenship Canada"),  # defined in the text
        ("WHO", "World Health Organisation (as defined)"),  # the text's definition beats the table
        ("us", "us"),  # case counts
        ("Anna Berg", "Anna Berg"),
    ],
)
def test_expand(name: str, expected: str) -> None:
    defined = {"IRCC": "Immigration, Refugees and Citizenship Canada", "WHO": "World Health Organisation (as defined)"}
    assert expand(name, defined) == expected


def test_alias_keys_are_written_without_dots() -> None:
    # expand() drops the dots of a name before the lookup, so a key with dots would never match.
    assert all("." not in short and long != short for short, long in ALIASES.items())
