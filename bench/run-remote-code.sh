#!/usr/bin/env bash
# First-execution latency by the form of remote code, and class-loading round trips, beside Python
# execnet's first remote_exec(function) in the same run. Runs from separate jars, not the shaded
# benchmark jar: the worker runs from jexecnet's own jar, and Gson must be a jar only the master has.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-deps.sh
mvn -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package dependency:build-classpath -pl bench -am -Dmdep.outputFile=target/runtime-classpath.txt \
  -Dmdep.includeScope=runtime -Dmdep.excludeArtifactIds=jexecnet,jmh-core,jopt-simple,commons-math3
deps=$(cat bench/target/runtime-classpath.txt)
shopt -s nullglob
core=(core/target/jexecnet-[0-9]*[0-9T].jar)
if (( ${#core[@]} != 1 )); then
  echo "run-remote-code.sh: expected one core jar in core/target, found: ${core[*]:-none} (run mvn clean)" >&2
  exit 1
fi
exec java "$@" -cp "${core[0]}:bench/target/classes:$deps" org.jexecnet.bench.RemoteCodeLatency
