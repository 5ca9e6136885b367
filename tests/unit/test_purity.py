"""The NLP core, the records and the pure stream steps stay free of Kafka, Faust and metrics imports."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_do_not_import_the_streaming_stack() -> None:
    code = (
        "import sys, stream.models, stream.codec, stream.events, stream.nlp, stream.settings\n"
        "import stream.versions, stream.lineage, stream.routing\n"
        "bad = [m for m in ('faust', 'aiokafka', 'mode', 'prometheus_client') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_importing_stream_has_no_side_effects() -> None:
    code = "import sys, stream; print(sorted(m for m in sys.modules if m.startswith('stream')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['stream']"
