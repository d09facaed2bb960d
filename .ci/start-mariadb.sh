#!/usr/bin/env bash
# Starts Debian's MariaDB on 127.0.0.1:3306 (the organisation's application database for issue 30's
# connector tests) and creates the test user, who may make databases named shop_*.
# Prints the URL for PLEDGE_TEST_MARIADB_URL on its last line.
set -euo pipefail
if ! command -v mariadbd >/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/libmariadb.so.3 ] && [ ! -e /usr/lib/aarch64-linux-gnu/libmariadb.so.3 ]; then
  apt-get install -y -qq mariadb-server libmariadb3 >/dev/null
fi
if ! mariadb-admin --protocol=socket ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  (mariadbd --user=mysql --bind-address=127.0.0.1 --port=3306 --socket=/run/mysqld/mysqld.sock >/tmp/mariadb.log 2>&1 &)
  for _ in $(seq 1 60); do
    mariadb-admin --protocol=socket ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mariadb --protocol=socket -e "CREATE USER IF NOT EXISTS 'pledge'@'127.0.0.1' IDENTIFIED BY 'pledge'; GRANT ALL ON \`shop\\_%\`.* TO 'pledge'@'127.0.0.1'; CREATE DATABASE IF NOT EXISTS shop_test; FLUSH PRIVILEGES;"
echo "mysql://pledge:pledge@127.0.0.1:3306/shop_test"
