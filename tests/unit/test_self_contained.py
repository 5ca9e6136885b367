"""The repository stands on its own: no file the tests, the service, the deployment or the
README use refers to a path outside the repository, so a bare clone runs `make test`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("tests", "stream", "deploy", ".ci", "README.md", "Makefile", "pyproject.toml")
# Absolute paths of this or another machine's checkouts and home directories; container
# paths such as /opt/venv or /opt/kafka are the image's own and stay allowed.
FOREIGN_ROOTS = ("work", "home", "Users", "root", "mnt", "media", "srv")
ABSOLUTE = re.compile(r"(?<![\w.~:/-])/(?:" + "|".join(FOREIGN_ROOTS) + r")/[^\s\"'`)\]>]*")
UPWARD = re.compile(r"(?<![\w.])(?:\.\.[/\\])+[^\s\"'`)\]>]*|(?<![\w.])\.\.(?=[\"'`\s)]|$)")
SIBLING = re.compile(r"\bshared/(?:eval|seeds)\b")


def outside_references(text: str, *, where: Path, root: Path) -> list[str]:
    """Path-like strings in `text` (a file in directory `where`) that point outside `root`."""
    found = [m.group(0) for m in ABSOLUTE.finditer(text)]
    found += [m.group(0) for m in SIBLING.finditer(text)]
    for match in UPWARD.finditer(text):
        relative = match.group(0)
        # Read from the file's folder (scripts, imports) and from the root (README, commands):
        # a path is inside when either reading keeps it inside.
        inside = any(_within((base / relative).resolve(), root) for base in (where, root))
        if not inside:
            found.append(relative)
    return found


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [f for f in files if f != Path(__file__).resolve()]


def test_no_file_refers_to_a_path_outside_the_repository() -> None:
    problems = []
    for file in scanned_files():
        try:
            text = file.read_text("utf-8")
        except UnicodeDecodeError:
            continue  # binary
        for ref in outside_references(text, where=file.parent, root=ROOT):
            problems.append(f"{file.relative_to(ROOT)}: {ref}")
    assert problems == []


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("python3 ../shared/eval/score.py gold pred", "", ["shared/eval", "../shared/eval/score.py"]),
        ('GOLD = "/work/eval-data/polnear-dev.jsonl"', "tests", ["/work/eval-data/polnear-dev.jsonl"]),
        ("see /home/alice/newswire/seeds", "", ["/home/alice/newswire/seeds"]),
        ('cd "$(dirname "$0")/../.."', "deploy/local", []),  # the root itself
        ('cd "$(dirname "$0")/../../.."', "deploy/local", ["../../.."]),
        ("open('../seeds/a.json')", "tests", []),
        ("python -m venv /opt/venv", "", []),
        ("copy of shared/seeds beside it", "", ["shared/seeds"]),
        ("cd .. && make", "", [".."]),
    ],
)
def test_outside_references_are_found(tmp_path: Path, text: str, where: str, expected: list[str]) -> None:
    root = tmp_path / "repo"
    (root / where).mkdir(parents=True, exist_ok=True)
    assert outside_references(text, where=root / where, root=root) == expected


def test_ci_runs_the_readme_test_command_only() -> None:
    """CI is `make test` on a fresh clone; nothing in its chain reads a sibling folder."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
    chain = [
        ROOT / "Makefile",
        ROOT / "deploy/local/test.sh",
        ROOT / "deploy/local/setup.sh",
        ROOT / "deploy/install.sh",
    ]
    for file in chain:
        assert outside_references(file.read_text("utf-8"), where=file.parent, root=ROOT) == [], file
