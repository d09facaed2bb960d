#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 and creates the test role and database.
# Prints the URL for PLEDGE_TEST_POSTGRES_URL on its last line.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
conf="/etc/postgresql/$version/main/postgresql.conf"
changed=false
grep -q "^listen_addresses = '127.0.0.1'" "$conf" || { echo "listen_addresses = '127.0.0.1'" >> "$conf"; changed=true; }
# The suite runs many stores side by side, each with up to three connections (two for queries, one
# for the journal); Debian's default of 100 runs out.
grep -q "^max_connections = 400" "$conf" || { echo "max_connections = 400" >> "$conf"; changed=true; }
if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  if $changed; then pg_ctlcluster "$version" main restart; fi
else
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='pledge'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE pledge LOGIN PASSWORD 'pledge'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='pledge_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O pledge pledge_test"
# The erasure test flushes PostgreSQL's buffers and reads its data directory to search the bytes.
su postgres -c "psql -qc \"GRANT pg_checkpoint, pg_read_all_settings TO pledge\"" >/dev/null
echo "postgres://pledge:pledge@127.0.0.1:5432/pledge_test"
