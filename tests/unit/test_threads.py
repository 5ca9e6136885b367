"""The numeric libraries get one thread per process unless the user chose otherwise."""

from __future__ import annotations

import os

import pytest

from stream.cli import main
from stream.threads import THREAD_VARIABLES, one_numeric_thread


def test_each_numeric_library_is_asked_for_one_thread() -> None:
    environ: dict[str, str] = {}
    one_numeric_thread(environ)
    assert environ == {name: "1" for name in THREAD_VARIABLES}


def test_a_users_own_thread_count_is_kept() -> None:
    environ = {"OPENBLAS_NUM_THREADS": "4"}
    one_numeric_thread(environ)
    assert environ["OPENBLAS_NUM_THREADS"] == "4" and environ["OMP_NUM_THREADS"] == "1"


def test_the_command_sets_them_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert all(os.environ[name] == "1" for name in THREAD_VARIABLES)
