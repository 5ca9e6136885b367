"""TLS: a real SSL listener that asks for client certificates, with a CA the test makes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from .conftest import ROOT, Broker, free_port, local_kafka

pytestmark = pytest.mark.integration


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory: Path, name: str) -> None:
    """A self-signed CA: NAME.pem, NAME.key."""
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN=newswire test {name}",
        "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=directory,
    )  # fmt: skip


def make_cert(directory: Path, name: str, *, ca: str, san: str | None = None) -> None:
    """NAME.pem signed by CA, and its unencrypted PKCS#8 key NAME.key (the form Kafka's PEM keystore reads)."""
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.rsa", "-out", f"{name}.csr",
        cwd=directory,
    )  # fmt: skip
    extensions = directory / f"{name}.ext"
    extensions.write_text(f"subjectAltName={san}\n" if san else "basicConstraints=CA:FALSE\n")
    openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
        "-days", "2", "-out", f"{name}.pem", "-extfile", extensions.name, cwd=directory,
    )  # fmt: skip
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", f"{name}.rsa", "-out", f"{name}.key", cwd=directory)


@pytest.fixture
def certs(tmp_path: Path) -> Path:
    directory = tmp_path / "certs"
    directory.mkdir()
    make_ca(directory, "ca")
    make_ca(directory, "other-ca")
    make_cert(directory, "broker", ca="ca", san="IP:127.0.0.1,DNS:localhost")
    make_cert(directory, "client", ca="ca")
    (directory / "broker-keystore.pem").write_text(
        (directory / "broker.key").read_text() + (directory / "broker.pem").read_text()
    )
    return directory


@pytest.fixture
def tls_broker(tmp_path: Path, certs: Path) -> Iterator[Broker]:
    """One node whose only client listener is SSL with ssl.client.auth=required (mutual TLS)."""
    port = free_port()
    properties = tmp_path / "ssl.properties"
    properties.write_text(
        f"listeners=SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}\n"
        f"advertised.listeners=SSL://127.0.0.1:{port}\n"
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SSL:SSL\n"
        "inter.broker.listener.name=SSL\n"
        "ssl.keystore.type=PEM\n"
        f"ssl.keystore.location={certs / 'broker-keystore.pem'}\n"
        "ssl.truststore.type=PEM\n"
        f"ssl.truststore.location={certs / 'ca.pem'}\n"
        "ssl.client.auth=required\n"
    )
    kafka = local_kafka(tmp_path / "kafka", [port], extra={"KAFKA_EXTRA_PROPERTIES": str(properties)})
    kafka.kcat_args = [
        "-X", "security.protocol=SSL",
        "-X", f"ssl.ca.location={certs / 'ca.pem'}",
        "-X", f"ssl.certificate.location={certs / 'client.pem'}",
        "-X", f"ssl.key.location={certs / 'client.key'}",
    ]  # fmt: skip
    kafka.start()
    yield kafka
    kafka.stop()


def tls_worker(make_worker, broker: Broker, certs: Path):  # type: ignore[no-untyped-def]
    return make_worker(
        on=broker,
        security_protocol="SSL",
        ssl_cafile=str(certs / "ca.pem"),
        ssl_certfile=str(certs / "client.pem"),
        ssl_keyfile=str(certs / "client.key"),
    )


def newswire(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stream", *args], env=env, cwd=ROOT, capture_output=True, timeout=120, check=False
    )


def test_the_worker_and_the_cli_talk_mutual_tls(make_worker, tls_broker: Broker, certs: Path, tmp_path: Path) -> None:
    worker = tls_worker(make_worker, tls_broker, certs)  # `newswire topics` made its topics over TLS
    worker.start()
    article = tmp_path / "tls.json"
    article.write_bytes(orjson.dumps({"id": "tls-1", "body": '"It is encrypted," Anna Berg said.'}))
    replay = newswire("replay", str(article), env=worker.env)
    assert replay.returncode == 0, replay.stderr
    [event] = worker.consume("enriched", 1)
    assert event["article_id"] == "tls-1"
    [quote] = worker.consume("quotes", 1)
    assert quote["speaker"] == "Anna Berg"


def test_a_wrong_ca_or_a_missing_client_certificate_is_one_line_and_exit_1(
    make_worker, tls_broker: Broker, certs: Path
) -> None:
    worker = tls_worker(make_worker, tls_broker, certs)
    wrong_ca = {**worker.env, "NEWSWIRE_SSL_CAFILE": str(certs / "other-ca.pem")}
    result = newswire("topics", env=wrong_ca)
    assert result.returncode == 1
    [line] = result.stderr.decode().splitlines()
    assert line.startswith(f"newswire: Kafka at {tls_broker.bootstrap}: KafkaConnectionError: Unable to bootstrap")
    assert "CERTIFICATE_VERIFY_FAILED" in line, line

    no_client_cert = {**worker.env, "NEWSWIRE_SSL_CERTFILE": "", "NEWSWIRE_SSL_KEYFILE": ""}
    result = newswire("topics", env=no_client_cert)
    assert result.returncode == 1
    [line] = result.stderr.decode().splitlines()
    assert line.startswith(f"newswire: Kafka at {tls_broker.bootstrap}: KafkaConnectionError"), line

    worker.env = wrong_ca
    with pytest.raises(AssertionError, match="worker exited with 1"):
        worker.start(wait=180)
    assert "CERTIFICATE_VERIFY_FAILED" in worker.log.read_text(errors="replace")
