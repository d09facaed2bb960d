#!/usr/bin/env bash
# Contract fuzzing (issue 3): schemathesis against a running server, every check of
# .ci/schemathesis.toml, on one store. A server error (5xx), an undocumented status or content
# type, a response that breaks its schema, a request over the contract's limits that is accepted,
# or a wrong answer to an undeclared method fails the run.
#   .ci/contract.sh PLEDGE_BINARY SCHEMATHESIS DATABASE [SECONDS]
#   DATABASE: a SQLite path or postgres://… (its public schema is emptied first)
set -euo pipefail
pledge=$(realpath "$1") schemathesis=$2 database=$3 seconds=${4:-150}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=18097
if [[ "$database" == postgres* ]]; then
  psql "$database" -qc "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
fi
"$pledge" vault new-key > "$work/master.key"
token=$("$pledge" keys create --name contract --role admin --database "$database" --master-key-file "$work/master.key" 2>/dev/null)
(cd "$work" && exec "$pledge" serve --declaration "$root/examples/compliant.yaml" --database "$database" \
  --master-key-file "$work/master.key" --port $port --log-level error >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
# A fixed seed: the same cases each run; a failure prints the curl command that reproduces it.
status=0
# Run from the work folder: schemathesis keeps a cache of crashes in ./.schemathesis.
(cd "$work" && SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$root/.ci" "$schemathesis" --config-file "$root/.ci/schemathesis.toml" run "http://127.0.0.1:$port/openapi.yaml" \
  -H "Authorization: Bearer $token" --checks all --workers 2 --seed 20261122 --max-time "$seconds" --wait-for-schema 30 --generation-database none --no-color) || status=$?
if ! kill -0 $server 2>/dev/null; then echo "the server died during the run:"; cat "$work/serve.log"; exit 1; fi
exit $status
