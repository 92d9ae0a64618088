#!/usr/bin/env bash
# HTTP load on the packaged jar with wrk, side by side: the baseline endpoint (same parsing and
# authentication, a fixed answer of the same shape) and POST /api/v1/triage with recording off, on
# the embedded H2 store and on PostgreSQL (127.0.0.1:5432, database test, one schema per service).
#
# On a 2-core machine that wrk shares, one run of a configuration can differ from the next by 2x, so
# no figure stands alone: all services run at once (idle while another is measured) and the script
# alternates them for ROUNDS rounds, then prints each figure as its median and its spread (min to max
# over the rounds). Ratios to the baseline are taken within each round (the same minutes of the
# machine), then summarised the same way. With BENCH_BEFORE_JAR set, every configuration also runs
# on that jar (an earlier build of the service), alternating with this one, so before and after come
# from one run.
#
# Per configuration and round: req/s, p50 and p99 at saturation (CONNECTIONS connections), the
# service's own CPU time per request (user + system of its process over the requests it served:
# steadier than req/s), resident memory; p99 at about half of that round's maximum rate (paced
# connections); for H2, the store file's size per recorded decision while running and at rest.
# First of all, on the quiet machine: start-up to the first answer, cold (new data directory) and
# restarted with unchanged rules, alternating the jars.
#
# Usage: src/bench/http-bench.sh [duration=20s] [connections=32] [rounds=3]
# Environment: BENCH_BEFORE_JAR (optional; BENCH_BEFORE_H2_SETTINGS, default ;WRITE_DELAY=0, is added to
# its H2 URL, that build's default), BENCH_JAVA_OPTS (default: the container image's flags,
# -Xmx200m -XX:+UseSerialGC), BENCH_CONFIGS (default "baseline off h2 pg").
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20s}
CONNECTIONS=${2:-32}
ROUNDS=${3:-3}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx200m -XX:+UseSerialGC}
read -r -a CONFIGS <<< "${BENCH_CONFIGS:-baseline off h2 pg}"
declare -A JAR=([after]=target/quarkus-app/quarkus-run.jar)
BUILDS=(after)
if [ -n "${BENCH_BEFORE_JAR:-}" ]; then JAR[before]=$BENCH_BEFORE_JAR; BUILDS=(before after); fi
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f "${JAR[after]}" ] || ./mvnw -B -q -DskipTests package

WORK=$(mktemp -d /tmp/http-bench.XXXXXX)
RESULTS=$WORK/results.tsv     # service (build/config), round, metric, value
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

declare -A NAME=([baseline]="baseline endpoint (parse, auth, fixed answer)" [off]="triage, recording off"
                 [h2]="triage, recording on, H2 (embedded, default)" [pg]="triage, recording on, PostgreSQL")
declare -A URLPATH=([baseline]=/api/v1/bench/baseline [off]=/api/v1/triage [h2]=/api/v1/triage [pg]=/api/v1/triage)
declare -A PORT PID TOKEN
port=18480
for b in "${BUILDS[@]}"; do for c in "${CONFIGS[@]}" startup; do PORT[$b/$c]=$port; port=$((port + 1)); done; done

ms_now() { date +%s%3N; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# launch <build/config> <data dir> [extra -D options...]: starts that build's jar in local security
# mode (the token check is part of what is measured) and waits for its first 200 answer; LAUNCH_MS
# is the time that took.
launch() {
  local s=$1 data=$2; shift 2
  local t0; t0=$(ms_now)
  # Each build with its own embedded-store settings: before this work the default URL added WRITE_DELAY=0.
  local h2url="jdbc:h2:file:$data/triage"
  [ "${s%%/*}" = before ] && h2url+=${BENCH_BEFORE_H2_SETTINGS-;WRITE_DELAY=0}
  # shellcheck disable=SC2086
  TRIAGE_SECURITY_LOCAL=true TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY="$data/auth" \
  java $JAVA_OPTS -Dquarkus.http.port="${PORT[$s]}" -Dtriage.rules.watch=false -Dtriage.bench.baseline-endpoint=true \
       -Dtriage.store.jdbc-url="$h2url" "$@" -jar "${JAR[${s%%/*}]}" >> "$data/app.log" 2>&1 &
  PID[$s]=$!
  PIDS+=("${PID[$s]}")
  until [ -f "$data/auth/tokens/triage-client.jwt" ] && curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $(cat "$data/auth/tokens/triage-client.jwt")" -d '{}' "localhost:${PORT[$s]}/api/v1/triage"; do
    kill -0 "${PID[$s]}" 2>/dev/null || { echo "the $s service stopped; its log: $data/app.log" >&2; exit 1; }
    sleep 0.02
  done
  LAUNCH_MS=$(( $(ms_now) - t0 ))
  TOKEN[$s]=$(cat "$data/auth/tokens/triage-client.jwt")
}

stop() { kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true; }

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RESULTS"; }

load() { # build/config, duration, [delay ms]: wrk output
  TRIAGE_TOKEN=${TOKEN[$1]} TRIAGE_DELAY_MS=${3:-0} wrk -t2 -c"$CONNECTIONS" -d"$2" --latency \
    -s src/bench/triage-mix.lua "http://localhost:${PORT[$1]}${URLPATH[${1#*/}]}"
}

to_ms() { # wrk latency (850.00us, 1.20ms, 2.01s) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

echo "# http-bench: $(date -u +%FT%TZ), $(nproc) cores, $DURATION x $CONNECTIONS connections, $ROUNDS rounds, JVM $JAVA_OPTS"
echo "# builds: $(for b in "${BUILDS[@]}"; do printf '%s=%s ' "$b" "${JAR[$b]}"; done); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Start-up to the first answer, H2 store, before any load: a new data directory (rules compiled),
#    then restarts on it with the rules unchanged; the builds alternate.
for b in "${BUILDS[@]}"; do
  mkdir -p "$WORK/$b-startup"
  launch "$b/startup" "$WORK/$b-startup"; stop "$b/startup"; record "$b/startup" 0 cold_ms "$LAUNCH_MS"
done
for r in $(seq 1 "$ROUNDS"); do
  for b in "${BUILDS[@]}"; do
    launch "$b/startup" "$WORK/$b-startup"; stop "$b/startup"; record "$b/startup" "$r" ms "$LAUNCH_MS"
  done
done

# 2. Every service, each warmed up for 30 s (the authenticated path needs about that before the JIT settles).
SERVICES=()
for c in "${CONFIGS[@]}"; do for b in "${BUILDS[@]}"; do SERVICES+=("$b/$c"); done; done
for s in "${SERVICES[@]}"; do
  data=$WORK/${s/\//-}; mkdir -p "$data"
  case ${s#*/} in
    baseline|off) launch "$s" "$data" -Dtriage.store.recording=false ;;
    h2) launch "$s" "$data"; record "$s" 0 h2_empty "$(stat -c %s "$data/triage.mv.db")" ;;  # schema and one decision
    pg) schema=triage_bench_${s%%/*}
        psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
        launch "$s" "$data" -Dtriage.store.jdbc-url="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema" ;;
  esac
  load "$s" 30s >/dev/null
done

# 3. Rounds: each service in turn, 5 s to get going again, then measured; then the paced runs.
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SERVICES[@]}"; do
    load "$s" 5s >/dev/null
    cpu0=$(cpu_ticks "${PID[$s]}")
    out=$(load "$s" "$DURATION")
    cpu1=$(cpu_ticks "${PID[$s]}")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    record "$s" "$r" rps "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    record "$s" "$r" p50 "$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")"
    record "$s" "$r" p99 "$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")"
    record "$s" "$r" non2xx "${errors:-0}"
    record "$s" "$r" cpu_us $(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / requests ))
    record "$s" "$r" rss_mb $(( $(ps -o rss= -p "${PID[$s]}") / 1024 ))
  done
  for s in "${SERVICES[@]}"; do
    [ "${s#*/}" = baseline ] && continue
    # Half of this round's maximum: each connection waits CONNECTIONS / (max / 2) seconds between requests.
    max=$(awk -F'\t' -v s="$s" -v r="$r" '$1==s && $2==r && $3=="rps" {print $4}' "$RESULTS")
    delay=$(awk -v n="$CONNECTIONS" -v m="$max" 'BEGIN { printf "%d", 1000 * n / (m / 2) }')
    out=$(load "$s" 10s "$delay")
    record "$s" "$r" paced_rps "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    record "$s" "$r" paced_p99 "$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")"
  done
done

# 4. H2's file: size per recorded decision while running (after 10 s idle) and at rest (stopped).
if [[ " ${CONFIGS[*]} " == *" h2 "* ]]; then
  sleep 10
  h2jar=$(ls target/quarkus-app/lib/main/com.h2database.h2-*.jar)
  for b in "${BUILDS[@]}"; do
    file=$WORK/$b-h2/triage.mv.db
    record "$b/h2" 0 h2_running "$(stat -c %s "$file")"
    stop "$b/h2"
    record "$b/h2" 0 h2_rest "$(stat -c %s "$file")"
    record "$b/h2" 0 h2_decisions "$(java -cp "$h2jar" org.h2.tools.Shell -url "jdbc:h2:file:$WORK/$b-h2/triage" \
      -sql "SELECT COUNT(*) FROM decision" | awk 'NR==2 {print $1}')"
  done
fi

# 5. The summary: medians with their spread, and each round's ratios to the same build's baseline.
stat_of() { # service metric -> "median [min-max]"
  awk -F'\t' -v s="$1" -v m="$2" '$1==s && $3==m {print $4}' "$RESULTS" | sort -g |
    awk '{v[NR]=$1} END { if (NR == 0) { print "-"; exit } med = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
         if (NR == 1) printf "%s", med + 0; else printf "%s [%s-%s]", med + 0, v[1] + 0, v[NR] + 0 }'
}
ratio_of() { # service metric scale -> per round service/baseline of its build, "median [min-max]"
  local base=${1%%/*}/baseline
  awk -F'\t' -v s="$1" -v b="$base" -v m="$2" '$3==m && ($1==s || $1==b) {v[$1, $2] = $4; rounds[$2]} END {
      for (r in rounds) if (v[b, r] > 0) print v[s, r] / v[b, r] }' "$RESULTS" | sort -g |
    awk -v s="$3" '{v[NR]=$1 * s} END { if (NR == 0) { print "-"; exit } med = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
         printf "%.2f [%.2f-%.2f]", med, v[1], v[NR] }'
}
value_of() { awk -F'\t' -v s="$1" -v m="$2" '$1==s && $3==m {print $4}' "$RESULTS"; }

echo
echo "Medians over $ROUNDS rounds, [min-max]; ratios to the same build's baseline taken within each round."
echo
echo "| configuration | build | req/s | % of baseline req/s | CPU µs/request | CPU vs baseline | p50 ms | p99 ms (saturated) | p99 ms at ~half max (req/s held) | non-2xx | RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for s in "${SERVICES[@]}"; do
  if [ "${s#*/}" = baseline ] || [[ " ${CONFIGS[*]} " != *" baseline "* ]]; then pct="-"; cpur="-"; else
    pct=$(ratio_of "$s" rps 100); cpur=$(ratio_of "$s" cpu_us 1); fi
  paced="-"; [ "${s#*/}" = baseline ] || paced="$(stat_of "$s" paced_p99) ($(stat_of "$s" paced_rps))"
  echo "| ${NAME[${s#*/}]} | ${s%%/*} | $(stat_of "$s" rps) | $pct | $(stat_of "$s" cpu_us) | $cpur | $(stat_of "$s" p50) | $(stat_of "$s" p99) | $paced | $(stat_of "$s" non2xx) | $(stat_of "$s" rss_mb) |"
done
echo
for b in "${BUILDS[@]}"; do
  echo "$b: start-up to first answer (java -jar, H2): new data directory $(stat_of "$b/startup" cold_ms) ms;" \
       "restarted with unchanged rules $(stat_of "$b/startup" ms) ms"
  if [[ " ${CONFIGS[*]} " == *" h2 "* ]]; then
    n=$(value_of "$b/h2" h2_decisions); empty=$(value_of "$b/h2" h2_empty)
    echo "$b: H2 file: $n decisions recorded; $(( ($(value_of "$b/h2" h2_running) - empty) / n )) bytes per decision" \
         "while running (idle 10 s after the load), $(( ($(value_of "$b/h2" h2_rest) - empty) / n )) at rest (stopped);" \
         "file $(( $(value_of "$b/h2" h2_rest) / 1024 )) KB"
  fi
done
echo "Raw figures: $RESULTS"
