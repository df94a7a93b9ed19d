#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for frameserve: the embedded one of
# `make run` (under var/) or a throwaway one for `make test`.
#
#   pg_cluster.sh start DIR [--fast]   initdb on first use, start, create the
#                                      "frameserve" role and database; prints
#                                      the conninfo on stdout
#   pg_cluster.sh stop DIR             stop it (quietly)
#
# The server listens only on a unix socket in DIR/run (no TCP). PostgreSQL
# refuses to run as root, so as root it runs as the unprivileged "postgres"
# user; DIR must then be reachable by that user (see README).
# --fast turns off fsync and friends: for throwaway test clusters only.
set -euo pipefail

cmd=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}
fast=${3:-}

bindir=$(pg_config --bindir 2>/dev/null || true)
if [[ ! -x "$bindir/initdb" ]]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[[ -x "$bindir/initdb" ]] || { echo "pg_cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    mkdir -p "$dir/run" "$dir/log"
    if [[ $(id -u) -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || { echo "pg_cluster: the postgres user is missing (apt-get install postgresql)" >&2; exit 1; }
      chown postgres:postgres "$dir" "$dir/run" "$dir/log"
      if ! runuser -u postgres -- test -w "$dir/run"; then
        echo "pg_cluster: the postgres user cannot reach $dir (a parent directory is not searchable);" >&2
        echo "pg_cluster: clone frameserve somewhere world-searchable, or set FRAMESERVE_PG_DIR" >&2
        exit 1
      fi
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$bindir/initdb" -D "$dir/data" -U frameserve --auth=trust --encoding=UTF8 --locale=C \
        --no-instructions >"$dir/log/initdb.log" 2>&1 || { cat "$dir/log/initdb.log" >&2; exit 1; }
    fi
    opts="-c listen_addresses='' -c unix_socket_directories='$dir/run' -c max_connections=100"
    if [[ "$fast" == "--fast" ]]; then
      opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log/postgres.log" -o "$opts" -w -s start \
        || { tail -n 20 "$dir/log/postgres.log" >&2; exit 1; }
    fi
    if ! "$bindir/psql" -h "$dir/run" -U frameserve -d postgres -tAc \
         "SELECT 1 FROM pg_database WHERE datname = 'frameserve'" | grep -q 1; then
      "$bindir/createdb" -h "$dir/run" -U frameserve frameserve
    fi
    echo "host=$dir/run dbname=frameserve user=frameserve"
    ;;
  stop)
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -s stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR [--fast]" >&2
    exit 2
    ;;
esac
