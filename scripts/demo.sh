#!/usr/bin/env bash
# The demo: builds jexecnet when needed (tests skipped; scripts/test.sh runs them) and runs `jexecnet demo`: a
# worker JVM per core counting the primes below 5,000,000, tasks handed out as workers ask, results through one
# queue. Arguments go to the demo, e.g. --limit 20000000 --workers 4 (see scripts/jexecnet demo --help).
set -euo pipefail
exec "$(dirname "$0")/jexecnet" demo "$@"
