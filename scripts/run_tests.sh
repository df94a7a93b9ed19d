#!/usr/bin/env bash
# The body of `make test`: fixtures, a throwaway PostgreSQL, every test —
# once on the plain build and once under ASan+UBSan — then a few seconds of
# each fuzz harness (scripts/fuzz.sh smoke). Exits non-zero when anything
# fails; the output ends with the fuzz summary. Arguments go to
# both test binaries (e.g. -tc='*clip*' runs the clip tests only).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

fixtures=$root/build/fixtures
if [[ ! -f $fixtures/.stamp || build/make_fixtures -nt $fixtures/.stamp ]]; then
  rm -rf "$fixtures"
  build/make_fixtures "$fixtures" || { echo "fixture generation failed" >&2; exit 1; }
  touch "$fixtures/.stamp"
fi
# Real archive clips no encoder here can make (packed B-frames, a lying AVI
# header), from Debian's opencv-doc package; cached under build/downloads.
scripts/fetch_archive_clips.sh "$fixtures" || { echo "could not fetch the archive clips" >&2; exit 1; }

# Test servers cache HLS segments per test process under build/; a new run
# starts from an empty cache (and old runs' folders do not pile up).
rm -rf "$root/build/test-segment-cache"

pgdir=$(mktemp -d /tmp/frameserve-test.XXXXXX)
chmod 755 "$pgdir"
cleanup() {
  scripts/pg_cluster.sh stop "$pgdir" >/dev/null 2>&1
  rm -rf "$pgdir"
  [[ -n ${log:-} ]] && rm -f "$log"
}
trap cleanup EXIT
if ! conninfo=$(scripts/pg_cluster.sh start "$pgdir" --fast); then
  echo "could not start the test PostgreSQL cluster" >&2
  exit 1
fi

export FRAMESERVE_TEST_CONNINFO=$conninfo
export FRAMESERVE_TEST_PG_DIR=$pgdir
export FRAMESERVE_FIXTURES=$fixtures
export FRAMESERVE_ROOT=$root
# Every tool the tests use is installed by `make test` (scripts/install_deps.sh),
# so here a test that cannot run what it needs fails instead of skipping
# (tests/support/skip_or_fail.hpp); a test binary run by hand may skip.
export FRAMESERVE_TEST_STRICT=1

# The test files run in two processes at once (a 2-core machine has little
# else to do while one test waits on ffmpeg, a socket or a timeout). Each
# test process has its own database and segment cache
# (tests/support/test_env.cpp), and a file's test cases stay in one process.
# The split: the files in shard_one and the rest, so that a new file joins
# the second. Measured with --duration=true (a plain run, 2026-12): 887 s in
# shard_one, 940 s in the rest (the clip and thumbnail files are 455 s and
# 429 s; one thumbnail test case alone 386 s). The database-restart test
# stops the cluster every process uses, so it runs alone, after both, and
# so do the browser scenarios (below). A
# selection by source file (-sf/-sfe) runs as given, in one process.
shard_one='*test_integration_frame_exact.cpp,*test_integration_drain.cpp,*test_integration_faces.cpp'
shard_one+=',*test_integration_av_sync.cpp'
# The browser scenarios play media in real time in Chromium (an AudioWorklet
# records the beeps as they sound): beside a second test process on two
# cores it once missed a beep. They run alone too.
alone='*test_browser_viewer.cpp,*test_integration_health.cpp'
# run_tests LABEL COMMAND...: the test binary COMMAND (after `env` settings)
# with this script's arguments; false when any test failed.
run_tests() {
  local label=$1
  shift
  echo "== tests: $label"
  local arg
  for arg in "${test_args[@]}"; do
    if [[ $arg == -sf* || $arg == -sfe* || $arg == --source-file* ]]; then
      "$@" "${test_args[@]}" 2>&1 | tee -a "$log"
      return
    fi
  done
  local one two
  one=$(mktemp) && two=$(mktemp) || return 1
  "$@" --source-file="$shard_one" "${test_args[@]}" >"$one" 2>&1 &
  local first=$!
  "$@" --source-file-exclude="$shard_one,$alone" "${test_args[@]}" >"$two" 2>&1 &
  local second=$!
  local ok=0
  wait "$first" || ok=1
  wait "$second" || ok=1
  echo "-- $label, test process 1 of 2 (${shard_one//\*/})"
  tee -a "$log" <"$one"
  echo "-- $label, test process 2 of 2 (every other file)"
  tee -a "$log" <"$two"
  rm -f "$one" "$two"
  echo "-- $label, alone: ${alone//\*/}"
  "$@" --source-file="$alone" "${test_args[@]}" 2>&1 | tee -a "$log" || ok=1
  return $ok
}
test_args=("$@")

# summarize: one closing line adding up doctest's "test cases:" lines of
# every test process (their "skipped" counts the cases another process
# ran, so it is left out; a skip by a missing tool fails under this script).
summarize() {
  local passed failed
  read -r passed failed < <(sed -n 's/^\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed | *\([0-9]*\) failed.*/\1 \2/p' "$log" |
    awk '{p += $1; f += $2} END {print p + 0, f + 0}')
  echo "tests: $passed passed, $failed failed"
}

# What the test processes print is also kept in a log, so that the run can
# end with one line counting the test cases of every process and build.
log=$(mktemp)
status=0
run_tests "plain build" env FRAMESERVE_BIN="$root/build/frameserve" build/frameserve_tests || status=1
# Developers iterating on one area may skip the sanitizer run and the fuzz smoke
# (FRAMESERVE_TEST_PLAIN_ONLY=1); `make test` and CI always run everything.
if [[ ${FRAMESERVE_TEST_PLAIN_ONLY:-0} == 1 ]]; then
  summarize
  exit $status
fi
run_tests "AddressSanitizer + UndefinedBehaviorSanitizer build" env FRAMESERVE_BIN="$root/build-san/frameserve" \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
  LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  build-san/frameserve_tests || status=1
# Every libFuzzer harness for a few seconds under ASan+UBSan. It fails (never
# skips) when clang or a harness is missing; one summary line per harness.
echo "== fuzz smoke: libFuzzer harnesses (tests/fuzz) under ASan+UBSan"
scripts/fuzz.sh smoke || status=1
summarize
exit $status
