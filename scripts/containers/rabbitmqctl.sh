#!/usr/bin/env bash
# rabbitmqctl of a RabbitMQ container, as the tests call the local one (TEST_RABBITMQCTL):
#   bash scripts/containers/rabbitmqctl.sh CONTAINER [rabbitmqctl arguments]
# `import_definitions` without a path reads standard input locally, but RabbitMQ 4.0's CLI behind
# Debian's wrapper does not see it in a container: the definitions go to a file there first.
set -euo pipefail
container=${1:?usage: rabbitmqctl.sh CONTAINER ARGS...}
shift
if [ "${*: -1}" = import_definitions ]; then
  file=/tmp/import-$$-$RANDOM.json
  docker exec -i "$container" sh -c "cat > $file && chmod 644 $file"
  trap 'docker exec "$container" rm -f "$file"' EXIT
  docker exec "$container" rabbitmqctl "$@" "$file"
else
  exec docker exec -i "$container" rabbitmqctl "$@"
fi
