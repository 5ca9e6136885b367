"""The Faust app takes its configuration from Settings alone, never from stray variables."""

from __future__ import annotations

import pytest

from stream.app import PRODUCER_MAX_REQUEST_BYTES, create_app
from stream.settings import Settings

# What a careless shell or Kubernetes (a Service named `web`) may leave in the environment.
STRAY = {
    "PRODUCER_ACKS": "1",
    "WEB_PORT": "tcp://10.0.0.1:80",
    "BROKER_URL": "kafka://elsewhere:9999",
    "CONSUMER_AUTO_OFFSET_RESET": "latest",
    "APP_ENV_PREFIX": "",
    "PRODUCER_MAX_REQUEST_SIZE": "10",
}


def test_unprefixed_variables_do_not_override_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in STRAY.items():
        monkeypatch.setenv(name, value)
    conf = create_app(Settings(bootstrap_servers="127.0.0.1:19999", web_port=7001)).conf
    assert conf.producer_acks == -1, "at-least-once needs acks=all"
    assert conf.web_port == 7001
    assert [str(url) for url in conf.broker] == ["kafka://127.0.0.1:19999"]
    assert conf.consumer_auto_offset_reset == "earliest"
    assert conf.producer_max_request_size == PRODUCER_MAX_REQUEST_BYTES
