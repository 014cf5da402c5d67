#!/usr/bin/env bash
# Compares jexecnet's ssh gateway with Python execnet's over one private sshd on a loopback port (root;
# about 40 s). Argument: the number of rounds (default 5, 3 repetitions per side each).
exec "$(dirname "$0")/run-class.sh" SshComparison "$@"
