#!/usr/bin/env bash
# HTTP figures measured with wrk against a release build on this machine: gate decisions
# (64 connections) and durable consent writes (32 connections) for issue 3; page views into
# /v1/collect (64 connections, a browser's user agent) for issue 4; one-click unsubscribes
# (32 connections) for issue 28.
#   bench/http.sh [DATABASE]   DATABASE: a SQLite path (default: a temporary file) or postgres://…
# Printed, never asserted. PLEDGE_SHARED_EXECUTOR=1 in the environment measures the server with its
# opt-in event-loop executor (`EventLoopGlobalExecutor`), which patches the Swift runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
swift build -c release --product pledge >/dev/null
pledge=.build/release/pledge
work=$(mktemp -d)
database=${1:-$work/bench.sqlite}
port=18090
"$pledge" vault new-key > "$work/master.key"
outside=()
if [[ "$database" == postgres* ]]; then
  # A clean schema whatever tables exist (the test database is owned by the pledge role), and an
  # audit anchor and erasure ledger of its own: those left in pledge-data/ belong to the dropped one.
  psql "$database" -qc "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
  outside=(--audit-anchor "$work/audit-anchor" --erasure-ledger "$work/erasures")
fi
token=$("$pledge" keys create --name "bench-$$" --role support --database "$database" "${outside[@]}" --master-key-file "$work/master.key" 2>/dev/null)
"$pledge" serve --declaration examples/compliant.yaml --database "$database" "${outside[@]}" --master-key-file "$work/master.key" --port $port --log-level error &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
subject=$(curl -sf -X POST "http://127.0.0.1:$port/v1/subjects" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"identifiers":{"email":"bench@example.com"},"categories":["customer"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# Writes a wrk script to $2 that POSTs the JSON $1 with the key.
post() {
  printf '%s\n' 'wrk.method = "POST"' "wrk.headers[\"Authorization\"] = \"Bearer $token\"" \
    'wrk.headers["Content-Type"] = "application/json"' "wrk.body = '$1'" > "$2"
}
post "{\"subject\":\"$subject\",\"purpose\":\"service\",\"categories\":[\"user.name\",\"user.account.contact.email\"]}" "$work/decide.lua"
post '{"purpose":"newsletter","action":"granted","mechanism":"opt_in_checkbox","wordingSha256":"3a8ae8f472bb9c22eaab7911d7e228f3532f107645d90bb90c177e22bef9b87d"}' "$work/consent.lua"
echo "== gate decisions over HTTP ($database)"
wrk -t2 -c64 -d10s -s "$work/decide.lua" "http://127.0.0.1:$port/v1/decisions" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
echo "== durable consent writes over HTTP, 32 connections ($database)"
wrk -t2 -c32 -d10s -s "$work/consent.lua" "http://127.0.0.1:$port/v1/subjects/$subject/consents" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
printf '%s\n' 'wrk.method = "POST"' 'wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"' \
  'wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"' \
  "wrk.body = '{\"s\":\"www.example.org\",\"p\":\"/pricing\",\"r\":\"https://news.example/a\",\"w\":1440}'" > "$work/collect.lua"
echo "== page views into /v1/collect over HTTP, 64 connections ($database)"
wrk -t2 -c64 -d10s -s "$work/collect.lua" "http://127.0.0.1:$port/v1/collect" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
# Issue 28: one-click unsubscribes (RFC 8058), each suppressed through the journal before the answer.
unsubscribe=$(python3 bench/unsubscribe_token.py "$work/master.key" "$subject")
curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/unsubscribe/$unsubscribe" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d 'List-Unsubscribe=One-Click' || { echo "the unsubscribe token was refused"; exit 1; }
printf '%s\n' 'wrk.method = "POST"' 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"' \
  "wrk.body = 'List-Unsubscribe=One-Click'" > "$work/unsubscribe.lua"
echo "== durable one-click unsubscribes over HTTP, 32 connections ($database)"
wrk -t2 -c32 -d10s -s "$work/unsubscribe.lua" "http://127.0.0.1:$port/unsubscribe/$unsubscribe" | grep -E "Requests/sec|Latency|Non-2xx|requests in"
echo "== server memory: $(grep VmRSS /proc/$server/status)"
