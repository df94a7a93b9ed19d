#!/usr/bin/env bash
# Installs the OpenAPI validator make test runs on the served document
# (@seriousme/openapi-schema-validator, pinned with its dependencies by
# tools/openapi/package-lock.json) into tools/openapi/node_modules with
# `npm ci`. Quiet and offline when the installed tree matches the lock file;
# fails when npm is missing or the install fails (never a silent skip).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tools/openapi
stamp=$dir/node_modules/.frameserve-installed-lock

if [[ -f $stamp ]] && cmp -s "$dir/package-lock.json" "$stamp"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "frameserve: npm is missing (scripts/install_deps.sh installs it)" >&2
  exit 1
fi
echo "frameserve: installing the OpenAPI validator (npm ci in tools/openapi)" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
cp "$dir/package-lock.json" "$stamp"
