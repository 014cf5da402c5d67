#!/usr/bin/env bash
# The soak: mixed traffic over 8 gateways with workers killed and replaced, sampling threads, fds, child
# processes and heap every 30 s (docs/reliability.md). Argument: minutes (default 10).
exec "$(dirname "$0")/run-class.sh" Soak "$@"
