#!/usr/bin/env bash
# Compares jexecnet's RSync with `rsync -a` and Python execnet's RSync (bench/python/rsync_tree.py) on a 117 MB
# tree in /dev/shm, plus a 100 MB file with 1 MiB changed (about 35 s). Argument: repetitions (default 5).
ALSO_NEEDS="rsync=rsync" exec "$(dirname "$0")/run-class.sh" RSyncComparison "$@"
