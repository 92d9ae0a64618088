#!/usr/bin/env bash
# Memory of the packaged jar run as the container runs it (src/main/docker/Dockerfile.jvm: -Xmx200m,
# serial GC), with PostgreSQL as its store (127.0.0.1:5432, database test, schema triage_pod_memory),
# through the phases a pod goes through: idle after start-up, light triage traffic, the first FHIR
# check-ins, rule reloads (as a ConfigMap update causes), then a minute of heavier load. Prints the
# resident set (VmRSS), its peak so far (VmHWM) and the heap in use after a full GC after each phase.
# The figures behind the pod's memory request and limit (docs/scaling.md). MB here are MiB (kB / 1024).
# Usage: src/bench/pod-memory.sh [light-requests=500] [load-seconds=60] [reloads=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
LIGHT=${1:-500}
LOAD=${2:-60}
RELOADS=${3:-3}
PORT=18490
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

root=$(pwd)
work=$(mktemp -d)
cp -r target/quarkus-app "$work/app"   # a later package may rewrite target/ while this runs
cp -r rules "$work/rules"
psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS triage_pod_memory CASCADE; CREATE SCHEMA triage_pod_memory" >/dev/null
cd "$work"
TRIAGE_SECURITY_LOCAL=true TRIAGE_RULES_DIRECTORY="$work/rules" \
TRIAGE_STORE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=triage_pod_memory" \
  java -Xmx200m -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
       -Dquarkus.http.port=$PORT -jar app/quarkus-run.jar > app.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -fs -o /dev/null localhost:$PORT/q/health/ready; do
  kill -0 $pid 2>/dev/null || { cat app.log; exit 1; }
  sleep 0.5
done
TOKEN=$(cat data/local-auth/tokens/triage-client.jwt)
ADMIN=$(cat data/local-auth/tokens/rules-admin.jwt)

row() { # phase
  local rss hwm heap committed
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
  jcmd $pid GC.run > /dev/null
  local info; info=$(jcmd $pid GC.heap_info)
  heap=$(echo "$info" | awk '/def new generation|tenured generation/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); s+=v}} END {print int(s/1024)}')
  committed=$(echo "$info" | awk '/def new generation|tenured generation/ {for (i=1;i<=NF;i++) if ($i=="total") {v=$(i+1); sub("K,?","",v); s+=v}} END {print int(s/1024)}')
  # What is not heap (metaspace, code, threads, buffers) does not shrink when the heap fills up to -Xmx.
  printf '| %s | %d MB | %d MB | %d MB | %d MB | %d MB |\n' "$1" "$rss" "$hwm" "$heap" "$committed" $((rss - committed))
}
bodies=(
  '{"hoursSinceMassage":24,"painCharacter":"DULL_ACHE","painSeverity":3,"trend":"IMPROVING","symptoms":[],"bodyRegion":"LOWER_BACK"}'
  '{"hoursSinceMassage":80,"painCharacter":"STIFFNESS","painSeverity":4,"trend":"UNCHANGED","symptoms":[],"bodyRegion":"NECK"}'
  '{"painCharacter":"SHARP","symptoms":["SWELLING"],"bodyRegion":"SHOULDERS"}'
  '{"symptoms":["FAINTING","ANXIETY_OR_DISTRESS"],"history":{"takesMedication":true}}'
  '{"painSeverity":8,"trend":"UNCHANGED"}'
  '{}'
)
triage() { # count
  for ((i = 0; i < $1; i++)); do
    curl -fs -o /dev/null -X POST localhost:$PORT/api/v1/triage -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d "${bodies[i % ${#bodies[@]}]}"
  done
}
version() { curl -s localhost:$PORT/api/v1/rules -H "Authorization: Bearer $ADMIN" | grep -o 'sha256:[0-9a-f]*' | head -1; }

echo "| phase | RSS | peak RSS so far | heap used after full GC | heap committed | RSS less committed heap |"
echo "|---|---|---|---|---|---|"
sleep 5
row "idle after start-up"
triage "$LIGHT"
row "after $LIGHT triage requests (curl, one at a time)"
curl -fs -o /dev/null localhost:$PORT/fhir/Questionnaire/post-massage-check-in -H "Authorization: Bearer $TOKEN"
qr='{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"urn:massage-triage:Questionnaire:post-massage-check-in","item":[{"linkId":"painCharacter","answer":[{"valueCoding":{"system":"urn:massage-triage:CodeSystem:post-massage-check-in","code":"SHARP"}}]}]}'
for ((i = 0; i < 100; i++)); do
  curl -fs -o /dev/null -X POST localhost:$PORT/api/v1/triage -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/fhir+json' -d "$qr"
done
row "after the FHIR form and 100 FHIR check-ins"
for ((n = 1; n <= RELOADS; n++)); do
  before=$(version)
  printf '\n// reload %d\n' "$n" >> rules/self-care.drl
  until [ "$(version)" != "$before" ]; do sleep 0.5; done
  if ((n % 10 == 0 && n < RELOADS)); then row "after $n rule reloads"; fi
done
row "after $RELOADS rule reloads (each with its impact report)"
TRIAGE_TOKEN=$TOKEN wrk -t2 -c8 -d"${LOAD}s" -s "$root/src/bench/triage-mix.lua" http://localhost:$PORT/api/v1/triage > wrk.out
row "after ${LOAD} s of wrk, 8 connections ($(awk '/Requests\/sec/ {print int($2)}' wrk.out) req/s)"
