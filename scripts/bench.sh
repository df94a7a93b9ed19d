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
# The summary also becomes docs/benchmarks.md: figures are never copied by hand.
FRAMESERVE_ROOT=$root FRAMESERVE_BENCH_DB=$conninfo FRAMESERVE_BENCH_REPORT=$root/docs/benchmarks.md build/frameserve_bench
