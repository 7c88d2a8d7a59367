#!/usr/bin/env bash
# Builds the Go backend of the data source into dist/gpx_apisessions_<os>_<arch>[.exe] for every platform Grafana
# runs on (CGO off, stripped: -ldflags "-w -s", as the plugin SDK's own build does), and writes
# dist/go_plugin_build_manifest: the sha256 of every Go source file, which Grafana's plugin validator compares with
# the source code (the SDK's `mage` build writes the same file).
# Usage: scripts/build-backend.sh                                   all five platforms
#        PLATFORMS="linux/amd64" OUT_DIR=/tmp/x scripts/build-backend.sh   some (e.g. for a quick local try)
# A cold build costs minutes per platform on a 2-core machine; later builds reuse Go's build cache (seconds).
set -euo pipefail

cd "$(dirname "$0")/.."
EXECUTABLE=gpx_apisessions
ALL_PLATFORMS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"
PLATFORMS=${PLATFORMS:-$ALL_PLATFORMS}
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

# Same walk as grafana-plugin-sdk-go/build/utils.GenerateManifest: every .go file outside node_modules/.
find . -name node_modules -prune -o -type f -name '*.go' -print | sed 's|^\./||' | LC_ALL=C sort |
  while read -r file; do printf '%s:%s\n' "$(sha256sum "$file" | cut -d' ' -f1)" "$file"; done \
    >"$OUT_DIR/go_plugin_build_manifest"
echo "wrote $OUT_DIR/go_plugin_build_manifest ($(wc -l <"$OUT_DIR/go_plugin_build_manifest") Go files)"
