#!/usr/bin/env bash
# Builds the benchmark jar and compares jexecnet's popen gateways and channels with Python execnet's (b1-b4, and
# b8_limits.sh for the machine's limits) in one run, in about 3 minutes. Extra arguments go to the JVM, e.g.
# -Dexecnet.python=/path/to/python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests package -pl bench -am
# The core jar goes first: workers run from the jar jexecnet was loaded from, which should be the library's own,
# not the shaded benchmark jar (see GatewayComparison). One jar only, so that a stale version is not measured.
shopt -s nullglob
core=(core/target/jexecnet-[0-9]*.jar)
if (( ${#core[@]} != 1 )); then
  echo "run-gateways.sh: expected one core jar in core/target, found: ${core[*]:-none} (run mvn clean)" >&2
  exit 1
fi
exec java "$@" -cp "${core[0]}:bench/target/jexecnet-bench.jar" org.jexecnet.bench.GatewayComparison ../shared/bench-execnet
