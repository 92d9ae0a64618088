#!/usr/bin/env bash
# The decision store at load (issue 19): the packaged jar recording on PostgreSQL (127.0.0.1:5432,
# database test, schema triage_capacity), wrk with the triage mix, then the store's own figures:
# decisions and group commits per second from /q/metrics (triage_decisions_total,
# triage_store_write_seconds), CPU time per decision of the service and of the PostgreSQL server's
# processes, and at the end the bytes each stored decision takes (partitions, indexes and TOAST).
# One start and warm-up, then RUNS measured windows back to back, one table row each: the machine
# is shared, so the spread between rows is part of the result.
# Usage: src/bench/store-capacity.sh [duration=30s] [connections=32] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30s}
CONNECTIONS=${2:-32}
RUNS=${3:-3}
PORT=18481
SCHEMA=triage_capacity
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package
PSQL="psql -qtA -h 127.0.0.1 -U postgres -d test"
$PSQL -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA" >/dev/null

data=$(mktemp -d)
TRIAGE_SECURITY_LOCAL=true TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY="$data/auth" \
java -Xmx512m -Dquarkus.http.port=$PORT -Dtriage.rules.watch=false \
     -Dtriage.store.jdbc-url="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$SCHEMA" \
     -jar target/quarkus-app/quarkus-run.jar > "$data/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
until [ -f "$data/auth/tokens/triage-client.jwt" ] && curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $(cat "$data/auth/tokens/triage-client.jwt")" -d '{}' localhost:$PORT/api/v1/triage; do sleep 0.2; done
export TRIAGE_TOKEN; TRIAGE_TOKEN=$(cat "$data/auth/tokens/triage-client.jwt")
wrk -t2 -c"$CONNECTIONS" -d30s -s src/bench/triage-mix.lua http://localhost:$PORT/api/v1/triage > /dev/null

ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Every PostgreSQL server process, other users' sessions included (the machine is shared).
pg_ticks() { local t=0; for p in $(pgrep -u postgres 2>/dev/null); do t=$((t + $(ticks "$p"))); done; echo $t; }
metrics() { curl -fs localhost:$PORT/q/metrics | awk '
  /^triage_decisions_total/ {d += $NF}
  /^triage_store_write_seconds_count/ {c += $NF}
  /^triage_store_write_seconds_sum/ {s += $NF}
  END {printf "%d %d %.6f\n", d, c, s}'; }
hz=$(getconf CLK_TCK)

echo "| window | decisions/s | commits/s | decisions/commit | mean commit | p50 / p99 answer | service CPU µs/decision | PostgreSQL CPU µs/decision | machine load |"
echo "|---|---|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  read -r d0 c0 s0 < <(metrics); a0=$(ticks $pid); p0=$(pg_ticks); t0=$(date +%s.%N)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s src/bench/triage-mix.lua http://localhost:$PORT/api/v1/triage)
  read -r d1 c1 s1 < <(metrics); a1=$(ticks $pid); p1=$(pg_ticks); t1=$(date +%s.%N)
  p50=$(echo "$out" | awk '$1=="50%" {print $2}'); p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  awk -v d=$((d1 - d0)) -v c=$((c1 - c0)) -v s="$(echo "$s1 - $s0" | bc -l)" -v t="$(echo "$t1 - $t0" | bc -l)" \
      -v a=$((a1 - a0)) -v p=$((p1 - p0)) -v hz="$hz" -v run="$run" -v lat="$p50 / $p99" -v mload="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "| %d | %.0f | %.0f | %.1f | %.2f ms | %s | %.0f | %.0f | %s |\n", run, d / t, c / t, d / c, 1000 * s / c, lat,
      1e6 * a / hz / d, 1e6 * p / hz / d, mload }'
done
kill $pid; wait $pid 2>/dev/null || true

PGOPTIONS="-c search_path=$SCHEMA" $PSQL -c "VACUUM ANALYZE decision" >/dev/null
$PSQL -c "SET search_path = $SCHEMA;
  SELECT 'stored decisions: ' || count(*) FROM decision;
  SELECT 'bytes per decision, all: ' || round(sum(pg_total_relation_size(i.inhrelid)) / (SELECT count(*) FROM decision))
      || ', heap and TOAST: ' || round(sum(pg_table_size(i.inhrelid)) / (SELECT count(*) FROM decision))
      || ', indexes: ' || round(sum(pg_indexes_size(i.inhrelid)) / (SELECT count(*) FROM decision))
  FROM pg_inherits i WHERE i.inhparent = 'decision'::regclass;
  SELECT 'mean row (pg_column_size): ' || round(avg(pg_column_size(d.*))) FROM decision d;"
