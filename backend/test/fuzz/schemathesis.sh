#!/usr/bin/env bash
# Schemathesis against a running service's /v1/openapi.json: every generated request (valid and invalid) must get
# an answer that is not a 5xx. Starts nothing itself.
#
#   SERVICE_URL=http://127.0.0.1:8080 QUERY_TOKEN=… INGEST_TOKEN=… backend/test/fuzz/schemathesis.sh
#
# Optional: ST_MAX_EXAMPLES (default 50 per operation), ST_SEED, ST_MAX_TIME (a time budget per run, in seconds;
# with it schemathesis keeps fuzzing until the budget is spent, without it it stops after the examples).
# Needs schemathesis 4.x (`python3 -m pip install schemathesis`). The spec is OpenAPI 3.1 (JSON Schema 2020-12).
# /v1/requests and the OTLP routes need the ingest token and everything else the query token, so it runs twice with
# one token each.
set -euo pipefail

: "${SERVICE_URL:?set SERVICE_URL, e.g. http://127.0.0.1:8080}"
: "${QUERY_TOKEN:?set QUERY_TOKEN (a token of QUERY_TOKENS)}"
: "${INGEST_TOKEN:?set INGEST_TOKEN (a token of INGEST_TOKENS)}"
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-50}"
SEED="${ST_SEED:-$RANDOM}"

if command -v schemathesis >/dev/null 2>&1; then
  ST=(schemathesis)
elif python3 -c 'import schemathesis' >/dev/null 2>&1; then
  ST=(python3 -m schemathesis.cli)
else
  echo "schemathesis is not installed: run 'python3 -m pip install schemathesis' (PyPI) and retry" >&2
  exit 127
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The spec needs a token; fetch it once and hand schemathesis the file plus the base URL.
curl -fsS -H "Authorization: Bearer ${QUERY_TOKEN}" "${SERVICE_URL}/v1/openapi.json" -o "$work/openapi.json"

common=(
  --url "$SERVICE_URL"
  --checks not_a_server_error
  --max-examples "$MAX_EXAMPLES"
  --seed "$SEED"
  --workers 1
  --phases examples,coverage,fuzzing
  --generation-with-security-parameters false
  --generation-database none
  --request-timeout 30
  --suppress-health-check all
  --no-color
)

if [ -n "${ST_MAX_TIME:-}" ]; then common+=(--max-time "$ST_MAX_TIME"); fi

echo "schemathesis: seed ${SEED}, ${MAX_EXAMPLES} examples per operation"
status=0
ingest_paths='^/(v1/requests|otlp/v1/traces|otlp/v1/logs)$'
echo "== ingest (/v1/requests, /otlp/v1/traces, /otlp/v1/logs; ingest token)"
HOME="$work" "${ST[@]}" run "$work/openapi.json" "${common[@]}" \
  -H "Authorization: Bearer ${INGEST_TOKEN}" --include-path-regex "$ingest_paths" || status=$?
echo "== query and the rest (query token)"
HOME="$work" "${ST[@]}" run "$work/openapi.json" "${common[@]}" \
  -H "Authorization: Bearer ${QUERY_TOKEN}" --exclude-path-regex "$ingest_paths" || status=$?
exit "$status"
