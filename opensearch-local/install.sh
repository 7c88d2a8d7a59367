#!/usr/bin/env bash
# Installs the local OpenSearch 2.19.6 node: resolves its jars from Maven Central (pom.xml) into
# .cache/opensearch/jars and compiles the launcher (java/LocalNode.java) into .cache/opensearch/classes.
# Idempotent: a second run only compares hashes and exits (stamp files hold the hashes of what was installed).
# Env: OPENSEARCH_CACHE_DIR (default <repo>/.cache/opensearch). Needs java, javac and mvn (Maven 3).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${OPENSEARCH_CACHE_DIR:-$ROOT/.cache/opensearch}"
JARS="$CACHE/jars"
CLASSES="$CACHE/classes"

say() { echo "[opensearch-local] $*"; }
die() { echo "[opensearch-local] error: $*" >&2; exit 1; }

pom_hash="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
src_hash="$( (cat "$HERE/java/LocalNode.java"; echo "$pom_hash") | sha256sum | cut -d' ' -f1)"

up_to_date() {
  [[ -f "$CACHE/jars.stamp" && "$(cat "$CACHE/jars.stamp")" == "$pom_hash" ]] &&
    [[ -f "$CACHE/classes.stamp" && "$(cat "$CACHE/classes.stamp")" == "$src_hash" ]]
}

if up_to_date; then
  exit 0
fi

mkdir -p "$CACHE"
# Several processes (jest, npm run opensearch, a colleague's shell) may install at the same time: serialize.
exec 9>"$CACHE/.install.lock"
flock 9
if up_to_date; then
  exit 0
fi

command -v java >/dev/null || die "java not found (Java 17 is required)"
command -v javac >/dev/null || die "javac not found (a Java 17 JDK is required, e.g. apt-get install openjdk-17-jdk-headless)"

if [[ ! -f "$CACHE/jars.stamp" || "$(cat "$CACHE/jars.stamp")" != "$pom_hash" ]]; then
  command -v mvn >/dev/null || die "mvn not found (Maven 3 is required to fetch the OpenSearch jars, e.g. apt-get install maven)"
  say "resolving OpenSearch 2.19.6 jars with Maven… (first time: ~60 MB into ~/.m2, then copied to $JARS)"
  start=$SECONDS
  rm -rf "$JARS.tmp"
  if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$JARS.tmp" >"$CACHE/mvn.log" 2>&1; then
    tail -n 30 "$CACHE/mvn.log" >&2
    die "Maven could not resolve the OpenSearch jars (full log: $CACHE/mvn.log)"
  fi
  rm -rf "$JARS"
  mv "$JARS.tmp" "$JARS"
  echo "$pom_hash" >"$CACHE/jars.stamp"
  rm -f "$CACHE/classes.stamp"
  say "$(find "$JARS" -name '*.jar' | wc -l) jars ready in $((SECONDS - start)) s"
fi

say "compiling launcher…"
rm -rf "$CLASSES.tmp"
mkdir -p "$CLASSES.tmp"
javac -nowarn -encoding UTF-8 --release 17 -cp "$JARS/*" -d "$CLASSES.tmp" "$HERE/java/LocalNode.java"
rm -rf "$CLASSES"
mv "$CLASSES.tmp" "$CLASSES"
echo "$src_hash" >"$CACHE/classes.stamp"
say "installed (jars: $JARS, launcher: $CLASSES)"
