# Sourced (not executed) by the MariaDB image's entrypoint on the first start of an empty data
# directory, after it created MARIADB_DATABASE and the MARIADB_USER account (ALL on that database:
# the migration account). This adds the service's runtime account: rows only, in its own schema,
# no DDL. Credentials come from the container's environment, so none is written in this file.
case "${APP_DB_USER:?}${APP_DB_PASSWORD:?}" in
  *\'* | *\\* | *\`*) echo >&2 "APP_DB_USER / APP_DB_PASSWORD must not hold quotes or backslashes"; exit 1 ;;
esac
docker_process_sql <<SQL
CREATE USER '${APP_DB_USER}'@'%' IDENTIFIED BY '${APP_DB_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`${MARIADB_DATABASE:?}\`.* TO '${APP_DB_USER}'@'%';
SQL
# The cluster profile's services keep their rows apart from the single-node demo's (their relays
# publish to another broker): a second schema, with the same two accounts and the same rights.
if [ -n "${CLUSTER_DATABASE:-}" ]; then
  case "${CLUSTER_DATABASE}" in
    *[!a-z0-9_]*) echo >&2 "CLUSTER_DATABASE may hold only a-z, 0-9 and _"; exit 1 ;;
  esac
  docker_process_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`${CLUSTER_DATABASE}\`;
GRANT ALL ON \`${CLUSTER_DATABASE}\`.* TO '${MARIADB_USER:?}'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`${CLUSTER_DATABASE}\`.* TO '${APP_DB_USER}'@'%';
SQL
fi
