#!/usr/bin/env bash
# Issue 27 §7: gate decisions and durable consent writes over HTTP through nginx in front of 1, 2 and 3
# `pledge serve` nodes on one PostgreSQL, on this machine. Its 2 cores carry the nodes, PostgreSQL, nginx and
# wrk together, so the figures show what coordination costs, not how far more machines would scale.
# References measured in the same run: one node without the proxy, and REFERENCE (a release build from
# before issue 27, without the gate's version check) behind the proxy.
#   bench/nodes.sh POSTGRES_URL [REFERENCE]      Printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
command -v nginx >/dev/null || { echo "nginx is needed (apt-get install nginx-light)"; exit 2; }
database=$1
reference=${2:-}
swift build -c release --product pledge >/dev/null
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true
}
trap 'cleanup; rm -rf "$work"' EXIT
subjects=400

# run LABEL BINARY NODES PROXY(yes|no)
run() {
  local label=$1 pledge=$2 nodes=$3 proxy=$4
  cleanup; pids=(); rm -f "$work"/anchor-*
  psql "$database" -qc "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
  "$pledge" vault new-key > "$work/master.key"
  local upstream="" port
  for n in $(seq 1 "$nodes"); do
    port=$((18200 + n))
    "$pledge" serve --declaration examples/compliant.yaml --database "$database" --master-key-file "$work/master.key" \
      --audit-anchor "$work/anchor-$n" --port $port --log-level error &
    pids+=($!)
    upstream+="server 127.0.0.1:$port;"
  done
  for n in $(seq 1 "$nodes"); do
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$((18200 + n))/readyz" >/dev/null && break; sleep 0.1; done
  done
  local base="http://127.0.0.1:18201"
  if [ "$proxy" = yes ]; then
    cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; upstream pledge { $upstream keepalive 64; }
  server { listen 127.0.0.1:18200; location / { proxy_pass http://pledge; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
    nginx -p "$work" -c "$work/nginx.conf"
    base="http://127.0.0.1:18200"
  fi
  local token
  token=$("$pledge" keys create --name "bench-$$" --role support --database "$database" --master-key-file "$work/master.key" 2>/dev/null)
  # Subjects enough that each holds a few dozen consent events at most, as people do.
  : > "$work/subjects"
  for i in $(seq 1 $subjects); do
    curl -sf -X POST "$base/v1/subjects" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"identifiers\":{\"email\":\"bench-$i@example.com\"},\"categories\":[\"customer\"]}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' >> "$work/subjects"
  done
  local list
  list=$(sed 's/.*/"&",/' "$work/subjects" | tr -d '\n')
  cat > "$work/decide.lua" <<LUA
wrk.method = "POST"; wrk.headers["Authorization"] = "Bearer $token"; wrk.headers["Content-Type"] = "application/json"
local subjects = {$list}; local i = 0
request = function() i = i + 1; return wrk.format(nil, "/v1/decisions", nil,
  '{"subject":"' .. subjects[(i % #subjects) + 1] .. '","purpose":"service","categories":["user.name","user.account.contact.email"]}') end
LUA
  cat > "$work/consent.lua" <<LUA
wrk.method = "POST"; wrk.headers["Authorization"] = "Bearer $token"; wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"purpose":"newsletter","action":"granted","mechanism":"opt_in_checkbox","wordingSha256":"3a8ae8f472bb9c22eaab7911d7e228f3532f107645d90bb90c177e22bef9b87d"}'
local subjects = {$list}; local i = 0
request = function() i = i + 1; return wrk.format(nil, "/v1/subjects/" .. subjects[(i % #subjects) + 1] .. "/consents") end
LUA
  local decisions consents
  decisions=$(wrk -t2 -c64 -d10s -s "$work/decide.lua" "$base" | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non-2xx:" $4}' | tr '\n' ' ')
  consents=$(wrk -t2 -c32 -d10s -s "$work/consent.lua" "$base" | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non-2xx:" $4}' | tr '\n' ' ')
  printf '%-46s decisions/s %-22s consent writes/s %s\n' "$label" "$decisions" "$consents"
}

echo "== $(nproc) cores; PostgreSQL at $database"
run "1 node, no proxy" .build/release/pledge 1 no
if [ -n "$reference" ]; then run "reference build, 1 node behind nginx" "$reference" 1 yes; fi
for nodes in 1 2 3; do run "$nodes node(s) behind nginx" .build/release/pledge "$nodes" yes; done
