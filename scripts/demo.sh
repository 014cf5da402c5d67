#!/usr/bin/env bash
# The demo: builds jexecnet (tests skipped; scripts/test.sh runs them) and runs the task farm: a worker
# JVM per core counting primes, results collected through one queue. Arguments go to the farm: the
# upper bound (default 5,000,000) and the number of workers (default: the cores).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
log=$(mktemp)
echo "building jexecnet (the first build downloads Maven plugins) ..." >&2
if ! mvn -B -DskipTests -pl examples -am package >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
exec java -cp core/target/jexecnet-0.1.0-SNAPSHOT.jar:examples/target/classes org.jexecnet.examples.TaskFarm "$@"
