#!/usr/bin/env bash
# Builds the Go backend of the data source into dist/gpx_apisessions_<os>_<arch>[.exe].
# Usage: scripts/build-backend.sh            (linux, darwin and windows; amd64 and arm64 where Grafana ships)
#        PLATFORMS="linux/amd64" scripts/build-backend.sh
set -euo pipefail

cd "$(dirname "$0")/.."
EXECUTABLE=gpx_apisessions
PLATFORMS=${PLATFORMS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"}
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
