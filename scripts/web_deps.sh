#!/usr/bin/env bash
# Installs the pinned npm packages of web/ (hls.js for the viewer,
# playwright-core for the browser tests) with `npm ci`, from the committed
# package-lock.json. Offline-tolerant: when web/node_modules already holds
# exactly the locked versions, nothing is fetched. Usage: web_deps.sh STAMP
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
stamp=${1:-$web/node_modules/.frameserve-stamp}

# True when every package in the lock file is installed at its locked version.
installed_matches_lock() {
  command -v node >/dev/null 2>&1 || return 1
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1] + "/package-lock.json", "utf8"));
    for (const [path, entry] of Object.entries(lock.packages || {})) {
      if (!path.startsWith("node_modules/")) continue;
      let installed;
      try { installed = JSON.parse(fs.readFileSync(process.argv[1] + "/" + path + "/package.json", "utf8")); }
      catch (e) { process.exit(1); }
      if (installed.version !== entry.version) process.exit(1);
    }
  ' "$web"
}

if ! installed_matches_lock; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "frameserve: npm is missing (scripts/install_deps.sh installs it); cannot install web/node_modules" >&2
    exit 1
  fi
  echo "  NPM  web/ (npm ci)"
  # No browser download: the tests drive Debian's chromium. No install
  # scripts: neither package needs one.
  if ! (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error); then
    echo "frameserve: npm ci failed in web/ (is the npm registry reachable?)" >&2
    exit 1
  fi
fi
mkdir -p "$(dirname "$stamp")"
touch "$stamp"
