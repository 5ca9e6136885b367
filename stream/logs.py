"""Logging set-up: plain text for people, JSON lines for log pipelines."""

from __future__ import annotations

import logging
import logging.config
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

TEXT_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


class RepeatFilter(logging.Filter):
    """Lets one record per logger and message template through every `window` seconds.

    A Kafka client without its broker logs the same few errors dozens of times a
    second; the first of each kind shows at once, and the next one to show says how
    many like it were held back.
    """

    def __init__(self, prefixes: tuple[str, ...] = ("aiokafka",), window: float = 10.0) -> None:
        super().__init__()
        self.prefixes, self.window = prefixes, window
        self.clock: Callable[[], float] = time.monotonic
        self._shown: dict[tuple[str, object], float] = {}
        self._held: dict[tuple[str, object], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefixes):
            return True
        key, now = (record.name, record.msg), self.clock()
        if now - self._shown.get(key, -self.window) < self.window:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._shown[key] = now
        held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more like it in the last {self.window:.0f} s)"
        return True


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """A logging.config.dictConfig dict for every process (fmt is "text" or "json")."""
    formatter: dict[str, Any] = {"()": "stream.logs.JsonFormatter"} if fmt == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"repeats": {"()": "stream.logs.RepeatFilter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["repeats"]}},
        "root": {"level": level.upper(), "handlers": ["console"]},
        "loggers": {"aiokafka": {"level": "WARNING"}, "faust": {"level": level.upper()}},
    }


def configure_logging(*, level: str, fmt: str) -> None:
    """Apply the settings' level and format to this process; Python warnings become log lines too."""
    logging.config.dictConfig(logging_config(level=level, fmt=fmt))
    logging.captureWarnings(True)
