"""GAP (gendered ambiguous pronouns, Wikipedia): its tab-separated files, checked and copied as they are."""

from __future__ import annotations

from stream.errors import EvaluationError
from stream.evaluation.corpora.git import read_file

SPLITS = ("development", "validation")
HELD_BACK = ("test",)
HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL"


def build_gap(git: str, split: str, *, rev: str = "HEAD") -> str:
    """The text of gap-<split>.tsv; EvaluationError when it is not GAP's format."""
    path = f"gap-{split}.tsv"
    text = read_file(git, rev, path).decode("utf-8")
    if text.split("\n", 1)[0].rstrip("\r") != HEADER:
        raise EvaluationError(f"{git}: {path} does not start with GAP's header")
    return text
