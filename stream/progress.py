"""A progress bar on stderr for commands over many articles, shown only to a person watching."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


def progress_bar(*, total: int | None = None, quiet: bool = False, what: str = "articles") -> Any:
    """A tqdm bar counting `what` with its rate (articles/s); disabled when stderr is not a terminal or `quiet`."""
    return tqdm(
        total=total,
        unit=f" {what}",
        file=sys.stderr,
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
        smoothing=0.1,
    )
