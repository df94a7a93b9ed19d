#!/usr/bin/env bash
# Real archive clips that Debian's ffmpeg cannot make, copied into DEST:
#   packed_bframes.avi  XviD (MPEG-4 ASP) with *packed* B-frames, as DivX/XviD
#                       rips of the 2000s were stored (ffmpeg's encoder never
#                       writes them): opencv-doc's Megamind.avi, 720x528.
#   header_lies.avi     Cinepak AVI whose header claims 444 frames and which
#                       holds 68: opencv-doc's tree.avi.
#   natural.avi         real camera footage, 768x576, 795 frames (people
#                       walking): opencv-doc's vtest.avi, for the bench.
# They come from Debian's opencv-doc package (`apt-get download`, unpacked
# with dpkg -x; nothing is installed and nothing is committed), kept in a
# download cache so that a second run needs no network. Each clip is checked
# against its SHA-256, so a changed package cannot silently change a test.
# Usage: scripts/fetch_archive_clips.sh DEST. Exits non-zero, saying why,
# when the package cannot be fetched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
cache=${FRAMESERVE_DOWNLOADS:-$root/build/downloads}/opencv-doc
declare -A source_of=([packed_bframes.avi]=Megamind.avi [header_lies.avi]=tree.avi [natural.avi]=vtest.avi)
declare -A sha256_of=(
  [packed_bframes.avi]=0057387cb7e75c8fd1663b62cfdc51fa53f527795d0fe3c1fea2fd159d3130b5
  [header_lies.avi]=4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc
  [natural.avi]=45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
)

cached_ok() {
  local name
  for name in "${!source_of[@]}"; do
    [[ -f $cache/$name ]] || return 1
    [[ $(sha256sum "$cache/$name" | cut -d' ' -f1) == "${sha256_of[$name]}" ]] || return 1
  done
}

if ! cached_ok; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # apt-get download writes into the current directory; as root it warns
  # that its sandbox user cannot write there, and downloads anyway.
  if ! (cd "$work" && apt-get download -qq opencv-doc >/dev/null 2>&1); then
    # A machine whose package lists were never fetched knows no opencv-doc.
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work" && apt-get download -qq opencv-doc >/dev/null 2>&1) || {
      echo "fetch_archive_clips: cannot download Debian's opencv-doc package" >&2
      exit 1
    }
  fi
  dpkg -x "$work"/opencv-doc_*.deb "$work/x"
  mkdir -p "$cache"
  for name in "${!source_of[@]}"; do
    cp "$work/x/usr/share/doc/opencv-doc/examples/data/${source_of[$name]}" "$cache/$name"
  done
  cached_ok || {
    echo "fetch_archive_clips: opencv-doc's clips are not the ones the tests were written for (SHA-256 differs)" >&2
    exit 1
  }
fi
mkdir -p "$dest"
for name in "${!source_of[@]}"; do cp "$cache/$name" "$dest/$name"; done
