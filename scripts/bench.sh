#!/usr/bin/env bash
# The body of `make bench`: a throwaway PostgreSQL, then frameserve_bench,
# which generates its sources once into var/bench and prints its ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pgdir=$(mktemp -d /tmp/frameserve-bench.XXXXXX)
chmod 755 "$pgdir"
cleanup() {
  scripts/pg_cluster.sh stop "$pgdir" >/dev/null 2>&1
  rm -rf "$pgdir"
}
trap cleanup EXIT
conninfo=$(scripts/pg_cluster.sh start "$pgdir" --fast)
FRAMESERVE_ROOT=$root FRAMESERVE_BENCH_DB=$conninfo build/frameserve_bench
