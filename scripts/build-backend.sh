#!/usr/bin/env bash
# Builds the Go backend of the data source into dist/gpx_apisessions_<os>_<arch>[.exe]
# (CGO off, stripped: -ldflags "-w -s").
# Usage: scripts/build-backend.sh                 linux/amd64 and linux/arm64 (what Grafana servers and images run)
#        PLATFORMS=all scripts/build-backend.sh   also darwin/amd64, darwin/arm64, windows/amd64
#        PLATFORMS="linux/amd64" OUT_DIR=/tmp/x scripts/build-backend.sh
# A cold build costs minutes per platform on a 2-core machine; later builds reuse Go's build cache.
set -euo pipefail

cd "$(dirname "$0")/.."
EXECUTABLE=gpx_apisessions
ALL_PLATFORMS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"
PLATFORMS=${PLATFORMS:-"linux/amd64 linux/arm64"}
[[ $PLATFORMS == all ]] && PLATFORMS=$ALL_PLATFORMS
OUT_DIR=${OUT_DIR:-dist}

mkdir -p "$OUT_DIR"
for platform in $PLATFORMS; do
  os=${platform%/*}
  arch=${platform#*/}
  out="$OUT_DIR/${EXECUTABLE}_${os}_${arch}"
  [[ $os == windows ]] && out+=".exe"
  start=$SECONDS
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-w -s" -o "$out" ./pkg
  printf 'built %s (%s, %ss)\n' "$out" "$(du -h "$out" | cut -f1)" "$((SECONDS - start))"
done
