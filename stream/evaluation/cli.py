"""`newswire eval WHAT ...`: one `add_<what>(commands)` per subcommand, listed in SUBCOMMANDS."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from stream.settings import Settings

FORMATTER = argparse.RawDescriptionHelpFormatter
Subparsers = Any  # argparse's private _SubParsersAction

DESCRIPTION = """\
Measure the service against gold annotations, and build the gold files.

  newswire eval build polnear GIT_DIR --split dev     gold quotes into eval-data/
  newswire eval quotes eval-data/polnear-dev.jsonl    runs the enrichment, prints P/R/F1
  newswire eval entities eval-data/conll-dev.txt      PER/ORG/LOC mentions, P/R/F1
  newswire eval coref eval-data/gap-development.tsv   pronouns: F1 by gender, bias F/M

Without --pred, the scorers run exactly the enrichment the service runs
(NEWSWIRE_MODEL, or --model). A gold file that is missing or malformed is
reported in one line and the exit status is 2.
"""


def add_eval_command(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "eval",
        help="score quotes and entities against gold files; build gold files from public corpora",
        description=DESCRIPTION,
        formatter_class=FORMATTER,
    )
    subcommands = parser.add_subparsers(dest="eval_command", metavar="WHAT", required=True)
    for add in SUBCOMMANDS:
        add(subcommands)


def add_enrichment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="spaCy pipeline (default: NEWSWIRE_MODEL)")
    parser.add_argument("--batch-size", type=int, help="articles per nlp.pipe batch (default: NEWSWIRE_BATCH_SIZE)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")


def add_quotes(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "quotes",
        help="precision, recall and F1 of quotes; speaker, cue and name accuracy",
        description="Score quotes against GOLD (JSON Lines: id, body, quotes with content, speaker and cue "
        "offsets, name, direct; see stream/evaluation/gold.py). A gold quote matches the unused predicted "
        "quote covering the largest share of its words, above the overlap (0.3 and 0.8 are reported). "
        "Of matched quotes: speaker and cue spans sharing a word with the gold ones, and the resolved "
        "name, strict and lenient (same last name). Figures are percentages.",
    )
    parser.add_argument("gold", metavar="GOLD", help="gold quotes, .jsonl (or .json: one record or a list)")
    parser.add_argument(
        "--pred", metavar="PRED", help="enriched events (`newswire enrich GOLD` output) to score instead of enriching"
    )
    add_enrichment_options(parser)
    parser.add_argument(
        "--attributions",
        choices=("statements", "all"),
        help="statements, or all (also thoughts, as PolNeAR annotates them) (default: NEWSWIRE_ATTRIBUTIONS)",
    )
    parser.add_argument(
        "--join-split",
        action="store_true",
        help='one quote per interrupted statement (\'"X," he said, "Y."\'), as PolNeAR annotates them',
    )
    parser.add_argument("--errors", action="store_true", help="also list missed and spurious quotes and wrong names")
    parser.add_argument("--errors-at", type=float, choices=(0.3, 0.8), default=0.3, help="overlap for --errors")
    parser.set_defaults(run=run_quotes)


def run_quotes(args: argparse.Namespace, settings: Settings) -> int:
    from stream.evaluation.gold import read_gold_quotes, read_predictions
    from stream.evaluation.predict import as_predicted, enrich_all, quotes_joined
    from stream.evaluation.quotes import OVERLAPS, find_errors, score_quotes
    from stream.evaluation.report import print_quote_errors, print_quote_figures
    from stream.models import Article

    gold = read_gold_quotes(args.gold)
    failed = 0
    model = args.model or settings.model
    if args.pred:
        if args.join_split or args.attributions:
            print(
                "newswire: --join-split and --attributions apply when the enrichment runs here, not to --pred",
                file=sys.stderr,
            )
            return 2
        predictions = read_predictions(args.pred)
        source = args.pred
    else:
        articles = [Article(id=a.id, body=a.body) for a in gold]
        attributions = args.attributions or settings.attributions
        batch_size = args.batch_size or settings.batch_size
        if args.join_split:
            joined = quotes_joined(
                articles,
                model=model,
                batch_size=batch_size,
                quiet=args.quiet,
                attributions=attributions,
                cache_dir=settings.cache_path,
            )
            predictions = {k: as_predicted(v) for k, v in joined.items()}
        else:
            enriched, failed = enrich_all(
                articles,
                model=model,
                batch_size=batch_size,
                quiet=args.quiet,
                attributions=attributions,
                cache_dir=settings.cache_path,
            )
            predictions = {k: as_predicted(v.quotes) for k, v in enriched.items()}
        source = f"model {model}, {attributions}{', split quotes joined' if args.join_split else ''}"
    figures = {str(o): score_quotes(gold, predictions, overlap=o) for o in OVERLAPS}
    if args.json:
        out = {k: {**c.figures(), "counts": vars(c)} for k, c in figures.items()}
        sys.stdout.write(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print_quote_figures(args.gold, source, gold, figures)
    if args.errors:
        print_quote_errors(find_errors(gold, predictions, overlap=args.errors_at), overlap=args.errors_at)
    return 2 if failed else 0


def add_entities(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "entities",
        help="precision, recall and F1 of PER/ORG/LOC mentions on CoNLL-style files",
        description="Score the service's entity mentions against GOLD, a CoNLL-2003-style file (token and tag "
        "a line, blank line between sentences). Each document (a -DOCSTART- block, else a Reuters headline "
        "and dateline onwards) is rebuilt as text, tokens joined by spaces and sentences by line breaks, and "
        "enriched as the service does. Types: PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC; MISC and other "
        "labels are not scored. A mention is right when its first token, last token and type match.",
    )
    parser.add_argument("gold", metavar="GOLD", help="CoNLL-style file")
    add_enrichment_options(parser)
    parser.add_argument("--errors", action="store_true", help="also list missed and spurious mentions")
    parser.set_defaults(run=run_entities)


def run_entities(args: argparse.Namespace, settings: Settings) -> int:
    from stream.evaluation.entities import EntityCounts, conll_documents, map_mentions
    from stream.evaluation.predict import enrich_all
    from stream.evaluation.report import print_entity_errors, print_entity_figures
    from stream.models import Article

    documents = conll_documents(args.gold)
    model = args.model or settings.model
    articles = [Article(id=d.id, body=d.text) for d in documents]
    enriched, failed = enrich_all(
        articles,
        model=model,
        batch_size=args.batch_size or settings.batch_size,
        quiet=args.quiet,
        cache_dir=settings.cache_path,
    )
    counts = EntityCounts()
    predicted = {}
    for document in documents:
        event = enriched.get(document.id)
        spans = [(m.start, m.end, e.label) for e in event.entities for m in e.mentions] if event else []
        mapped = map_mentions(document, spans)
        counts.add(document.gold, mapped.mentions)
        counts.off_grid += mapped.off_grid
        predicted[document.id] = mapped.mentions
    if args.json:
        out = {**counts.figures(), "off_grid": counts.off_grid, "documents": len(documents)}
        sys.stdout.write(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print_entity_figures(args.gold, model, len(documents), counts)
    if args.errors:
        print_entity_errors(documents, predicted)
    return 2 if failed else 0


def add_build(commands: Subparsers) -> None:
    from stream.evaluation.corpora import CORPORA

    lines = [
        f"  {key:8} {spec.name}: {', '.join(spec.splits)} (held back: {', '.join(spec.held_back)})"
        for key, spec in CORPORA.items()
    ]
    parser = commands.add_parser(
        "build",
        help="build gold files from public corpora into a git-ignored folder",
        description="Turn a public corpus into a gold file, OUT/<corpus>-<split>.<ext>.\nSOURCE is the corpus's "
        "git directory (a bare mirror or a clone; nothing is checked out).\nCorpora and splits:\n"
        + "\n".join(lines)
        + "\nHeld-back splits are for final evaluation only and are refused.",
        formatter_class=FORMATTER,
    )
    parser.add_argument("corpus", choices=sorted(CORPORA), metavar="CORPUS", help=", ".join(sorted(CORPORA)))
    parser.add_argument("source", metavar="SOURCE", help="the corpus's git directory")
    parser.add_argument("--split", nargs="+", required=True, help="one or more splits to build")
    parser.add_argument("--out", default="eval-data", help="folder for the gold files (default: eval-data)")
    parser.set_defaults(run=run_build)


def run_build(args: argparse.Namespace, settings: Settings) -> int:
    from stream.evaluation.corpora import build, check_split

    for split in args.split:
        check_split(args.corpus, split)  # refuse a held-back split before building anything
    for split in args.split:
        build(args.corpus, args.source, split, args.out)
    return 0


def add_coref(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "coref",
        help="pronoun resolution on a GAP file: F1 masculine, feminine, overall and bias F/M",
        description="Resolve each GAP example's pronoun with the article mention model (stream/nlp/coref.py; "
        "the snippet text only, never the URL) and score it as GAP's scorer does: F1 over the A and B "
        "decisions for masculine and feminine pronouns, overall, and the bias F/M. A pronoun linked to "
        "neither name is FALSE for both.",
    )
    parser.add_argument("gold", metavar="GAP.tsv", help="a GAP file (gap-development.tsv, gap-validation.tsv)")
    parser.add_argument(
        "--predictions", metavar="FILE", help="also write GAP's system-output format (ID, A, B as TRUE/FALSE)"
    )
    parser.add_argument("--model", help="spaCy pipeline (default: NEWSWIRE_MODEL)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.set_defaults(run=run_coref)


def run_coref(args: argparse.Namespace, settings: Settings) -> int:
    from stream.evaluation.gap import format_predictions, predict_gap, read_gap_file, score_gap
    from stream.nlp import load_pipeline

    rows = read_gap_file(args.gold)
    model = args.model or settings.model
    predictions = predict_gap(load_pipeline(model, cache_dir=settings.cache_path), rows)
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as out:
            out.write(format_predictions(predictions))
    scores = score_gap(rows, predictions)
    if args.json:
        sys.stdout.write(orjson.dumps(scores, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(
            f"{args.gold} ({scores.examples} examples, model {model})\n"
            f"F1 masculine {scores.masculine}  feminine {scores.feminine}  overall {scores.overall}  "
            f"bias F/M {scores.bias}"
        )
    return 0


# One entry per `newswire eval` subcommand, in the order `--help` lists them.
SUBCOMMANDS: tuple[Callable[[Subparsers], None], ...] = (add_quotes, add_entities, add_coref, add_build)
