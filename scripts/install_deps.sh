#!/usr/bin/env bash
# Installs whatever frameserve needs that is missing, from Debian 12's packages.
# Idempotent and quiet when everything is present; needs root only when something is missing.
set -euo pipefail

packages=(
  g++ make pkg-config
  libcpp-httplib-dev   # cpp-httplib 0.11.4 (compiled library + header)
  libboost-dev         # Boost.Process (header-only)
  libpq-dev postgresql # libpq and the PostgreSQL 15 server binaries
  rapidjson-dev libcli11-dev doctest-dev
  libjwt-dev libssl-dev
  ffmpeg               # ffmpeg/ffprobe 5.1 (its libavcodec59 brings libwebp: libwebp_anim, the trace previews' encoder)
  unifont              # GNU Unifont's unifont.hex: compiled into the binary at build time (labels in any script)
  nginx-light          # tests behind nginx (auth_request, realip, proxy, upstream hash, map are built in), Range conformance, benchmark
  curl procps          # curl for the demo line and tests' helpers, ps/pgrep for checks
  ccache               # compiler cache: repeated builds (clones, CI, the sanitizer build) reuse objects
  clang-14 libclang-rt-14-dev  # the fuzz harnesses: clang++-14 and libFuzzer (+ its sanitizer runtimes)
  clang-format         # scripts/check_format.sh (clang-format 14, .clang-format)
  nodejs               # the OpenAPI validator make test runs (tools/openapi, scripts/install_openapi_tools.sh)
  chromium             # the browser tests (tests/browser) drive it with playwright-core
  prometheus-cpp-dev   # prometheus-cpp 1.0.1: /metrics (core registry and text serializer only)
  python3-prometheus-client  # the tests parse /metrics with the real Prometheus text parser
  python-matplotlib-data     # its sample photograph (grace_hopper.jpg): the bench's natural-footage overlay row
)
# npm installs the OpenAPI validator (tools/openapi) and hls.js and
# playwright-core (web/package-lock.json) at build time. A machine that
# already has npm (NodeSource's nodejs ships it) keeps it: Debian's npm
# would conflict with that nodejs.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "frameserve: missing packages: ${missing[*]}" >&2
  echo "frameserve: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "frameserve: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# policy-rc.d keeps Debian's postinst scripts from starting system services
# (nginx, postgresql): frameserve starts its own instances.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[[ $created_policy == 1 ]] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "frameserve: packages installed" >&2
