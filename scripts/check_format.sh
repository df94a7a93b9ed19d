#!/usr/bin/env bash
# Checks that the C++ sources (src, tests, fixtures) are formatted as
# .clang-format says; prints each difference and exits non-zero if any.
#   scripts/check_format.sh          check (what .ci/run does)
#   scripts/check_format.sh --fix    reformat the files in place
# Generated sources live in build/*/gen and are not checked; third-party
# code (node_modules) neither.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
  echo "check_format: $CLANG_FORMAT not found (scripts/install_deps.sh installs clang-format)" >&2
  exit 2
fi
mapfile -t files < <(find src tests fixtures \( -name '*.cpp' -o -name '*.hpp' \) -not -path '*/node_modules/*' | sort)
if [ "${1:-}" = "--fix" ]; then
  # Twice: clang-format 14 realigns the backslashes of a multi-line macro
  # of string literals (db/queries.hpp) only on its second pass.
  "$CLANG_FORMAT" -i --style=file "${files[@]}"
  "$CLANG_FORMAT" -i --style=file "${files[@]}"
  exit 0
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if ! "$CLANG_FORMAT" --dry-run --Werror --style=file "${files[@]}" 2>"$report"; then
  cat "$report" >&2
  count=$(grep -c 'error: code should be clang-formatted' "$report" || true)
  echo "check_format: $count places differ from .clang-format; run scripts/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted as .clang-format says"
