"""CoNLL-2003 English NER data (token and tag a line), as kept in a public NER repository at COMMIT."""

from __future__ import annotations

from stream.errors import EvaluationError
from stream.evaluation.corpora.git import read_file

COMMIT = "0b93fa87"
SPLITS = ("train", "dev")
HELD_BACK = ("test",)


def build_conll(git: str, split: str, *, rev: str = COMMIT) -> str:
    """The text of data/conll2003/<split>.txt; EvaluationError when a line is not 'TOKEN ... TAG'."""
    path = f"data/conll2003/{split}.txt"
    text = read_file(git, rev, path).decode("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and len(line.split()) < 2:
            raise EvaluationError(f"{git}: {path}:{number}: not 'TOKEN TAG'")
    return text
