#!/usr/bin/env bash
# Builds the benchmark jar and runs one benchmark class with the core jar first on the class path:
# workers run from the jar jexecnet was loaded from, which should be the library's own, not the shaded
# benchmark jar. One core jar only, so that a stale version is not measured.
# Usage: bench/run-class.sh CLASS [ARGS...]   (the run-*.sh scripts name their class)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-deps.sh
class="$1"
shift
mvn -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am
shopt -s nullglob
core=(core/target/jexecnet-[0-9]*[0-9T].jar)
if (( ${#core[@]} != 1 )); then
  echo "run-class.sh: expected one core jar in core/target, found: ${core[*]:-none} (run mvn clean)" >&2
  exit 1
fi
exec java ${BENCH_JVM_ARGS:-} -cp "${core[0]}:bench/target/jexecnet-bench.jar" "org.jexecnet.bench.$class" "$@"
