"""Wiring the worker together: settings -> pool, app, topics, tables, agents, views -> run."""

from __future__ import annotations

import logging
import logging.config

import faust

from stream import monitor
from stream.agents import register_agents
from stream.app import create_app, declare_topics
from stream.logs import logging_config
from stream.pool import EnrichPool
from stream.settings import Settings
from stream.state import declare_tables, install_state

log = logging.getLogger(__name__)


def run(settings: Settings) -> int:
    """Load the model, then run the Faust worker until it is stopped."""
    pool = EnrichPool(
        model=settings.model,
        processes=settings.processes,
        batch_size=settings.batch_size,
        attributions=settings.attributions,
    )
    app = create_app(settings)
    topics = declare_topics(app, settings)
    tables = declare_tables(app, settings)
    register_agents(app, topics, tables, pool, settings)
    install_state(app, tables, settings)
    monitor.install(app, pool, settings)
    logging.config.dictConfig(logging_config(level=settings.log_level, fmt=settings.log_format))
    log.info("loading model %s in %d process(es)", settings.model, max(1, settings.processes))
    pool.start()
    try:
        worker = faust.Worker(
            app,
            loglevel=settings.log_level.upper(),
            logging_config=logging_config(level=settings.log_level, fmt=settings.log_format),
            quiet=True,
        )
        worker.execute_from_commandline()
    finally:
        pool.close()
    return 0
