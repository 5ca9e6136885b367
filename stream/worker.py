"""Wiring the worker together: settings -> pool, app, topics, tables, agents, views -> run."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import faust

from stream import monitor, rewind
from stream.agents import register_agents
from stream.app import create_app, declare_topics
from stream.logs import configure_logging, logging_config
from stream.nlp import check_model
from stream.pool import EnrichPool
from stream.settings import Settings
from stream.state import declare_tables, install_state
from stream.watchdog import Progress

log = logging.getLogger(__name__)


def run(settings: Settings) -> int:
    """Run the Faust worker until it is stopped; the model loads beside it, so /readyz answers 503 meanwhile."""
    check_model(settings.model)
    pool = EnrichPool(
        model=settings.model,
        processes=settings.processes,
        batch_size=settings.batch_size,
        cache_dir=settings.cache_path,
        attributions=settings.attributions,
        log_level=settings.log_level,
        log_format=settings.log_format,
    )
    app = create_app(settings)
    topics = declare_topics(app, settings)
    tables = declare_tables(app, settings)
    progress = Progress()
    register_agents(app, topics, tables, pool, settings, progress)
    install_state(app, tables, settings)
    monitor.install(app, pool, settings, progress)
    rewind.install(app, settings.raw_topic)
    configure_logging(level=settings.log_level, fmt=settings.log_format)

    log.info("loading model %s in %d process(es)", settings.model, max(1, settings.processes))
    threading.Thread(target=load_or_exit, args=(pool,), name="model-loader", daemon=True).start()
    try:
        worker = BoundedStopWorker(
            app,
            shutdown_timeout=settings.shutdown_timeout,
            loglevel=settings.log_level.upper(),
            logging_config=logging_config(level=settings.log_level, fmt=settings.log_format),
            quiet=True,
        )
        worker.execute_from_commandline()
    finally:
        pool.close()
    return 0


def load_or_exit(pool: EnrichPool) -> None:
    """Load the model in the pool; a model that cannot load ends the worker with status 1."""
    try:
        pool.start()
    except Exception:
        if pool.closed:  # stopped while loading: nothing to report
            return
        log.critical("could not load model %s; exiting", pool.model, exc_info=True)
        logging.shutdown()
        os._exit(1)
    log.info("model %s loaded", pool.model)


class BoundedStopWorker(faust.Worker):
    """A Faust worker whose stop has a deadline.

    With its broker out of reach, Faust's consumer thread can wait for it forever
    while stopping, and the process would only end at the orchestrator's SIGKILL.
    Nothing uncommitted is lost by exiting: it is read again on restart.
    """

    def __init__(self, *args: Any, shutdown_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shutdown_timeout = shutdown_timeout

    def _on_sigterm(self) -> None:
        exit_after(self.shutdown_timeout, "SIGTERM")
        super()._on_sigterm()

    def _on_sigint(self) -> None:
        exit_after(self.shutdown_timeout, "SIGINT")
        super()._on_sigint()


def exit_after(seconds: float, reason: str) -> None:
    """End the process with status 1 if it is still running `seconds` from now."""

    def expire() -> None:
        log.error(
            "stop on %s did not finish within %.0f s (is the broker reachable?); exiting, "
            "and input not yet committed will be read again",
            reason,
            seconds,
        )
        logging.shutdown()
        os._exit(1)

    timer = threading.Timer(seconds, expire)
    timer.name, timer.daemon = "stop-deadline", True
    timer.start()
