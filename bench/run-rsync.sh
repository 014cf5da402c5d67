#!/usr/bin/env bash
# Builds the benchmark jar and compares jexecnet's RSync with `rsync -a` and Python execnet's RSync (b7_rsync.py) on a 117 MB tree in
# /dev/shm, plus a 100 MB file with 1 MiB changed (about 3 minutes). Arguments: repetitions (default 5), scripts dir.
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
exec java -cp "${core[0]}:bench/target/jexecnet-bench.jar" org.jexecnet.bench.RSyncComparison "$@"
