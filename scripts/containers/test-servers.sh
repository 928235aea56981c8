#!/usr/bin/env bash
# Test servers of the current lines in containers, for the support matrix (scripts/ci/matrix.sh):
#   up    RabbitMQ 4.0 on 127.0.0.1:5692 and MariaDB 11.8 on 127.0.0.1:3316, from the stand-in
#         images (`npm run compose:images` builds them), waits until both answer, and prints the
#         variables that point the tests at them (eval "$(bash scripts/containers/test-servers.sh up)")
#   down  removes both containers and their data
# They run on the host's network, listening on 127.0.0.1 only, so that the tests reach them the way
# they reach the system servers (loopback, no user-space port proxy); the compose test covers
# published ports. The RabbitMQ node has a name and ports of its own beside the system broker.
set -euo pipefail
cd "$(dirname "$0")/../.."
RABBIT=rp-matrix-rabbitmq
MARIADB=rp-matrix-mariadb
AMQP_PORT=5692
MYSQL_PORT=3316
ROOT_PASSWORD=matrix-root-password
CONF_DIR=${CONTAINER_CACHE:-/var/cache/reliable-payments}/matrix

down() { docker rm -f -v "$RABBIT" "$MARIADB" >/dev/null 2>&1 || true; }

up() {
  down
  mkdir -p "$CONF_DIR"
  cat >"$CONF_DIR/95-matrix.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = 15690
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = 15691
loopback_users.guest = true
CONF
  docker run -d --name "$RABBIT" --network host \
    -e RABBITMQ_NODENAME=rpmatrix@localhost -e RABBITMQ_DIST_PORT=25692 -e ERL_EPMD_ADDRESS=127.0.0.1 \
    -e RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    -v "$CONF_DIR/95-matrix.conf:/etc/rabbitmq/conf.d/95-matrix.conf:ro" \
    rabbitmq:4.0-management >/dev/null
  docker run -d --name "$MARIADB" --network host -e MARIADB_ROOT_PASSWORD="$ROOT_PASSWORD" -e MARIADB_ROOT_HOST=127.0.0.1 \
    mariadb:11.8 mariadbd --port="$MYSQL_PORT" --bind-address=127.0.0.1 --socket=/run/mysqld/matrix.sock >/dev/null
  local deadline=$((SECONDS + 120))
  running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
  until docker exec "$RABBIT" rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; do
    { ((SECONDS < deadline)) && running "$RABBIT"; } || { docker logs --tail 30 "$RABBIT" >&2; echo "RabbitMQ 4.0 did not start" >&2; exit 1; }
    sleep 1
  done
  until docker exec "$MARIADB" mariadb --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -uroot -p"$ROOT_PASSWORD" -e 'SELECT 1' >/dev/null 2>&1; do
    { ((SECONDS < deadline)) && running "$MARIADB"; } || { docker logs --tail 30 "$MARIADB" >&2; echo "MariaDB 11.8 did not start" >&2; exit 1; }
    sleep 1
  done
  echo "export RABBITMQ_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT"
  echo "export TEST_RABBITMQCTL='bash $PWD/scripts/containers/rabbitmqctl.sh $RABBIT'"
  echo "export TEST_MYSQL_URL=mysql://root:$ROOT_PASSWORD@127.0.0.1:$MYSQL_PORT"
  echo "# $(docker exec "$RABBIT" rabbitmqctl -q version 2>/dev/null || echo '?') / $(docker exec "$MARIADB" mariadbd --version | awk '{print $3}')"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
