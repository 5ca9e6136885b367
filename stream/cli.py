"""The `newswire` command: worker | enrich | replay | topics | bench | eval."""

from __future__ import annotations

import argparse
import logging
import os
import ssl
import sys
from collections.abc import Sequence

from stream import __version__
from stream.errors import ArticleError, InputError, NewswireError
from stream.evaluation.cli import add_eval_command
from stream.logs import configure_logging
from stream.settings import Settings, describe, warn_unknown_variables
from stream.threads import one_numeric_thread

DESCRIPTION = """\
Enrich news articles with named entities and quoted statements.

The worker consumes raw articles from Kafka and publishes one enriched event
per article, one event per quote and dead letters for input it cannot use.
`enrich` runs the same enrichment on files, without Kafka; `eval` measures it
against gold annotations.
"""

EXIT_CODES = """exit status:
  0    success
  1    a service could not be reached or refused us (Kafka: unreachable, TLS or login failure)
  2    bad usage or input: an unknown option, a bad NEWSWIRE_* value or model, a file that cannot
       be read, a record that is not a valid article or that enrichment failed on
  70   worker only: an unexpected error; the batch in flight was left uncommitted
  130  interrupted (Ctrl-C)
"""


def settings_help() -> str:
    lines = [EXIT_CODES, "settings (environment variables):"]
    for name, default, doc in describe():
        shown = f" [{default}]" if default else ""
        lines.append(f"  {name}{shown}\n      {doc}")
    return "\n".join(lines)


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="newswire", description=DESCRIPTION, epilog=settings_help(), formatter_class=formatter
    )
    parser.add_argument("--version", action="version", version=f"newswire {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    worker = commands.add_parser(
        "worker",
        help="run the streaming worker (Faust) until stopped",
        description="Consume NEWSWIRE_RAW_TOPIC and publish enriched events, quotes, entities and dead letters. "
        "Stop with Ctrl-C or SIGTERM; a batch still in flight is left uncommitted and read again on restart.",
        epilog=settings_help(),
        formatter_class=formatter,
    )
    worker.set_defaults(run=run_worker)

    enrich = commands.add_parser(
        "enrich",
        help="enrich articles from files and print enriched events as JSON Lines",
        description="Enrich articles without Kafka. PATH is a .json file (an article or a list), "
        "a .jsonl file (one article a line), a plain-text file (one article; the id is the file name) "
        "or a directory of them; '-' or no PATH reads stdin. Each invalid record is reported on stderr "
        "as 'newswire: FILE:LINE: why', the others are enriched, and the exit status is 2.",
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    enrich.add_argument("paths", nargs="*", metavar="PATH", default=["-"])
    enrich.add_argument("--model", help="spaCy pipeline (default: NEWSWIRE_MODEL)")
    enrich.add_argument(
        "--batch-size", type=positive_int, help="articles per nlp.pipe batch (default: NEWSWIRE_BATCH_SIZE)"
    )
    enrich.add_argument("-o", "--output", help="write events to this file instead of stdout")
    enrich.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    enrich.set_defaults(run=run_enrich)

    replay = commands.add_parser(
        "replay",
        help="produce articles from files to the raw topic",
        description="Send articles to NEWSWIRE_RAW_TOPIC, keyed by article id. PATH as for `enrich`. "
        "Records are validated first; invalid ones are reported and skipped (exit status 2) unless --raw is given.",
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    replay.add_argument("paths", nargs="+", metavar="PATH")
    replay.add_argument("--topic", help="topic to produce to (default: NEWSWIRE_RAW_TOPIC)")
    replay.add_argument("--repeat", type=positive_int, default=1, help="send the articles this many times (default: 1)")
    replay.add_argument("--raw", action="store_true", help="send records as they are, without validation")
    replay.set_defaults(run=run_replay)

    topics = commands.add_parser(
        "topics",
        help="create the service's topics if they do not exist",
        description="Create the raw, enriched, quotes, entities, dead-letter and lineage topics, and the "
        "quote-fingerprint repartition topic, with NEWSWIRE_PARTITIONS partitions and "
        "NEWSWIRE_REPLICATION_FACTOR replicas. Existing topics are left as they are.",
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    topics.set_defaults(run=run_topics)

    bench = commands.add_parser(
        "bench",
        help="measure throughput, latency and memory against a running broker; prints JSON",
        description="On a corpus file (--corpus), else a synthetic corpus drawn from the seed articles, "
        "measure in one run: bare spaCy nlp.pipe with and without the lemmatizer and `newswire enrich`, "
        "each a process run to its end (model load included), the full path through the broker at "
        "NEWSWIRE_BOOTSTRAP_SERVERS with 1 and 2 NLP processes, end-to-end latency at half the peak "
        "rate, and peak RSS per process; words/s per core for each path, and their ratios. Start a "
        "broker first (deploy/local/bench.sh does).",
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    bench.add_argument(
        "--corpus", metavar="FILE", help="articles to measure on (.jsonl, .json ...), e.g. ggt-dev.jsonl"
    )
    bench.add_argument("--articles", type=positive_int, default=400, help="size of the synthetic corpus (default: 400)")
    bench.add_argument("--seeds", nargs="+", default=["seeds"], help="articles to draw paragraphs from")
    bench.add_argument(
        "--rounds", type=positive_int, default=2, help="measure each path this many times, keep the best"
    )
    bench.set_defaults(run=run_bench)

    add_eval_command(commands)
    return parser


class LastClientError(logging.Handler):
    """Holds the Kafka client's last error log line instead of printing it.

    aiokafka logs the cause ("certificate verify failed", "Connect call failed")
    and then raises a generic "Unable to bootstrap"; the command prints both as one line.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.message = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.message = record.getMessage()

    def install(self) -> None:
        client = logging.getLogger("aiokafka")
        client.addHandler(self)
        client.propagate = False


def kafka_failure(settings: Settings, exc: Exception, cause: str) -> str:
    text = str(exc)
    what = text if text.startswith(type(exc).__name__) else f"{type(exc).__name__}: {text}"
    return f"newswire: Kafka at {settings.bootstrap_servers}: {what}" + (f" ({cause})" if cause else "")


def main(argv: Sequence[str] | None = None) -> int:
    one_numeric_thread()  # before numpy loads, here and in the NLP processes the worker spawns
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except NewswireError as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    warn_unknown_variables()
    client_error = LastClientError()
    if args.command != "worker":  # the worker logs client errors as they come
        client_error.install()
    try:
        status: int = args.run(args, settings)
    except NewswireError as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`newswire eval ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if not (is_kafka_error(exc) or isinstance(exc, ssl.SSLError)):
            raise
        print(kafka_failure(settings, exc, client_error.message), file=sys.stderr)
        return 1
    return status


def is_kafka_error(exc: BaseException) -> bool:
    """True for an aiokafka error, without importing aiokafka (and asyncio) for commands that never use it."""
    errors = sys.modules.get("aiokafka.errors")
    return errors is not None and isinstance(exc, errors.KafkaError)


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    from stream.worker import run

    return run(settings)


def run_enrich(args: argparse.Namespace, settings: Settings) -> int:
    from stream.codec import encode
    from stream.files import read_articles
    from stream.models import Article
    from stream.nlp import EnrichmentFailure, check_model, enrich, load_pipeline
    from stream.progress import progress_bar

    model = args.model or settings.model
    batch_size = args.batch_size or settings.batch_size
    check_model(model)
    try:
        output = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{args.output}: {exc.strerror or exc}") from exc
    nlp = load_pipeline(model, cache_dir=settings.cache_path)
    bar = progress_bar(quiet=args.quiet)
    failed = 0
    batch: list[Article] = []

    def flush() -> None:
        nonlocal failed
        for result in enrich(nlp, batch, model=model, batch_size=batch_size, attributions=settings.attributions):
            if isinstance(result, EnrichmentFailure):
                failed += 1
                print(f"newswire: {result.article.id}: {result.describe()}", file=sys.stderr)
            else:
                output.write(encode(result) + b"\n")
        bar.update(len(batch))
        batch.clear()

    try:
        for where, _, article in read_articles(args.paths, max_chars=settings.max_body_chars):
            if isinstance(article, ArticleError):
                failed += 1
                print(f"newswire: {where}: {article}", file=sys.stderr)
                continue
            batch.append(article)
            if len(batch) >= batch_size:
                flush()
        flush()
    finally:
        bar.close()
        if args.output:
            output.close()
    return 2 if failed else 0


def run_replay(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from stream.replay import replay

    return asyncio.run(replay(settings, args.paths, topic=args.topic, repeat=args.repeat, validate=not args.raw))


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    import orjson

    from stream.bench import bench

    report = asyncio.run(
        bench(settings, articles=args.articles, seeds=args.seeds, corpus_path=args.corpus, rounds=args.rounds)
    )
    sys.stdout.buffer.write(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def run_topics(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from stream.admin import create_topics

    for name, created in asyncio.run(create_topics(settings)):
        print(f"{name}: {'created' if created else 'exists'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
