#!/usr/bin/env bash
# Compares jexecnet's popen gateways and channels with Python execnet's (b1-b4, and b8_limits.sh for the
# machine's limits) in one run, in about 3 minutes. Extra arguments go to the JVM, e.g.
# -Dexecnet.python=/path/to/python3.
BENCH_JVM_ARGS="$*" exec "$(dirname "$0")/run-class.sh" GatewayComparison ../shared/bench-execnet
