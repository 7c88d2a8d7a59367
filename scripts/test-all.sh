#!/usr/bin/env bash
# Quick start, command 2: install what is missing, then run every test. Each step runs even when an earlier one
# failed; the last line is the summary and the exit code is non-zero when any step failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

set -e
ensure_node_modules
ensure_opensearch all
ensure_opensearch security
ensure_go_modules
ensure_chromium
ensure_nginx
ensure_integration_tools
set +e

passed=0; failed=0; failures=()
step() {
  local name="$1"; shift
  say "$name"
  local t0=$SECONDS
  if "$@"; then passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - t0)) s)"
  else failed=$((failed + 1)); failures+=("$name"); echo "--- $name: FAILED ($((SECONDS - t0)) s)"; fi
}

step "lint (eslint --max-warnings 0)" npx eslint --max-warnings 0 .
step "format (prettier --check)" npx prettier --check .
step "typecheck" npm run --silent typecheck
step "build plugin (frontend + Go binaries)" npm run --silent build
step "jest: unit, plugin and integration (real OpenSearch)" npx jest --ci
# A 3-node cluster, indices with 3 shards and 1 replica: node loss under load, two service instances, and the
# ingest idempotency and the reference-sessionizer agreement across shards (backend/test/cluster/jest.config.js).
step "jest: 3-node cluster" npx jest --ci -c backend/test/cluster/jest.config.js
# The other supported major version (3.x while 2.19 is the default): the local node, ingest and query suites.
other="$(opensearch_other_major)"
step "jest: ingest + query on OpenSearch $other.x" env OPENSEARCH_VERSION="$other" npx jest --ci --selectProjects integration -- \
  backend/test/opensearch-local backend/test/ingest backend/test/query
# The role of docs/operations.md "OpenSearch permissions" on a security-enabled node (OpenSearch 2.19.4 with the
# security plugin): the service runs as a user with exactly that role (backend/test/security/jest.config.js).
step "jest: permissions on a security-enabled OpenSearch" npx jest --ci -c backend/test/security/jest.config.js
step "go test -tags integration ./..." go test -tags integration -count=1 -timeout 25m ./...
step "browser test: editors and every dashboard panel on demo data (chromium)" npm run --silent test:browser
step "plugin validator (Grafana's plugincheck2)" bash scripts/validate-plugin.sh

echo
if [ "$failed" -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
