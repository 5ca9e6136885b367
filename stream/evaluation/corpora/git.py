"""Reading files from a git directory without a checkout (the corpora are fetched as bare mirrors)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from stream.errors import EvaluationError


def git_dir(source: str) -> str:
    """The git directory of `source` (a git directory, or a clone holding .git); EvaluationError if none."""
    path = Path(source)
    if (path / ".git").exists():
        path = path / ".git"
    if not path.is_dir() or _git(str(path), "rev-parse", "--git-dir", check=False).returncode != 0:
        raise EvaluationError(f"{source}: not a git directory")
    return str(path)


def list_files(git: str, rev: str, folder: str) -> list[str]:
    """Paths of the files under `folder` at `rev`, sorted."""
    result = _git(git, "ls-tree", "-r", "--name-only", rev, "--", folder)
    return sorted(result.stdout.decode().split("\n")[:-1])


def read_file(git: str, rev: str, path: str) -> bytes:
    result = _git(git, "show", f"{rev}:{path}", check=False)
    if result.returncode != 0:
        raise EvaluationError(f"{git}: no {path} at {rev}: {result.stderr.decode().strip()}")
    return result.stdout


def read_files(git: str, rev: str, paths: Sequence[str]) -> dict[str, bytes]:
    """Many files in one `git cat-file --batch` call."""
    request = "".join(f"{rev}:{path}\n" for path in paths).encode()
    out = _git(git, "cat-file", "--batch", stdin=request).stdout
    files, at = {}, 0
    for path in paths:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if len(header) != 3:
            raise EvaluationError(f"{git}: no {path} at {rev}")
        size = int(header[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return files


def _git(git: str, *args: str, check: bool = True, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(["git", "--git-dir", git, *args], input=stdin, capture_output=True, check=False)  # noqa: S603, S607
    if check and result.returncode != 0:
        raise EvaluationError(f"{git}: git {args[0]} failed: {result.stderr.decode().strip()}")
    return result
