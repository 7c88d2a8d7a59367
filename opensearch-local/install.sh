#!/usr/bin/env bash
# Installs a local OpenSearch: resolves its jars from Maven Central into .cache/opensearch/<version>/jars and compiles
# the launcher (java/LocalNode.java + the version's java/os<major>/NodeFactory.java) into .cache/opensearch/<version>/classes.
#
#   bash opensearch-local/install.sh            # the version of $OPENSEARCH_VERSION (default: DEFAULT_MAJOR in versions.ts, 2)
#   bash opensearch-local/install.sh 3          # 3.x (pom-3.xml), with a Java 21+ JDK
#   bash opensearch-local/install.sh all        # both
#   bash opensearch-local/install.sh security   # 2.19.4 with the security plugin (pom-security.xml; opt-in, for the
#                                               # permission test; not part of "all")
#
# Versions: 2 | 2.19 | 2.19.6 → pom.xml (Java 17+); 3 | 3.9 | 3.9.0 → pom-3.xml (Java 21+: $OPENSEARCH_JAVA_HOME,
# else $JAVA_HOME when it is 21+, else /usr/lib/jvm/temurin-25-jdk-amd64, else the newest 21+ JDK in /usr/lib/jvm).
# Idempotent: a second run only compares hashes and exits (stamp files hold the hashes of what was installed).
# Env: OPENSEARCH_CACHE_DIR (default <repo>/.cache/opensearch). Needs java, javac and mvn (Maven 3).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE_ROOT="${OPENSEARCH_CACHE_DIR:-$ROOT/.cache/opensearch}"

say() { echo "[opensearch-local] $*"; }
die() { echo "[opensearch-local] error: $*" >&2; exit 1; }

# The major version of a `java` binary (17, 21, 25, …), or nothing.
java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1; }

# A JDK home with java and javac of at least version $1, by the preference order above.
find_jdk() {
  local min="$1" candidate major
  local candidates=("${OPENSEARCH_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64)
  if [ -d /usr/lib/jvm ]; then
    while IFS= read -r d; do candidates+=("$d"); done < <(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d | sort -rV)
  fi
  for candidate in "${candidates[@]}"; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major="$(java_major "$candidate/bin/java")"
    if [[ -n "$major" && "$major" -ge "$min" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

pom_of() {
  case "$1" in
    3) echo "$HERE/pom-3.xml" ;;
    security) echo "$HERE/pom-security.xml" ;;
    *) echo "$HERE/pom.xml" ;;
  esac
}
pom_version() { sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' "$(pom_of "$1")"; }

# install_one MAJOR [REQUESTED]: REQUESTED (e.g. 3.9 or 3.9.0) must be a prefix of the version the pom pins.
# MAJOR "security" is the 2.x security distribution (pom-security.xml) in <cache>/<version>-security.
install_one() {
  local flavor="$1" requested="${2:-$1}" major pom release version folder
  major=$([ "$flavor" = security ] && echo 2 || echo "$flavor")
  pom="$(pom_of "$flavor")"
  release=$([ "$major" = 3 ] && echo 21 || echo 17)
  version="$(pom_version "$flavor")"
  folder=$([ "$flavor" = security ] && echo "$version-security" || echo "$version")
  if [[ "$flavor" != security && "$version" != "$requested" && "$version" != "$requested".* ]]; then
    die "OpenSearch $requested is not available here (supported: 2 = $(pom_version 2), 3 = $(pom_version 3))"
  fi
  local cache="$CACHE_ROOT/$folder" jars="$CACHE_ROOT/$folder/jars" classes="$CACHE_ROOT/$folder/classes"
  local pom_hash src_hash
  pom_hash="$(sha256sum "$pom" | cut -d' ' -f1)"
  src_hash="$( (cat "$HERE/java/LocalNode.java" "$HERE/java/os$major/NodeFactory.java"; echo "$pom_hash") | sha256sum | cut -d' ' -f1)"

  up_to_date() {
    [[ -f "$cache/jars.stamp" && "$(cat "$cache/jars.stamp")" == "$pom_hash" ]] &&
      [[ -f "$cache/classes.stamp" && "$(cat "$cache/classes.stamp")" == "$src_hash" ]] &&
      [[ -f "$cache/java-home" && -x "$(cat "$cache/java-home")/bin/java" ]]
  }
  if up_to_date; then return 0; fi

  mkdir -p "$cache"
  # Several processes (jest, npm run opensearch, a colleague's shell) may install at the same time: serialize.
  exec 9>"$cache/.install.lock"
  flock 9
  if up_to_date; then exec 9>&-; return 0; fi

  # The JDK: for 2.19 the java/javac on the PATH (or $JAVA_HOME), for 3.x a 21+ one found as described above.
  local jdk
  if [ "$major" = 3 ]; then
    jdk="$(find_jdk 21)" ||
      die "OpenSearch $version needs a Java 21+ JDK (java and javac); none found. Install one (e.g. Temurin 21/25) and set OPENSEARCH_JAVA_HOME"
  elif [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/javac" ]]; then
    jdk="$JAVA_HOME"
  else
    command -v java >/dev/null || die "java not found (Java 17 is required)"
    command -v javac >/dev/null || die "javac not found (a Java 17 JDK is required, e.g. apt-get install openjdk-17-jdk-headless)"
    jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi

  if [[ ! -f "$cache/jars.stamp" || "$(cat "$cache/jars.stamp")" != "$pom_hash" ]]; then
    command -v mvn >/dev/null || die "mvn not found (Maven 3 is required to fetch the OpenSearch jars, e.g. apt-get install maven)"
    say "resolving OpenSearch $version jars with Maven… (first time: ~60 MB into ~/.m2, then copied to $jars)"
    local start=$SECONDS
    rm -rf "$jars.tmp"
    if ! JAVA_HOME="$jdk" mvn -q -B -f "$pom" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$jars.tmp" >"$cache/mvn.log" 2>&1; then
      tail -n 30 "$cache/mvn.log" >&2
      die "Maven could not resolve the OpenSearch $version jars (full log: $cache/mvn.log)"
    fi
    if [ "$flavor" = security ]; then unpack_plugin_zips "$jdk" "$jars.tmp"; fi
    rm -rf "$jars"
    mv "$jars.tmp" "$jars"
    echo "$pom_hash" >"$cache/jars.stamp"
    rm -f "$cache/classes.stamp"
    say "$(find "$jars" -name '*.jar' | wc -l) jars ready in $((SECONDS - start)) s"
  fi

  say "compiling the launcher for OpenSearch $version (Java $(java_major "$jdk/bin/java"), $jdk)…"
  rm -rf "$classes.tmp"
  mkdir -p "$classes.tmp"
  "$jdk/bin/javac" -nowarn -encoding UTF-8 --release "$release" -cp "$jars/*" -d "$classes.tmp" \
    "$HERE/java/LocalNode.java" "$HERE/java/os$major/NodeFactory.java"
  rm -rf "$classes"
  mv "$classes.tmp" "$classes"
  echo "$jdk" >"$cache/java-home"
  echo "$src_hash" >"$cache/classes.stamp"
  say "installed OpenSearch $folder (jars: $jars, launcher: $classes, Java: $jdk)"
  exec 9>&-
}

# unpack_plugin_zips JDK DIR: replaces each plugin distribution zip in DIR (the security plugin's) by its jars, except
# those the core already has (same artifact, any version: the core's stays, e.g. netty, httpclient, commons-codec).
unpack_plugin_zips() {
  local jdk="$1" dir="$2" zip tmp jar base
  artifact() { basename "$1" | sed -E 's/-[0-9][0-9A-Za-z.]*(-jre|\.Final)?\.jar$//'; }
  local have
  have="$(for jar in "$dir"/*.jar; do artifact "$jar"; done)"
  for zip in "$dir"/*.zip; do
    [ -e "$zip" ] || continue
    tmp="$(mktemp -d)"
    (cd "$tmp" && "$jdk/bin/jar" xf "$zip")
    [ -f "$tmp/plugin-descriptor.properties" ] || die "$(basename "$zip") is not an OpenSearch plugin zip"
    for jar in "$tmp"/*.jar; do
      base="$(artifact "$jar")"
      if ! grep -qxF "$base" <<<"$have"; then cp "$jar" "$dir/"; fi
    done
    rm -rf "$tmp" "$zip"
  done
}

# Before versioned folders the 2.19 jars sat directly in the cache root.
rm -rf "$CACHE_ROOT/jars" "$CACHE_ROOT/classes" "$CACHE_ROOT/jars.stamp" "$CACHE_ROOT/classes.stamp" "$CACHE_ROOT/mvn.log" 2>/dev/null || true

# The default major version is the one versions.ts declares (DEFAULT_MAJOR).
default_major="$(sed -n 's/^export const DEFAULT_MAJOR[^=]*= *\([0-9]\);.*/\1/p' "$HERE/versions.ts")"
request="${1:-${OPENSEARCH_VERSION:-${default_major:-2}}}"
if [ "$request" = all ]; then
  install_one 2
  install_one 3
else
  case "${request%%.*}" in
    2 | 3) install_one "${request%%.*}" "$request" ;;
    security) install_one security ;;
    *) die "unsupported OpenSearch version \"$request\" (supported: 2 = $(pom_version 2), 3 = $(pom_version 3), security = $(pom_version security) with the security plugin)" ;;
  esac
fi
