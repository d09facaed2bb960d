#!/usr/bin/env bash
# Issue 30's connector figures on MariaDB: makes database shop_bench on the MariaDB that
# .ci/start-mariadb.sh starts, loads examples/systems/shop.sql, fills it like pledge-bench fills
# SQLite and PostgreSQL (CUSTOMERS customers, as many addresses, three orders each, a tenth signed up
# to the newsletter), then runs pledge-bench with PLEDGE_BENCH_MARIADB_URL (and PostgreSQL beside
# it when PLEDGE_BENCH_POSTGRES_URL is set, for figures from the same run).
#   bash bench/systems_mariadb.sh [CUSTOMERS]
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-100000}
url=$(bash .ci/start-mariadb.sh | tail -1)
base=${url%/*}
db="mariadb -h 127.0.0.1 -u pledge -ppledge"
$db -e "DROP DATABASE IF EXISTS shop_bench; CREATE DATABASE shop_bench"
$db shop_bench < examples/systems/shop.sql
$db shop_bench -e "
INSERT INTO customers (id, email, name, phone, created_at) SELECT seq, CONCAT('c', seq, '@shop.example'), CONCAT('Customer ', seq), CONCAT('+44 20 ', seq), '2025-01-01' FROM seq_1_to_${customers};
INSERT INTO addresses (id, customer_id, street, postcode) SELECT seq, seq, CONCAT(seq, ' High Street'), 'AB1 2CD' FROM seq_1_to_${customers};
INSERT INTO orders (id, customer_id, shipping_address_id, total_pence, placed_at) SELECT seq, (seq - 1) DIV 3 + 1, (seq - 1) DIV 3 + 1, 1000 + seq MOD 5000, '2026-01-01' FROM seq_1_to_$((3 * customers));
INSERT INTO newsletter_signups (email, signed_up_at) SELECT CONCAT('c', seq, '@shop.example'), '2025-02-01' FROM seq_1_to_$((customers / 10));
ANALYZE TABLE customers, addresses, orders, newsletter_signups;"
swift build -c release --product pledge-bench >/dev/null
PLEDGE_BENCH_MARIADB_URL="$base/shop_bench" PLEDGE_BENCH_SYSTEM_CUSTOMERS=$customers PLEDGE_BENCH_SUBJECTS=0 PLEDGE_BENCH_EVENTS=0 \
  PLEDGE_BENCH_REQUEST_SIZES= PLEDGE_BENCH_AUDIENCE_SIZES= PLEDGE_BENCH_RETENTION_SIZE=0 .build/release/pledge-bench
