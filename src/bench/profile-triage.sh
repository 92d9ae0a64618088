#!/usr/bin/env bash
# Where a request's CPU goes: JFR (profile settings) on the packaged jar under the http-bench mix,
# then the samples split into the parts of a request (src/bench/jfr-breakdown.py).
# Usage: src/bench/profile-triage.sh [path=/api/v1/triage] [recording=false|true] [seconds=20]
# PROFILE_JAR profiles another build's jar (default target/quarkus-app/quarkus-run.jar).
# Prints the breakdown; the recording stays in the printed directory for `jfr print` or JMC.
set -euo pipefail
cd "$(dirname "$0")/../.."
URLPATH=${1:-/api/v1/triage}
RECORDING=${2:-false}
SECONDS_MEASURED=${3:-20}
PORT=18470
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
JAR=${PROFILE_JAR:-target/quarkus-app/quarkus-run.jar}
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package
data=$(mktemp -d /tmp/profile.XXXXXX)
# Recording starts after 35 s: the authenticated path needs about 30 s of load before the JIT settles.
TRIAGE_SECURITY_LOCAL=true TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY="$data/auth" \
java -Xmx200m -XX:+UseSerialGC -Dquarkus.http.port=$PORT -Dtriage.rules.watch=false -Dtriage.bench.baseline-endpoint=true \
     -Dtriage.store.recording="$RECORDING" -Dtriage.store.jdbc-url="jdbc:h2:file:$data/triage" \
     -XX:StartFlightRecording=delay=35s,duration=${SECONDS_MEASURED}s,settings=profile,filename=$data/triage.jfr \
     -jar "$JAR" > "$data/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
t0=$(date +%s)
until [ -f "$data/auth/tokens/triage-client.jwt" ] && curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $(cat "$data/auth/tokens/triage-client.jwt")" -d '{}' localhost:$PORT/api/v1/triage; do sleep 0.1; done
export TRIAGE_TOKEN; TRIAGE_TOKEN=$(cat "$data/auth/tokens/triage-client.jwt")
wrk -t2 -c32 -d$(( 35 + SECONDS_MEASURED + 3 - ($(date +%s) - t0) ))s -s src/bench/triage-mix.lua "http://localhost:$PORT$URLPATH" | grep -E "Requests/sec"
sleep 2
jfr print --events jdk.ExecutionSample --stack-depth 200 "$data/triage.jfr" | python3 src/bench/jfr-breakdown.py
echo "recording: $data/triage.jfr"
