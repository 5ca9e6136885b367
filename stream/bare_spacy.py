"""The reference `newswire bench` measures the service against: bare spaCy on a corpus file.

    python -m stream.bare_spacy MODEL BATCH_SIZE CORPUS.jsonl [--no-lemmatizer] [--paced]

Loads the model with the components the service uses (without the lemmatizer if
asked) and runs `nlp.pipe` over the bodies, nothing else: no validation, no
extraction, no output. It imports nothing of the service, so its start-up is
spaCy's own.

With --paced it prints "loaded" once the model is loaded, waits for a line on
standard input before parsing, and then prints the parse's wall and CPU seconds
as JSON: so several processes can be started, and their parses timed, together.
"""

from __future__ import annotations

import sys
import time

import orjson
import spacy

# The service's components (stream.nlp.COMPONENTS), repeated so as not to import the service.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def main(argv: list[str]) -> int:
    model, batch_size, corpus, *flags = argv
    keep = [name for name in COMPONENTS if not ("--no-lemmatizer" in flags and name == "lemmatizer")]
    with open(corpus, "rb") as lines:
        bodies = [orjson.loads(line)["body"] for line in lines if line.strip()]
    probe = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    held = probe.get("components") or probe.get("pipeline") or []
    nlp = spacy.load(model, exclude=[name for name in held if name not in keep])
    paced = "--paced" in flags
    if paced:
        print("loaded", flush=True)
        sys.stdin.readline()
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(bodies, batch_size=int(batch_size)):
        pass
    if paced:
        timing = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu_started}
        print(orjson.dumps(timing).decode(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
