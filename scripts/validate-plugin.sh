#!/usr/bin/env bash
# Validates the packaged plugin with Grafana's own plugin validator, plugincheck2, the way Grafana's plugin CI does
# (with the source code, so the archive is also compared with it), configured by .config/plugin-validator.yaml (the
# analyzers that need the network are off; the reasons are there). Any error or warning fails (-strict).
#
# The validator: $PLUGINCHECK2 when set (a plugincheck2 binary or the shared build script), else the shared build
# script at /work/shared/tools/plugincheck2, else ../shared/tools/plugincheck2 next to the checkout (or next to the
# main checkout of a git worktree). The shared script builds the validator from source once (cached) and runs it.
# None found is an error: the validation never silently skips. See docs/development.md "The plugin".
#
# Usage: scripts/validate-plugin.sh [plugin.zip]    (default: packages dist/ with scripts/package-plugin.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONFIG="$ROOT/.config/plugin-validator.yaml"

die() { echo "validate-plugin: $*" >&2; exit 1; }

# Prints the validator to run, or fails naming every place looked at.
find_plugincheck2() {
  if [[ -n ${PLUGINCHECK2:-} ]]; then
    [[ -x $PLUGINCHECK2 ]] || die "PLUGINCHECK2=$PLUGINCHECK2 is not an executable file"
    echo "$PLUGINCHECK2"
    return
  fi
  local common candidates=(/work/shared/tools/plugincheck2 "$ROOT/../shared/tools/plugincheck2")
  # In a git worktree, also look next to the main checkout.
  common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [[ -n $common ]] && candidates+=("$(dirname "$common")/../shared/tools/plugincheck2")
  for c in "${candidates[@]}"; do
    if [[ -x $c ]]; then
      echo "$c"
      return
    fi
  done
  die "Grafana's plugin validator not found (looked at: PLUGINCHECK2 unset, ${candidates[*]}).
Set PLUGINCHECK2 to a plugincheck2 binary (built from github.com/grafana/plugin-validator, pkg/cmd/plugincheck2)
or to the script that builds it; see docs/development.md."
}

plugincheck=$(find_plugincheck2)

zip_path=${1:-}
if [[ -z $zip_path ]]; then
  out=$(bash scripts/package-plugin.sh)
  echo "$out"
  zip_path=$(sed -n 's/^packaged \(.*\.zip\) (.*/\1/p' <<<"$out")
fi
[[ -f $zip_path ]] || die "$zip_path not found"

echo "== $plugincheck -strict -config .config/plugin-validator.yaml -sourceCodeUri file://$ROOT $(basename "$zip_path")"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
"$plugincheck" -strict -jsonOutput -config "$CONFIG" -sourceCodeUri "file://$ROOT" "$zip_path" >"$report" || status=$?
# Every finding on its own line, then the counts; errors, warnings and suspected problems fail, recommendations
# are shown only.
node -e '
  const fs = require("fs");
  const text = fs.readFileSync(process.argv[1], "utf8");
  let report;
  try { report = JSON.parse(text); } catch { console.error(text); process.exit(2); }
  const counts = {};
  for (const [analyzer, found] of Object.entries(report["plugin-validator"] ?? {})) {
    for (const d of found) {
      counts[d.Severity] = (counts[d.Severity] ?? 0) + 1;
      console.log(`${d.Severity}: ${analyzer}: ${d.Title}\n    ${String(d.Detail).trim().replace(/\n+/g, "\n    ")}`);
    }
  }
  const n = (s) => counts[s] ?? 0;
  console.log(`plugincheck2: ${n("error")} errors, ${n("warning")} warnings, ${n("suspected")} suspected, ${n("recommendation")} recommendations`);
  process.exit(n("error") + n("warning") + n("suspected") > 0 ? 1 : 0);
' "$report" || status=1
[[ $status -eq 0 ]] || die "plugincheck2 did not pass (see above)"
