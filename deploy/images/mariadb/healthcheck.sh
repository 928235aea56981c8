#!/bin/bash
# The official image's health check, the two tests docker-compose.yml uses: --connect (a TCP
# connection to the real server, not the networkless one of the first start) and
# --innodb_initialized, as the healthcheck account the entry point made.
set -eu
CNF=/var/lib/mysql/.my-healthcheck.cnf
[ -r "$CNF" ] || { echo "no $CNF yet" >&2; exit 1; }
client() { mariadb --defaults-extra-file="$CNF" "$@"; }
for test in "$@"; do
  case "$test" in
    --connect) client --protocol=tcp -h127.0.0.1 -e 'SELECT 1' >/dev/null ;;
    --innodb_initialized)
      [ "$(client -Nse "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'InnoDB' AND support IN ('YES', 'DEFAULT')")" = 1 ] ;;
    *) echo "healthcheck.sh (stand-in) supports --connect and --innodb_initialized, not $test" >&2; exit 2 ;;
  esac
done
