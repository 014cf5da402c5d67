#!/usr/bin/env bash
# A Java master and a Python master, each driving Python execnet's own popen worker, in one run
# (b2 round trip, b3 one-way). Extra arguments go to the JVM, e.g. -Dexecnet.python=/path/to/python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests package -pl bench -am
exec java "$@" -cp "core/target/jexecnet-0.1.0-SNAPSHOT.jar:bench/target/jexecnet-bench.jar" \
  org.jexecnet.bench.PythonWorkerComparison ../shared/bench-execnet
