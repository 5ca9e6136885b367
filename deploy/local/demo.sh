#!/usr/bin/env bash
# The quick start: local broker, topics, worker, replay of seeds/, and the enriched events.
#
#   deploy/local/demo.sh           run, print the enriched events, then stop everything
#   KEEP=1 deploy/local/demo.sh    leave the broker and worker running (stop: deploy/local/demo.sh stop)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
state=".local/demo"
export KAFKA_STATE="$root/$state/kafka"
export NEWSWIRE_BOOTSTRAP_SERVERS="${NEWSWIRE_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export NEWSWIRE_DATA_DIR="$state/worker-data"

stop() {
  if [ -f "$state/worker.pid" ]; then
    kill -TERM "$(cat "$state/worker.pid")" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$(cat "$state/worker.pid")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$state/worker.pid"
  fi
  deploy/local/kafka.sh stop
}

if [ "${1:-}" = "stop" ]; then stop; exit 0; fi

deploy/local/setup.sh
# Each run starts from an empty broker, so what it shows is this run's events.
deploy/local/kafka.sh stop
rm -rf "$state"
mkdir -p "$state"
deploy/local/kafka.sh start
[ "${KEEP:-0}" = 1 ] || trap stop EXIT

.venv/bin/newswire topics
.venv/bin/newswire worker >"$state/worker.log" 2>&1 &
echo $! >"$state/worker.pid"
echo "demo: worker started (log: $state/worker.log)" >&2

count="$(ls seeds/*.json | wc -l)"
.venv/bin/newswire replay seeds/
echo "demo: waiting for $count enriched events on articles.enriched ..." >&2
for _ in $(seq 360); do
  kcat -b "$NEWSWIRE_BOOTSTRAP_SERVERS" -C -t articles.enriched -o beginning -e -q >"$state/enriched.jsonl" 2>/dev/null || true
  [ "$(wc -l <"$state/enriched.jsonl")" -ge "$count" ] && break
  kill -0 "$(cat "$state/worker.pid")" 2>/dev/null || { echo "demo: the worker stopped; see $state/worker.log" >&2; exit 1; }
  sleep 0.5
done
.venv/bin/python - "$state/enriched.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line)
    print(f"\n== {event['article_id']}  ({len(event['entities'])} entities, {len(event['quotes'])} quotes)")
    top = sorted(event["entities"], key=lambda e: -(e["salience"] or 0))[:8]
    print("   most salient:", ", ".join(f"{e['name']} ({e['label']})" for e in top))
    for quote in event["quotes"]:
        speaker = quote["speaker"]["name"] or quote["speaker"]["text"] or "(no speaker)"
        text = quote["content"]["text"]
        print(f"   [{quote['kind']}] {speaker} {quote['cue']['text'] if quote['cue'] else ''}: {text[:90]}{'...' if len(text) > 90 else ''}")
PY
echo >&2
echo "demo: $(wc -l <"$state/enriched.jsonl") enriched events (all of them: $state/enriched.jsonl)" >&2
