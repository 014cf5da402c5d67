#!/usr/bin/env bash
# A Java master and a Python master, each driving Python execnet's own popen worker, in one run
# (b2 round trip, b3 one-way). Extra arguments go to the JVM, e.g. -Dexecnet.python=/path/to/python3.
BENCH_JVM_ARGS="$*" exec "$(dirname "$0")/run-class.sh" PythonWorkerComparison ../shared/bench-execnet
