"""One thread per process for the numeric libraries under spaCy.

OpenBLAS (numpy's) starts a thread per core by default. spaCy's CPU pipelines
multiply small matrices, where the extra thread only spins: on GGT dev one process
used 8% more CPU and took 8% longer with it, and NLP processes side by side fought
over the cores. The variables are read when numpy loads, so this runs first thing in
the command; a value the user set is kept.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_numeric_thread(environ: MutableMapping[str, str] = os.environ) -> None:
    """Ask the numeric libraries for one thread each, unless the user chose otherwise."""
    for name in THREAD_VARIABLES:
        environ.setdefault(name, "1")
