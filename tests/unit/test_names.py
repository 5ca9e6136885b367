"""The per-article name table."""

from __future__ import annotations

import pytest

from stream.nlp.names import NameTable, build_name_table, clean_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the Kremlin", "Kremlin"),
        ("Peskov’s", "Peskov"),
        ("Mr. Dmitry Peskov", "Dmitry Peskov"),
        ("  Rossiya-24, ", "Rossiya-24"),
        ("", ""),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    ("mention", "label", "expected"),
    [
        ("Peskov", "PERSON", "Dmitry Peskov"),
        ("Mr. Peskov", "PERSON", "Dmitry Peskov"),
        ("Dmitry Peskov", "PERSON", "Dmitry Peskov"),
        # A conflicting first name is someone else.
        ("Anna Peskov", "PERSON", "Anna Peskov"),
        # Places and nationalities are never merged by their last word.
        ("Russia", "GPE", "Russia"),
        ("Russian", "NORP", "Russian"),
        ("the Kremlin", "ORG", "Kremlin"),
    ],
)
def test_canonical_text(mention, label, expected):
    table = NameTable({"peskov": "Dmitry Peskov"})
    assert table.canonical_text(mention, label=label) == expected


def test_build_name_table_groups_mentions_of_one_person(nlp):
    doc = nlp(
        "Peskov spoke first. Later, Kremlin spokesman Dmitry Peskov said more. Russia and the Russian army agreed."
    )
    table = build_name_table(doc)
    canon = {ent.text: table.canonical(ent) for ent in doc.ents}
    assert canon["Peskov"] == "Dmitry Peskov"
    assert canon["Dmitry Peskov"] == "Dmitry Peskov"
    assert canon.get("Russia", "Russia") != canon.get("Russian", "Russian")


def test_empty_doc_gives_empty_table(nlp):
    assert build_name_table(nlp("")).people == {}
