#!/bin/bash
# Entry point of the MariaDB stand-in. On the first start of an empty data directory: install the
# system tables, start a server without networking, set the root password, create the healthcheck
# account, root for MARIADB_ROOT_HOST, MARIADB_DATABASE and MARIADB_USER, run
# /docker-entrypoint-initdb.d, stop it. Then (and
# on every later start) run mariadbd in the foreground as the mysql user.
set -euo pipefail
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

sql_quote() { printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g"; }

# What init scripts call, as in the official image: SQL on standard input, run as root.
docker_process_sql() {
  mariadb --protocol=socket --socket="$SOCKET" -uroot ${ROOT_PASSWORD:+-p"$ROOT_PASSWORD"} \
    ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"} "$@"
}

initialise() {
  echo "stand-in: initialising $DATADIR"
  mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal >/dev/null
  setpriv --reuid=mysql --regid=mysql --init-groups mariadbd --datadir="$DATADIR" --skip-networking --socket="$SOCKET" &
  local pid=$! i
  for i in $(seq 1 240); do
    mariadb --protocol=socket --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    # /proc, not kill -0: without CAP_KILL (compose drops every capability) root may not signal
    # the server, which runs as mysql.
    [ -d "/proc/$pid" ] || { echo "stand-in: the initialising server exited" >&2; exit 1; }
    if [ "$i" = 240 ]; then echo "stand-in: the initialising server did not answer within 120 s" >&2; exit 1; fi
    sleep 0.5
  done
  if [ -n "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ]; then
    ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  else
    ROOT_PASSWORD=${MARIADB_ROOT_PASSWORD:?set MARIADB_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD}
  fi
  local health_password
  health_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  local db=${MARIADB_DATABASE:-}
  {
    # Only root@localhost is kept from the installer's accounts (it also makes root@127.0.0.1,
    # root@::1 and root@<hostname>, without passwords).
    echo "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost'); FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(sql_quote "$ROOT_PASSWORD")';"
    # MARIADB_ROOT_HOST, as in the official image: root may also log in from there ('%' unless set).
    local root_host=${MARIADB_ROOT_HOST:-%}
    if [ "$root_host" != localhost ]; then
      echo "CREATE USER 'root'@'$(sql_quote "$root_host")' IDENTIFIED BY '$(sql_quote "$ROOT_PASSWORD")';"
      echo "GRANT ALL ON *.* TO 'root'@'$(sql_quote "$root_host")' WITH GRANT OPTION;"
    fi
    local host
    for host in localhost 127.0.0.1 ::1; do echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY '$health_password';"; done
    if [ -n "$db" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$db\`;"; fi
    if [ -n "${MARIADB_USER:-}" ]; then
      echo "CREATE USER '$(sql_quote "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_quote "${MARIADB_PASSWORD:?}")';"
      if [ -n "$db" ]; then echo "GRANT ALL ON \`$db\`.* TO '$(sql_quote "$MARIADB_USER")'@'%';"; fi
    fi
  } | mariadb --protocol=socket --socket="$SOCKET" -uroot
  printf '[mariadb-client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\n' "$SOCKET" "$health_password" >"$DATADIR/.my-healthcheck.cnf"
  chown mysql:mysql "$DATADIR/.my-healthcheck.cnf"
  chmod 600 "$DATADIR/.my-healthcheck.cnf"
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) docker_process_sql <"$f" ;;
      *) ;;
    esac
  done
  docker_process_sql --database=mysql <<<'SHUTDOWN'
  wait "$pid" || true
  echo "stand-in: initialised"
}

if [ "${1:-}" = mariadbd ] && [ "$(id -u)" = 0 ]; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld "$DATADIR"
  if [ ! -d "$DATADIR/mysql" ]; then initialise; fi
  shift
  exec setpriv --reuid=mysql --regid=mysql --init-groups mariadbd --datadir="$DATADIR" "$@"
fi
exec "$@"
