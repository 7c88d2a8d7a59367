#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then run the whole stack locally in the foreground:
# a local OpenSearch (unless OPENSEARCH_URL is set), the service, and demo traffic. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_node_modules

export PORT="${PORT:-8080}"
# A local demo: the published dev tokens below are accepted only in DEV_MODE (docs/configuration.md).
export DEV_MODE="${DEV_MODE:-true}"
export HOST="${HOST:-127.0.0.1}"
export INGEST_TOKENS="${INGEST_TOKENS:-dev-ingest-token-change-me}"
export QUERY_TOKENS="${QUERY_TOKENS:-dev-query-token-change-me}"
export SESSION_SECRET="${SESSION_SECRET:-dev-session-secret-change-me}"
export SESSION_CONFIG="${SESSION_CONFIG:-$ROOT/backend/demo/session-rules.yaml}"
[ -f "$SESSION_CONFIG" ] || unset SESSION_CONFIG
export ADMIN_TOKENS="${ADMIN_TOKENS:-dev-admin-token-change-me}"
export DECISION_TOKENS="${DECISION_TOKENS:-dev-decision-token-change-me}"
# The demo's OpenAPI specs (backend/demo/specs), copied once so spec uploads land in .cache, not in the repo.
if [ -z "${SPECS_DIR:-}" ]; then
  export SPECS_DIR="$ROOT/.cache/demo-specs"
  [ -d "$SPECS_DIR" ] || { mkdir -p "$ROOT/.cache" && cp -r "$ROOT/backend/demo/specs" "$SPECS_DIR"; }
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  pkill -TERM -P $$ 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

if [ -z "${OPENSEARCH_URL:-}" ]; then
  export OPENSEARCH_PORT="${OPENSEARCH_PORT:-9200}"
  # One local node by default; OPENSEARCH_NODES=3 starts a local cluster and gives the service every node.
  first="http://127.0.0.1:${OPENSEARCH_PORT}"
  OPENSEARCH_URL="$first"
  for ((i = 1; i < ${OPENSEARCH_NODES:-1}; i++)); do OPENSEARCH_URL+=",http://127.0.0.1:$((OPENSEARCH_PORT + i))"; done
  export OPENSEARCH_URL
  if curl -fsS "$first" >/dev/null 2>&1; then
    say "OpenSearch already answers at $first; using it"
  else
    ensure_opensearch
    say "starting the local OpenSearch on $OPENSEARCH_URL"
    node --import tsx opensearch-local/cli.ts &
    pids+=($!)
    until curl -fsS "$first/_cluster/health?wait_for_status=yellow&wait_for_nodes=${OPENSEARCH_NODES:-1}&timeout=1s" >/dev/null 2>&1; do
      kill -0 "${pids[0]}" 2>/dev/null || { echo "OpenSearch failed to start (see above)" >&2; exit 1; }
      sleep 1
    done
  fi
fi

say "starting the service on http://$HOST:$PORT"
node --import tsx backend/src/main.ts &
pids+=($!)
SERVICE_URL="http://$HOST:$PORT"
until curl -fsS "$SERVICE_URL/healthz" >/dev/null 2>&1; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "the service failed to start (see above)" >&2; exit 1; }
  sleep 0.5
done

say "posting demo traffic"
SERVICE_URL="$SERVICE_URL" INGEST_TOKEN="${INGEST_TOKENS%%,*}" node --import tsx backend/demo/cli.ts

cat <<INFO

  API Sessions is running.
    service      $SERVICE_URL   (OpenAPI: $SERVICE_URL/v1/openapi.json)
    OpenSearch   $OPENSEARCH_URL
    ingest token ${INGEST_TOKENS%%,*}
    query token  ${QUERY_TOKENS%%,*}
    admin token  ${ADMIN_TOKENS%%,*}   (OpenAPI specs in $SPECS_DIR: POST /v1/specs?app=public-api; blocks)
    decision token ${DECISION_TOKENS%%,*}   (nginx/Envoy: GET /v1/decision, docs/integrations/blocking.md)

  Try:
    curl -s -H 'Authorization: Bearer ${QUERY_TOKENS%%,*}' -H 'content-type: application/json' \\
      -d '{"queryType":"sessions","limit":5}' $SERVICE_URL/v1/query
    curl -s -H 'Authorization: Bearer ${QUERY_TOKENS%%,*}' -H 'content-type: application/json' \\
      -d '{"queryType":"inventory","api_status":"shadow,zombie","limit":5}' $SERVICE_URL/v1/query
  Grafana: build the plugin (npm run build) and run docker compose up (see README).
  Ctrl-C stops everything.
INFO
wait -n "${pids[@]}"
