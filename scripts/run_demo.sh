#!/usr/bin/env bash
# The body of `make run`: the embedded PostgreSQL under var/, the schema, a
# demo video with detections, an API key, and the server on 127.0.0.1:8080.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$root/build/frameserve
var=$root/var
mkdir -p "$var/demo"
chmod 755 "$var"

port=${FRAMESERVE_PORT:-8080}
# A second `make run` must not start anything (and must not stop the first
# one's database on its way out): frameserve refuses a port in use anyway.
if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
  echo "the demo is already running on http://127.0.0.1:$port (stop it with Ctrl-C there, or set FRAMESERVE_PORT)" >&2
  exit 1
fi

pgdir=${FRAMESERVE_PG_DIR:-$var/pg}
conninfo=$(scripts/pg_cluster.sh start "$pgdir")
echo "$conninfo" > "$var/conninfo"
export FRAMESERVE_DB=$conninfo
"$bin" migrate >/dev/null

# The demo: a generated 30 s video whose "faces" are where its detections
# say, registered under the spec's example file_uuid.
demo_uuid=aeed71342a899fe4b4c57b7d41bcb692
if [[ ! -f $var/demo/demo.mp4 || build/make_fixtures -nt $var/demo/demo.mp4 ]]; then
  echo "generating the demo video..."
  build/make_fixtures "$var/demo" --demo
  "$bin" file rm "$demo_uuid" >/dev/null 2>&1 || true
fi
if ! "$bin" file list | grep -q "^$demo_uuid"; then
  "$bin" file add "$var/demo/demo.mp4" --uuid "$demo_uuid" >/dev/null
  "$bin" import "$demo_uuid" "$var/demo/demo.jsonl" --replace >/dev/null
fi

# One demo key and one JWT secret, kept across runs.
if [[ -f $var/demo_key ]] && "$bin" key list | grep -q "^$(cut -c5-16 "$var/demo_key") *active"; then
  key=$(cat "$var/demo_key")
else
  key=$("$bin" key create --all --name demo 2>/dev/null)
  echo "$key" > "$var/demo_key"
  chmod 600 "$var/demo_key"
fi
if [[ ! -f $var/jwt_secret ]]; then
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$var/jwt_secret"
  chmod 600 "$var/jwt_secret"
fi
export FRAMESERVE_JWT_SECRET=$(cat "$var/jwt_secret")

"$bin" serve --host 127.0.0.1 --port "$port" &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  scripts/pg_cluster.sh stop "$pgdir"
}
trap stop EXIT
trap 'exit 0' INT TERM
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then
    status=0
    wait "$server" || status=$?
    # Exit code 8: the port is taken (by another frameserve or anything else).
    if [[ $status == 8 ]]; then
      echo "port $port is already in use: is the demo already running? (set FRAMESERVE_PORT to use another port)" >&2
    else
      echo "frameserve did not start (exit code $status)" >&2
    fi
    exit 1
  fi
  sleep 0.1
done

api="http://127.0.0.1:$port/api/v1/file/$demo_uuid"
cat <<MSG

frameserve is serving the demo on http://127.0.0.1:$port (Ctrl-C stops it and its database).

  curl -s "$api/trace/2/representative-face" -H "X-API-Key: $key"

  Viewer: open http://127.0.0.1:$port/ in a browser and sign in with the key $key

More:
  curl -s "$api/thumbnail?frame=100" -H "X-API-Key: $key" -o frame_100.jpg
  curl -s "$api/clip?start_frame=0&end_frame=47" -H "X-API-Key: $key" -o clip.ts
  curl -s "$api/video" -H "X-API-Key: $key" -o demo.mp4

MSG
wait "$server"
