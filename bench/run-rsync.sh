#!/usr/bin/env bash
# Compares jexecnet's RSync with `rsync -a` and Python execnet's RSync (b7_rsync.py) on a 117 MB tree in
# /dev/shm, plus a 100 MB file with 1 MiB changed (about 35 s). Arguments: repetitions (default 5), scripts dir.
exec "$(dirname "$0")/run-class.sh" RSyncComparison "$@"
