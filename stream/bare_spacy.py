"""The reference `newswire bench` measures the service against: bare spaCy on a corpus file.

    python -m stream.bare_spacy MODEL BATCH_SIZE CORPUS.jsonl [--no-lemmatizer]

Loads the model with the components the service uses (without the lemmatizer if
asked) and runs `nlp.pipe` over the bodies, nothing else: no validation, no
extraction, no output. It imports nothing of the service, so its start-up is
spaCy's own.
"""

from __future__ import annotations

import sys

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
    for _ in nlp.pipe(bodies, batch_size=int(batch_size)):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
