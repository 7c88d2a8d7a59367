# Shared helpers for scripts/*.sh: install what is missing, idempotently and with progress lines.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# OpenSearch jars from Maven Central + the launcher (cached under .cache/opensearch/<version>; a no-op when present).
# Argument: 2, 3 or all (default: $OPENSEARCH_VERSION, else the default major version of opensearch-local/versions.ts).
# 3.x needs a Java 21+ JDK (install.sh finds one).
ensure_opensearch() {
  bash "$ROOT/opensearch-local/install.sh" "$@"
}

# The major version the tests run by default (DEFAULT_MAJOR in opensearch-local/versions.ts) and the other one.
opensearch_default_major() { sed -n 's/^export const DEFAULT_MAJOR[^=]*= *\([0-9]\);.*/\1/p' "$ROOT/opensearch-local/versions.ts"; }
opensearch_other_major() { if [ "$(opensearch_default_major)" = 3 ]; then echo 2; else echo 3; fi; }

# Go modules of the plugin backend.
ensure_go_modules() {
  if ! command -v go >/dev/null; then echo "go is required (https://go.dev/dl/)" >&2; return 1; fi
  (cd "$ROOT" && go mod download)
}

# Debian's chromium for the browser tests (root installs it with apt-get; others get told how).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2
    return 1
  fi
}

# Debian's nginx for the blocking end-to-end test (backend/test/blocks/nginx.test.ts runs its own nginx on loopback
# with a temporary prefix). Only the package is needed: RUNLEVEL=1 keeps invoke-rc.d from starting the system service.
ensure_nginx() {
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's nginx for the blocking end-to-end test"
    apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "the blocking end-to-end test needs nginx (with auth_request): sudo apt-get install nginx" >&2
    return 1
  fi
}

# Tools some tests run: schemathesis (API fuzzing from /v1/openapi.json), the real VRL runtime (PyPI pyvrl) and a
# Lua interpreter (Fluent Bit's filter).
ensure_integration_tools() {
  if ! command -v schemathesis >/dev/null && ! python3 -c 'import schemathesis' 2>/dev/null; then
    say "installing schemathesis for the API fuzz test"
    python3 -m pip install --quiet --disable-pip-version-check schemathesis 2>&1 | grep -v "Running pip as the 'root' user" || true
  fi
  if ! python3 -c 'import pyvrl' 2>/dev/null; then
    say "installing pyvrl (Vector's VRL runtime) for the shipper-config tests"
    python3 -m pip install --quiet --disable-pip-version-check pyvrl 2>&1 | grep -v "Running pip as the 'root' user" || true
    python3 -c 'import pyvrl'
  fi
  if ! command -v lua5.1 >/dev/null && ! command -v lua >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing lua5.1 for the Fluent Bit filter test"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.1 >/dev/null
    else
      echo "the Fluent Bit filter test needs Lua: sudo apt-get install lua5.1" >&2
      return 1
    fi
  fi
}
