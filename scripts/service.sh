#!/usr/bin/env bash
# `npm run service`: the service in the foreground, configured by the environment (docs/configuration.md).
#   NODE_ENV=production  runs the compiled bundle dist-service/main.js (`npm run build:service`) with plain node —
#                        what the Docker image runs; no TypeScript compiler at run time.
#   otherwise            runs the TypeScript sources through tsx (development: no build step).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${NODE_ENV:-}" = "production" ]; then
  if [ ! -f "$ROOT/dist-service/main.js" ]; then
    echo "service: NODE_ENV=production runs dist-service/main.js, which is missing: run \`npm run build:service\` first" >&2
    exit 2
  fi
  exec node --enable-source-maps "$ROOT/dist-service/main.js"
fi
exec node --import tsx "$ROOT/backend/src/main.ts"
