#!/usr/bin/env bash
# Compares jexecnet's popen gateways and channels with Python execnet's (bench/python: startup, pingpong,
# oneway, bulk; bench/limits/limits.sh for the machine's limits) in one run, in about 4 minutes. Extra
# arguments go to the JVM, e.g. -Dexecnet.python=/path/to/python3, or -Dbench.quick=true for a run of about a
# minute with small counts (figures that mean nothing, but every part runs).
ALSO_NEEDS="gcc=gcc taskset=util-linux" BENCH_JVM_ARGS="$*" exec "$(dirname "$0")/run-class.sh" GatewayComparison
