#!/usr/bin/env bash
# Validates the packaged plugin.
#   1. Offline structural checks (pkg/cmd/checkpluginzip): archive layout, plugin.json, binaries, README/LICENSE.
#   2. Grafana's plugin validator, plugincheck2, installed with `go install` into .cache/bin at
#      $PLUGIN_VALIDATOR_VERSION and run with .config/plugin-validator.yaml (network analyzers off; see there).
# When plugincheck2 cannot be installed (the Go module proxy reachable here refuses
# github.com/grafana/plugin-validator), step 2 is reported as not run; REQUIRE_PLUGINCHECK2=1 makes that an error.
# PLUGINCHECK2=/path/to/plugincheck2 uses an existing binary instead.
# Usage: scripts/validate-plugin.sh [plugin.zip]    (default: packages dist/ with scripts/package-plugin.sh)
# Exit status: non-zero when a check reports an error.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PLUGIN_VALIDATOR_VERSION=${PLUGIN_VALIDATOR_VERSION:-v0.31.0}
GOBIN_DIR="$ROOT/.cache/bin"

zip_path=${1:-}
if [[ -z $zip_path ]]; then
  out=$(bash scripts/package-plugin.sh)
  echo "$out"
  zip_path=$(sed -n 's/^packaged \(.*\.zip\) (.*/\1/p' <<<"$out")
fi
[[ -f $zip_path ]] || { echo "validate-plugin: $zip_path not found" >&2; exit 1; }

status=0
echo "== offline structural checks (pkg/cmd/checkpluginzip)"
mkdir -p "$GOBIN_DIR"
go build -o "$GOBIN_DIR/checkpluginzip" ./pkg/cmd/checkpluginzip
"$GOBIN_DIR/checkpluginzip" "$zip_path" || status=1

plugincheck=${PLUGINCHECK2:-$GOBIN_DIR/plugincheck2}
if [[ ! -x $plugincheck ]]; then
  echo "== installing plugincheck2 $PLUGIN_VALIDATOR_VERSION into $GOBIN_DIR"
  if ! GOBIN="$GOBIN_DIR" go install "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2@$PLUGIN_VALIDATOR_VERSION" 2>"$GOBIN_DIR/install.log"; then
    sed 's/^/    /' "$GOBIN_DIR/install.log" >&2
    echo "validate-plugin: plugincheck2 could not be installed (see above); Grafana's validator did NOT run." >&2
    if [[ ${REQUIRE_PLUGINCHECK2:-0} == 1 ]]; then
      exit 1
    fi
    exit $status
  fi
fi

echo "== plugincheck2 -config .config/plugin-validator.yaml $zip_path"
"$plugincheck" -config "$ROOT/.config/plugin-validator.yaml" "$zip_path" || status=1
exit $status
