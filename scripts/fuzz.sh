#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by `make fuzz-build` (build-fuzz/fuzz_*).
#
#   scripts/fuzz.sh run [SECONDS]   each harness for SECONDS (default 60), from its
#                                   committed seeds (tests/fuzz/corpus/NAME) plus what
#                                   earlier runs found (build-fuzz/corpus/NAME, not committed)
#   scripts/fuzz.sh smoke           each harness for 3 s with a fixed seed, from the
#                                   committed seeds only (part of `make test`)
#   scripts/fuzz.sh runs N [NAME…]  each (or the named) harness for N runs, one at a time
#
# Prints one summary line per harness and exits non-zero on any crash, leak,
# sanitizer report or missing harness. A crashing input is kept in
# build-fuzz/artifacts/ and the line says how to replay it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

names=(range_request query_params jwt api_key jsonl_parser mot_parser label_glyphs)
# Longest input per harness, a little beyond what production sees (a query
# string or a token of a few hundred bytes, a few import lines, a label far
# wider than the 97-pixel test frame): longer inputs only repeat the same
# loops, at a cost per run that made 10 million runs take hours.
declare -A max_len=([range_request]=1024 [query_params]=2048 [jwt]=1024 [api_key]=256
                    [jsonl_parser]=1024 [mot_parser]=512 [label_glyphs]=512)
# Seconds per harness in the smoke. The seed is fixed (-seed=1), so every
# smoke tries the same mutations in the same order; only how far it gets
# depends on the machine's speed.
smoke_seconds=${FRAMESERVE_FUZZ_SMOKE_SECONDS:-3}

mode=${1:-}
case $mode in
  run) seconds=${2:-60} ;;
  smoke) ;;
  runs)
    count=${2:?"usage: scripts/fuzz.sh runs N [NAME...]"}
    shift 2
    (($# > 0)) && names=("$@")
    ;;
  *) echo "usage: scripts/fuzz.sh run [SECONDS] | smoke | runs N [NAME...]" >&2; exit 2 ;;
esac

# A missing compiler must fail loudly: a smoke that silently skips would let
# `make test` pass without fuzzing anything.
if ! command -v clang++-14 >/dev/null 2>&1; then
  echo "fuzz: FAILED: clang++-14 is not installed (scripts/install_deps.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 1
fi
mkdir -p build-fuzz
if ! make --no-print-directory -s fuzz-build >build-fuzz/build.log 2>&1; then
  cat build-fuzz/build.log >&2
  echo "fuzz: FAILED: the harnesses did not build (is libclang-rt-14-dev, which holds libFuzzer, installed?)" >&2
  exit 1
fi

mkdir -p build-fuzz/artifacts
status=0
clean=0
for name in "${names[@]}"; do
  binary=build-fuzz/fuzz_$name
  seeds=tests/fuzz/corpus/$name
  if [[ ! -x $binary || ! -d $seeds ]]; then
    echo "fuzz $name: FAILED: $binary or $seeds is missing"
    status=1
    continue
  fi
  # New inputs go to the first directory: never the committed seeds.
  if [[ $mode == smoke ]]; then
    work=$(mktemp -d /tmp/frameserve-fuzz.XXXXXX)
    limits=(-max_total_time="$smoke_seconds" -seed=1)
  else
    work=build-fuzz/corpus/$name
    mkdir -p "$work"
    if [[ $mode == run ]]; then limits=(-max_total_time="$seconds"); else limits=(-runs="$count"); fi
  fi
  args=("${limits[@]}" -max_len="${max_len[$name]:-4096}" -artifact_prefix="build-fuzz/artifacts/$name-" -print_final_stats=1)
  [[ -f tests/fuzz/dict/$name.dict ]] && args+=(-dict="tests/fuzz/dict/$name.dict")
  log=build-fuzz/$name.log
  started=$(date +%s.%N)
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/fuzz/ubsan.supp \
    "$binary" "${args[@]}" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  [[ $mode == smoke ]] && rm -rf "$work"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(awk -v n="${runs:-0}" -v t="$elapsed" 'BEGIN { printf "%d", (t > 0 ? n / t : 0) }')
  if ((rc == 0)) && ! grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\)\|runtime error:' "$log"; then
    echo "fuzz $name: ok, ${runs:-?} runs in $elapsed s ($speed exec/s), 0 crashes"
    clean=$((clean + 1))
  else
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "fuzz $name: CRASH after ${runs:-?} runs (exit $rc); log: $log${artifact:+; replay: $binary $artifact}"
    grep -m3 'ERROR:\|runtime error:\|SUMMARY:' "$log" | sed 's/^/    /'
    status=1
  fi
done
echo "fuzz ($mode): $clean/${#names[@]} harnesses clean"
exit $status
