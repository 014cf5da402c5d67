#!/usr/bin/env bash
# Builds the benchmark jar and compares jexecnet's serializer with Python execnet's (bench/python/serializer.py)
# in one run, in about 75 s. Extra arguments go to the JVM, e.g. -Dexecnet.python=/path/to/python3, or
# -Dbench.quick=true for a run of seconds with short iterations.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-deps.sh
mvn -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am
exec java "$@" -jar bench/target/jexecnet-bench.jar
