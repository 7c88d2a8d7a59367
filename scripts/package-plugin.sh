#!/usr/bin/env bash
# Packages a built plugin folder (default dist/) into <plugin id>-<version>.zip, with everything inside one
# top-level folder named by the plugin id: the layout Grafana's plugin validator and `grafana cli` expect.
# Usage: scripts/package-plugin.sh [dist-dir]     env OUT_DIR: where the zip goes (default: the repo root)
# Needs: a built frontend (npm run build:frontend) and backend (scripts/build-backend.sh: the binaries of all five
# platforms and go_plugin_build_manifest) in the folder.
set -euo pipefail

cd "$(dirname "$0")/.."
DIST=$(cd "${1:-dist}" 2>/dev/null && pwd) || { echo "package-plugin: ${1:-dist} does not exist; build first (npm run build)" >&2; exit 1; }
OUT_DIR=$(mkdir -p "${OUT_DIR:-.}" && cd "${OUT_DIR:-.}" && pwd)

die() { echo "package-plugin: $*" >&2; exit 1; }
[[ -f $DIST/plugin.json ]] || die "$DIST/plugin.json is missing; run npm run build:frontend"
[[ -f $DIST/module.js ]] || die "$DIST/module.js is missing; run npm run build:frontend"

read -r id version backend executable < <(node -e '
  const p = require(process.argv[1]);
  console.log(p.id, p.info && p.info.version, Boolean(p.backend), p.executable || "-");' "$DIST/plugin.json")
[[ $id == apisessions-sessions-datasource ]] || die "plugin.json id is \"$id\", expected apisessions-sessions-datasource"
# The archive serves every platform Grafana runs on, with the build manifest Grafana's validator checks.
if [[ $backend == true ]]; then
  for binary in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64.exe go_plugin_build_manifest; do
    file=$DIST/${executable}_$binary
    [[ $binary == go_plugin_build_manifest ]] && file=$DIST/$binary
    [[ -f $file ]] || die "$file is missing; run scripts/build-backend.sh"
  done
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -a "$DIST" "$stage/$id"
# Grafana starts the backend binary directly, so it must stay executable inside the zip.
find "$stage/$id" -maxdepth 1 -name "${executable}_*" -exec chmod 0755 {} +
zip_path="$OUT_DIR/$id-$version.zip"
rm -f "$zip_path"
(cd "$stage" && zip -q -r -X "$zip_path" "$id")
printf 'packaged %s (%s, %s files)\n' "$zip_path" "$(du -h "$zip_path" | cut -f1)" "$(unzip -Z1 "$zip_path" | grep -vc '/$')"
