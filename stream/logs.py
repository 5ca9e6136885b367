"""Logging set-up: plain text for people, JSON lines for log pipelines."""

from __future__ import annotations

import logging
import logging.config
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


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """A logging.config.dictConfig dict for every process (fmt is "text" or "json")."""
    formatter: dict[str, Any] = {"()": "stream.logs.JsonFormatter"} if fmt == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"level": level.upper(), "handlers": ["console"]},
        "loggers": {"aiokafka": {"level": "WARNING"}, "faust": {"level": level.upper()}},
    }


def configure_logging(*, level: str, fmt: str) -> None:
    """Apply the settings' level and format to this process; Python warnings become log lines too."""
    logging.config.dictConfig(logging_config(level=level, fmt=fmt))
    logging.captureWarnings(True)
