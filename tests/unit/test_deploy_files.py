"""The observability deploy files: Prometheus config, alert rules, Grafana dashboard.

promtool (Debian's prometheus package, installed by `deploy/local/setup.sh --test`)
validates the config and the rules and runs the rules' unit tests. Every metric name
in an alert or a dashboard query must be one the service really exports, so that a
renamed metric cannot leave an alert that never fires or a panel that stays empty.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
ALERTS_TEST = DEPLOY / "prometheus" / "alerts_test.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "newswire.json"
DATASOURCE_PROVISIONING = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVISIONING = DEPLOY / "grafana" / "provisioning" / "dashboards" / "newswire.yml"

EXPECTED_ALERTS = {
    "NewswireNoProgress",
    "NewswireDeadLetterRateHigh",
    "NewswireLatencyHigh",
    "NewswireWorkerDown",
    "NewswireNotReady",
    "NewswireProduceErrors",
    "NewswireStalled",
    "NewswireInputRewound",
}

# Series Prometheus itself attaches to every target.
SCRAPE_SERIES = {"up"}

# How prometheus-client names the samples of a metric family, by family type.
SAMPLE_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gaugehistogram": ("_bucket", "_gsum", "_gcount"),
    "summary": ("", "_sum", "_count", "_created"),
    "info": ("_info",),
    "stateset": ("",),
    "unknown": ("",),
}
# Samples that only make sense under rate()/increase(): they only ever go up.
MONOTONIC_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}

PROMQL_FUNCTIONS = {
    "abs",
    "absent",
    "absent_over_time",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "avg",
    "avg_over_time",
    "bottomk",
    "ceil",
    "changes",
    "clamp",
    "clamp_max",
    "clamp_min",
    "cos",
    "cosh",
    "count",
    "count_over_time",
    "count_values",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "deg",
    "delta",
    "deriv",
    "exp",
    "floor",
    "group",
    "histogram_quantile",
    "holt_winters",
    "hour",
    "idelta",
    "increase",
    "irate",
    "label_join",
    "label_replace",
    "last_over_time",
    "ln",
    "log10",
    "log2",
    "max",
    "max_over_time",
    "min",
    "min_over_time",
    "minute",
    "month",
    "predict_linear",
    "present_over_time",
    "quantile",
    "quantile_over_time",
    "rad",
    "rate",
    "resets",
    "round",
    "scalar",
    "sgn",
    "sin",
    "sinh",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev",
    "stddev_over_time",
    "stdvar",
    "stdvar_over_time",
    "sum",
    "sum_over_time",
    "tan",
    "tanh",
    "time",
    "timestamp",
    "topk",
    "vector",
    "year",
}
PROMQL_KEYWORDS = {
    "and",
    "or",
    "unless",
    "bool",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "inf",
    "nan",
    "atan2",
}
IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


# --- what the service exports -------------------------------------------------


def exported_families() -> dict[str, str]:
    """Every sample name the worker's /metrics can carry, mapped to its family's type.

    The worker serves prometheus-client's default registry: our metrics from
    stream.metrics plus the default process and platform collectors. Labelled
    metrics have no samples until a child is created, so names come from each
    family's name and type rather than from samples alone.
    """
    import prometheus_client

    import stream.metrics  # noqa: F401 - registers the service's metrics

    names: dict[str, str] = {}
    for family in prometheus_client.REGISTRY.collect():
        for suffix in SAMPLE_SUFFIXES.get(family.type, ("",)):
            names[family.name + suffix] = family.type
        for sample in family.samples:
            names.setdefault(sample.name, family.type)
    for series in SCRAPE_SERIES:
        names[series] = "gauge"
    return names


@pytest.fixture(scope="module")
def exported() -> dict[str, str]:
    return exported_families()


def monotonic(exported: dict[str, str]) -> set[str]:
    return {
        name
        for name, kind in exported.items()
        if any(name.endswith(suffix) for suffix in MONOTONIC_SUFFIXES.get(kind, ()))
    }


def test_the_exported_names_look_like_the_exposition(exported: dict[str, str]) -> None:
    # Guards the name derivation itself: counters carry _total, histograms _bucket,
    # the Info metric _info, and bare counter or histogram names are not samples.
    for name in (
        "newswire_articles_consumed_total",
        "newswire_articles_dead_lettered_total",
        "newswire_batch_processing_seconds_bucket",
        "newswire_event_lag_seconds_bucket",
        "newswire_consumer_lag_messages",
        "newswire_build_info",
        "process_cpu_seconds_total",
        "up",
    ):
        assert name in exported, name
    for name in ("newswire_articles_consumed", "newswire_batch_processing_seconds", "newswire_build"):
        assert name not in exported, name


# --- PromQL -------------------------------------------------------------------


def metric_names(expr: str) -> set[str]:
    """Metric names an expression selects: identifiers that are not functions, keywords or label names."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"' r"|'(?:[^'\\]|\\.)*'|`[^`]*`", '""', expr)  # string literals
    text = re.sub(r"\{[^{}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\[\]]*\]", " ", text)  # range selectors and subqueries, [$__rate_interval] too
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", text)
    text = re.sub(r"\boffset\s+-?[\w$]+", " ", text)
    text = re.sub(r"\$\{?\w+\}?", " ", text)  # Grafana variables
    text = re.sub(r"(?<![\w:.])\d[\w.+-]*", " ", text)  # numbers and durations: 0.99, 5, 1e3, 5m
    names = set()
    for match in IDENTIFIER.finditer(text):
        word = match.group(0)
        if word.lower() in PROMQL_KEYWORDS:
            continue
        if text[match.end() :].lstrip().startswith("("):
            assert word in PROMQL_FUNCTIONS, f"unknown PromQL function {word}() in: {expr}"
            continue
        names.add(word)
    return names


def rated_names(expr: str) -> set[str]:
    """Names given straight to rate(), irate(), increase() or resets()."""
    return set(re.findall(r"\b(?:rate|irate|increase|resets)\s*\(\s*([A-Za-z_:][A-Za-z0-9_:]*)", expr))


def check_expr(expr: str, exported: dict[str, str], where: str) -> list[str]:
    problems = []
    names = metric_names(expr)
    if not names:
        problems.append(f"{where}: no metric in {expr!r}")
    for name in sorted(names - exported.keys()):
        problems.append(f"{where}: {name} is not exported by the service (expr {expr!r})")
    for name in sorted((rated_names(expr) & exported.keys()) - monotonic(exported)):
        problems.append(f"{where}: {name} is a {exported[name]}, not a counter, but is rated (expr {expr!r})")
    return problems


def test_the_extractor_finds_metric_names() -> None:
    expr = (
        "histogram_quantile(0.99, sum by (job, le) (rate(newswire_batch_processing_seconds_bucket"
        '{job="newswire", instance=~"$instance"}[$__rate_interval])))'
        " / on (job) group_left sum without (instance) (up offset 5m) > bool 1e3"
        " and ignoring(x) foo:bar_total"
    )
    assert metric_names(expr) == {"newswire_batch_processing_seconds_bucket", "up", "foo:bar_total"}
    assert rated_names(expr) == {"newswire_batch_processing_seconds_bucket"}


# --- promtool -----------------------------------------------------------------


def promtool() -> str:
    """The promtool binary; missing, the test fails (never skips): CI must run these checks."""
    path = shutil.which("promtool")
    if path is None:
        pytest.fail(
            "promtool is not on PATH; it comes with Debian's prometheus package: "
            "run deploy/local/setup.sh --test (or apt-get install -y prometheus)",
            pytrace=False,
        )
    return path


def run_promtool(*args: str) -> str:
    result = subprocess.run([promtool(), *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"promtool {' '.join(args)} failed:\n{output}"
    return output


def test_promtool_accepts_the_prometheus_config() -> None:
    output = run_promtool("check", "config", str(PROMETHEUS_CONFIG.relative_to(ROOT)))
    assert "1 rule files found" in output
    assert f"SUCCESS: {len(EXPECTED_ALERTS)} rules found" in output  # the config's rule file was checked


def test_promtool_accepts_the_alert_rules() -> None:
    output = run_promtool("check", "rules", str(ALERTS.relative_to(ROOT)))
    assert f"SUCCESS: {len(EXPECTED_ALERTS)} rules found" in output


def test_alert_rules_pass_their_unit_tests() -> None:
    text = ALERTS_TEST.read_text("utf-8")
    for alert in ("NewswireDeadLetterRateHigh", "NewswireWorkerDown"):
        assert f"alertname: {alert}" in text
    output = run_promtool("test", "rules", str(ALERTS_TEST.relative_to(ROOT)))
    assert "SUCCESS" in output


def test_prometheus_config_scrapes_the_worker() -> None:
    text = PROMETHEUS_CONFIG.read_text("utf-8")
    assert re.search(r"^\s*-\s*job_name:\s*newswire\s*$", text, re.M)
    assert re.search(r"^\s*-\s*127\.0\.0\.1:6066\s*$", text, re.M)
    assert re.search(r"^\s*scrape_interval:\s*15s\s*$", text, re.M)
    assert re.search(r"^rule_files:\s*\n\s*-\s*alerts\.yml\b", text, re.M)


# --- alert rules ----------------------------------------------------------------


def alert_rules(text: str) -> Iterator[dict[str, str]]:
    """The alerting rules of a rule file as {alert, expr, for, severity, summary, description}.

    Reads the block layout alerts.yml uses (PyYAML is not a dependency); the
    promtool tests above validate the file as YAML and count its rules.
    """
    rule: dict[str, str] | None = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if match := re.match(r"^(\s*)- alert:\s*(\S+)\s*$", line):
            if rule is not None:
                yield rule
            rule = {"alert": match.group(2)}
        elif rule is not None and (match := re.match(r"^(\s*)(expr|for|severity|summary|description):\s*(.*)$", line)):
            indent, key, value = len(match.group(1)), match.group(2), match.group(3).strip()
            if value in ("|", "|-", ">", ">-"):
                block = []
                while i + 1 < len(lines) and (
                    not lines[i + 1].strip() or len(lines[i + 1]) - len(lines[i + 1].lstrip()) > indent
                ):
                    i += 1
                    block.append(lines[i].strip())
                value = "\n".join(block).strip()
            rule[key] = value.strip("'\"")
        elif rule is not None and re.match(r"^\s*- (name|record):", line):
            yield rule
            rule = None
        i += 1
    if rule is not None:
        yield rule


@pytest.fixture(scope="module")
def rules() -> list[dict[str, str]]:
    return list(alert_rules(ALERTS.read_text("utf-8")))


def test_the_expected_alerts_are_defined_once(rules: list[dict[str, str]]) -> None:
    names = [rule["alert"] for rule in rules]
    assert sorted(names) == sorted(EXPECTED_ALERTS)


def test_every_alert_has_for_severity_and_templated_annotations(rules: list[dict[str, str]]) -> None:
    for rule in rules:
        name = rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "")), f"{name}: needs a for: duration"
        assert rule.get("severity") in ("warning", "critical"), f"{name}: severity must be warning or critical"
        for key in ("summary", "description"):
            assert "{{" in rule.get(key, ""), f"{name}: {key} should be templated with labels or value"


def test_every_alert_expr_uses_exported_metrics(rules: list[dict[str, str]], exported: dict[str, str]) -> None:
    problems = [p for rule in rules for p in check_expr(rule["expr"], exported, f"alert {rule['alert']}")]
    assert not problems, "\n".join(problems)


# --- Grafana ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text("utf-8"))


def all_panels(panels: list[dict]) -> Iterator[dict]:
    for panel in panels:
        yield panel
        yield from all_panels(panel.get("panels", []))  # panels inside collapsed rows


def test_dashboard_identity_and_datasource_variable(dashboard: dict) -> None:
    assert dashboard["uid"] == "newswire"
    assert 36 <= dashboard["schemaVersion"] <= 41
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"


def test_dashboard_panels_have_unique_ids_and_targets(dashboard: dict) -> None:
    panels = list(all_panels(dashboard["panels"]))
    assert panels
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), f"duplicate panel ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    for panel in panels:
        title = panel.get("title", panel["id"])
        assert panel.get("targets"), f"panel {title!r} has no targets"
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, title
        for target in panel["targets"]:
            assert target.get("expr", "").strip(), f"panel {title!r}: target {target.get('refId')} has no expr"
            assert target.get("datasource", panel["datasource"])["uid"] == "${datasource}", title
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), f"panel {title!r}: duplicate refIds"


def test_dashboard_queries_use_exported_metrics(dashboard: dict, exported: dict[str, str]) -> None:
    problems = []
    for panel in all_panels(dashboard["panels"]):
        for target in panel.get("targets", []):
            problems += check_expr(target["expr"], exported, f"panel {panel.get('title')!r} {target['refId']}")
    for variable in dashboard["templating"]["list"]:
        query = variable.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query or ""
        if variable["type"] == "query":
            match = re.fullmatch(r"\s*label_values\((.*),\s*\w+\s*\)\s*", query)
            assert match, f"variable {variable['name']}: expected label_values(selector, label), got {query!r}"
            problems += check_expr(match.group(1), exported, f"variable {variable['name']}")
    assert not problems, "\n".join(problems)


def test_dashboard_covers_the_service_metrics(dashboard: dict) -> None:
    exprs = " ".join(t["expr"] for p in all_panels(dashboard["panels"]) for t in p.get("targets", []))
    used = metric_names(exprs)
    for name in (
        "newswire_articles_consumed_total",
        "newswire_articles_enriched_total",
        "newswire_articles_dead_lettered_total",
        "newswire_batch_processing_seconds_bucket",
        "newswire_article_processing_seconds_bucket",
        "newswire_event_lag_seconds_bucket",
        "newswire_consumer_lag_messages",
        "newswire_quotes_total",
        "newswire_quotes_per_article_sum",
        "newswire_quotes_per_article_count",
        "newswire_entities_per_article_sum",
        "newswire_entities_per_article_count",
        "newswire_nlp_seconds_total",
        "newswire_ready",
        "newswire_assigned_partitions",
        "newswire_rebalances_total",
        "newswire_commits_held_total",
        "newswire_build_info",
        "newswire_story_versions_total",
        "newswire_lineage_events_total",
        "newswire_state_entries",
        "newswire_state_expired_total",
        "newswire_stalled",
        "newswire_input_rewinds_total",
    ):
        assert name in used, f"no panel shows {name}"


def test_grafana_provisioning_points_at_the_dashboard() -> None:
    datasources = DATASOURCE_PROVISIONING.read_text("utf-8")
    assert re.search(r"^apiVersion:\s*1\s*$", datasources, re.M)
    assert re.search(r"^\s*type:\s*prometheus\s*$", datasources, re.M)
    dashboards = DASHBOARD_PROVISIONING.read_text("utf-8")
    assert re.search(r"^apiVersion:\s*1\s*$", dashboards, re.M)
    assert re.search(r"^\s*type:\s*file\s*$", dashboards, re.M)
    assert re.search(r"^\s*path:\s*/var/lib/grafana/dashboards\s*$", dashboards, re.M)
