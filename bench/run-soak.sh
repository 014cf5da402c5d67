#!/usr/bin/env bash
# Builds the benchmark jar and runs the soak: mixed traffic over 8 gateways with workers killed and replaced, sampling
# threads, fds, child processes and heap every 30 s. Argument: minutes (default 10).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests package -pl bench -am
shopt -s nullglob
core=(core/target/jexecnet-[0-9]*.jar)
if (( ${#core[@]} != 1 )); then
  echo "run-ssh.sh: expected one core jar in core/target, found: ${core[*]:-none} (run mvn clean)" >&2
  exit 1
fi
exec java -cp "${core[0]}:bench/target/jexecnet-bench.jar" org.jexecnet.bench.Soak "$@"
