from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stream.nlp import first_names
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


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test loads the table itself; the cached answers of earlier tests are cleared."""
    monkeypatch.setattr(first_names, "_table", None)
    first_name_gender.cache_clear()
    yield
    first_name_gender.cache_clear()


WORDS = ["Dmitry", "Maria", "ingrid", "DANIEL", "Kremlin", "Andrea", "Kay", "Jean-Luc", "Éloïse", "Talvera"]


def test_a_cached_table_gives_the_packages_own_answers(tmp_path: Path, fresh_table: None) -> None:
    from_package = [first_name_gender(word) for word in WORDS]
    first_name_gender.cache_clear()
    first_names.load_first_names(tmp_path)
    assert first_names.cache_file(tmp_path).is_file()
    first_names._table = None
    first_names.load_first_names(tmp_path)  # read back from the file this time
    assert first_names._table is not None
    assert [first_name_gender(word) for word in WORDS] == from_package


def test_a_cache_that_cannot_be_written_falls_back_to_the_package(
    tmp_path: Path, fresh_table: None, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    first_names.load_first_names(blocked)
    assert first_names._table is None
    assert "cannot be used" in caplog.text
    assert first_name_gender("Maria") == "female"
