#!/usr/bin/env bash
# Makes a Docker engine and Compose v2 available on this machine, idempotently:
# - Debian's docker.io (the engine) and debootstrap (base images), installed when missing;
# - Compose v2 as a plugin of the Docker CLI: Debian trixie's docker-compose package (2.26),
#   fetched through an apt list directory of its own (the system's sources are not touched);
# - dockerd started when it does not answer, with no NAT and no default bridge: containers get
#   networks only from compose (or `docker network create`), on the address pool below.
# Sourced or run: `bash scripts/containers/engine.sh` prints the versions when it is done.
set -euo pipefail

CACHE=${CONTAINER_CACHE:-/var/cache/reliable-payments}
POOL=${DOCKER_ADDRESS_POOL:-10.213.0.0/16}
export DEBIAN_FRONTEND=noninteractive

apt_ready=
apt_install() {
  if [ -z "$apt_ready" ]; then apt-get update -qq >/dev/null; apt_ready=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v dockerd >/dev/null || apt_install docker.io
command -v debootstrap >/dev/null || apt_install debootstrap

# The mirror the system's apt uses (its debian.sources URIs line), for trixie's packages too.
debian_mirror() {
  local uri
  uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

# apt-get against Debian trixie with lists and cache of its own.
trixie_apt() {
  local dir=$CACHE/apt-trixie
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "deb $(debian_mirror) trixie main" >"$dir/sources.list"
  apt-get -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root "$@"
}

plugin_dir=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
if ! docker compose version >/dev/null 2>&1; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  trixie_apt update -qq >/dev/null
  (cd "$work" && trixie_apt download docker-compose >/dev/null 2>&1)
  dpkg -x "$work"/docker-compose_*.deb "$work/x"
  mkdir -p "$plugin_dir"
  install -m 0755 "$work/x/usr/libexec/docker/cli-plugins/docker-compose" "$plugin_dir/docker-compose"
fi

if ! docker info >/dev/null 2>&1; then
  mkdir -p "$CACHE"
  # --iptables=false: there is no NAT here; --bridge=none: no default bridge (compose makes its
  # own networks). Published ports are served by docker-proxy on 127.0.0.1.
  nohup dockerd --iptables=false --ip-masq=false --bridge=none \
    --default-address-pool "base=$POOL,size=24" >"$CACHE/dockerd.log" 2>&1 &
  deadline=$((SECONDS + 60))
  until docker info >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "dockerd did not start within 60 s; its log:" >&2
      tail -20 "$CACHE/dockerd.log" >&2
      exit 1
    fi
    sleep 1
  done
fi

echo "engine $(docker version -f '{{.Server.Version}}'), $(docker compose version)"
