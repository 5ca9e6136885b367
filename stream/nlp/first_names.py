"""First-name gender from the gender-guesser package's name list.

gender-guesser ships the list of the `gender` program (about 40,000 first names with
their usage by country), so no name list is kept here. A name is looked up without
regard to case; the answer is `male`, `female` or `either` for a known first name
(androgynous, or mostly one gender), and None for a word the list does not know.

Parsing the package's list takes about 0.2 s of every process start. Given a cache
directory, the package's answer for every name it knows is written there once per
machine and read back in milliseconds: see `load_first_names()`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Literal

import gender_guesser.detector as gender_detector
import orjson

log = logging.getLogger(__name__)

Gender = Literal["male", "female", "either"]

_ANSWERS: dict[str, Gender] = {
    "male": "male",
    "mostly_male": "male",
    "female": "female",
    "mostly_female": "female",
    "andy": "either",
}

_lock = threading.Lock()
_table: dict[str, Gender] | None = None


@cache
def _detector() -> gender_detector.Detector:
    """The package's detector: it reads its list once, on first use."""
    return gender_detector.Detector(case_sensitive=False)


def build_table() -> dict[str, Gender]:
    """The package's answer for every (lower-case) name it knows."""
    detector = _detector()
    return {name: _ANSWERS[detector.get_gender(name)] for name in detector.names}


def cache_file(cache_dir: Path) -> Path:
    """The file for this build of the table: named after the package's version and this code."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
    return cache_dir / f"first-names-gender-guesser{version('gender-guesser')}-{digest}.json"


def load_first_names(cache_dir: str | Path | None = None) -> None:
    """Make the name table ready in this process, from `cache_dir` if given (building the file there first).

    Without a cache directory, or with one that cannot be written or read, the
    package's own detector answers instead (the same answers, a slower start).
    """
    global _table
    if _table is not None or cache_dir is None:
        _detector()
        return
    with _lock:
        if _table is None:
            _table = _open_table(cache_file(Path(cache_dir)))


def _open_table(path: Path) -> dict[str, Gender] | None:
    try:
        if not path.exists():
            _save_table(build_table(), path)
        table: dict[str, Gender] = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        log.warning("first-name cache %s cannot be used (%s); reading the package's list instead", path, exc)
        return None
    return table


def _save_table(table: dict[str, Gender], path: Path) -> None:
    """Write the table atomically: a process that reads it sees all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".first-names-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(orjson.dumps(table))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


@cache
def first_name_gender(word: str) -> Gender | None:
    """The gender a first name points to, `either` when both, None when not a known first name."""
    if not word or not word[0].isalpha():
        return None
    if _table is not None:
        return _table.get(word.lower())
    return _ANSWERS.get(_detector().get_gender(word))


def is_first_name(word: str) -> bool:
    """True for a word the first-name list knows."""
    return first_name_gender(word) is not None
