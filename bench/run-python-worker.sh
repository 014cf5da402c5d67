#!/usr/bin/env bash
# A Java master and a Python master, each driving Python execnet's own popen worker, in one run
# (bench/python/pingpong.py and oneway.py). Extra arguments go to the JVM, e.g. -Dexecnet.python=/path/to/python3,
# or -Dbench.quick=true for small counts.
BENCH_JVM_ARGS="$*" exec "$(dirname "$0")/run-class.sh" PythonWorkerComparison
