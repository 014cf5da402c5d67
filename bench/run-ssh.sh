#!/usr/bin/env bash
# Builds the benchmark jar and compares jexecnet's ssh gateway with Python execnet's over one private sshd on a
# loopback port (root; about 2 minutes). Argument: the number of rounds (default 5, 3 repetitions per side each).
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
exec java -cp "${core[0]}:bench/target/jexecnet-bench.jar" org.jexecnet.bench.SshComparison "$@"
