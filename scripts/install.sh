#!/usr/bin/env bash
# Puts jexecnet into the local Maven repository (~/.m2) for projects that depend on org.jexecnet:jexecnet:
# the core jar with its sources and Javadoc jars, and the other modules. Installs a JDK and Maven when they are
# missing; tests are skipped (scripts/test.sh runs them). Arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
exec mvn -B install -DskipTests "$@"
