#!/usr/bin/env bash
# HTTP figures for issue 3, measured with wrk against a release build on this machine:
# gate decisions (64 connections) and durable consent writes (32 connections).
#   bench/http.sh [DATABASE]   DATABASE: a SQLite path (default: a temporary file) or postgres://…
# Printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
swift build -c release --product pledge >/dev/null
pledge=.build/release/pledge
work=$(mktemp -d)
database=${1:-$work/bench.sqlite}
port=18090
"$pledge" vault new-key > "$work/master.key"
if [[ "$database" == postgres* ]]; then
  psql "$database" -qc "DROP TABLE IF EXISTS api_keys, audit_entries, consent_events, art14_tasks, interactions, objections, personal_values, subject_keys, subject_identifiers, subjects, vault_keys, notice_versions, _fluent_migrations CASCADE"
fi
token=$("$pledge" keys create --name "bench-$$" --role support --database "$database" 2>/dev/null)
"$pledge" serve --declaration examples/compliant.yaml --database "$database" --master-key-file "$work/master.key" --port $port --log-level error &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
subject=$(curl -sf -X POST "http://127.0.0.1:$port/v1/subjects" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"identifiers":{"email":"bench@example.com"},"categories":["customer"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

cat > "$work/decide.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"subject":"$subject","purpose":"service","categories":["user.name","user.account.contact.email"]}'
LUA
cat > "$work/consent.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"purpose":"newsletter","action":"granted","mechanism":"opt_in_checkbox","wordingSha256":"3a8ae8f472bb9c22eaab7911d7e228f3532f107645d90bb90c177e22bef9b87d"}'
LUA
echo "== gate decisions over HTTP ($database)"
wrk -t2 -c64 -d10s -s "$work/decide.lua" "http://127.0.0.1:$port/v1/decisions" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
echo "== durable consent writes over HTTP, 32 connections ($database)"
wrk -t2 -c32 -d10s -s "$work/consent.lua" "http://127.0.0.1:$port/v1/subjects/$subject/consents" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
echo "== server memory: $(grep VmRSS /proc/$server/status)"
