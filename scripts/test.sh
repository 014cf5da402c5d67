#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need when it is missing
# (Maven, a JDK, Debian's python3-execnet for /usr/bin/python3), then runs every module's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
exec mvn -B verify "$@"
