#!/bin/sh
# Entry point of the RabbitMQ stand-in: the data directory belongs to the rabbitmq user, the node is
# named after the container's host name, and the server runs in the foreground as rabbitmq.
set -eu
if [ "${1:-}" = rabbitmq-server ] && [ "$(id -u)" = 0 ]; then
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
  if [ -f /var/lib/rabbitmq/.erlang.cookie ]; then chmod 400 /var/lib/rabbitmq/.erlang.cookie; fi
  export HOME=/var/lib/rabbitmq RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-rabbit@$(hostname -s)}"
  shift
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
