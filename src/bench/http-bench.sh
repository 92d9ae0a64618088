#!/usr/bin/env bash
# HTTP load on the packaged jar with wrk, a fixed mix of bodies: the baseline endpoint (same
# parsing, fixed answer), then POST /api/v1/triage with decision recording off, on H2, and on
# PostgreSQL (127.0.0.1:5432, database test), one after the other on this machine. Prints one
# table row per configuration.
# Usage: src/bench/http-bench.sh [duration=20s] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20s}
CONNECTIONS=${2:-32}
PORT=18480
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package

PG_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=triage_bench"
psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS triage_bench CASCADE; CREATE SCHEMA triage_bench" >/dev/null

run() { # name, path, extra java options...
  local name=$1; shift
  local path=$1; shift
  local data; data=$(mktemp -d)
  # Local security mode with a key pair per run: the token check is part of what is measured.
  TRIAGE_SECURITY_LOCAL=true TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY="$data/auth" \
  java -Xmx512m -Dquarkus.http.port=$PORT -Dtriage.rules.watch=false -Dtriage.bench.baseline-endpoint=true \
       -Dtriage.store.jdbc-url="jdbc:h2:file:$data/triage;WRITE_DELAY=0" "$@" \
       -jar target/quarkus-app/quarkus-run.jar > "$data/app.log" 2>&1 &
  local pid=$!
  until [ -f "$data/auth/tokens/triage-client.jwt" ] && curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $(cat "$data/auth/tokens/triage-client.jwt")" -d '{}' localhost:$PORT/api/v1/triage; do sleep 0.2; done
  export TRIAGE_TOKEN; TRIAGE_TOKEN=$(cat "$data/auth/tokens/triage-client.jwt")
  # Warm-up: the authenticated path needs about 30 s of load before the JIT has settled.
  wrk -t2 -c"$CONNECTIONS" -d30s -s src/bench/triage-mix.lua http://localhost:$PORT$path > /dev/null
  # CPU time of the service per request: steadier than req/s on a machine whose speed varies.
  local cpu0; cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s src/bench/triage-mix.lua http://localhost:$PORT$path)
  local cpu1; cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  local rss; rss=$(ps -o rss= -p $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local rps p50 p99 errors requests
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); errors=${errors:-0}
  printf '| %s | %s | %s | %s | %s | %d | %d MB |\n' "$name" "$rps" "$p50" "$p99" "$errors" \
    $(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / requests )) $((rss / 1024))
  rm -rf "$data"
}

echo "| configuration | req/s | p50 | p99 | non-2xx | CPU µs/request | RSS after |"
echo "|---|---|---|---|---|---|---|"
run "baseline endpoint (parse, fixed answer)" /api/v1/bench/baseline -Dtriage.store.recording=false
run "triage, recording off" /api/v1/triage -Dtriage.store.recording=false
run "triage, recording on, H2 (embedded)" /api/v1/triage
run "triage, recording on, PostgreSQL" /api/v1/triage -Dtriage.store.jdbc-url="$PG_URL"
