#!/bin/sh
# netns.sh up|down PREFIX (root): two network namespaces, PREFIX-m (10.77.0.1, the master's host) and
# PREFIX-w (10.77.0.11, a worker host), joined by one veth pair. Nothing is added to the root
# namespace and neither namespace has a default route, so no test packet can leave the machine.
set -e
M=$2-m
W=$2-w
case "$1" in
up)
  ip netns add "$M"
  ip netns add "$W"
  ip -n "$M" link set lo up
  ip -n "$W" link set lo up
  ip link add vm netns "$M" type veth peer name vw netns "$W"
  ip -n "$M" addr add 10.77.0.1/24 dev vm
  ip -n "$W" addr add 10.77.0.11/24 dev vw
  ip -n "$M" link set vm up
  ip -n "$W" link set vw up
  ;;
down)
  ip netns del "$M" 2>/dev/null || true
  ip netns del "$W" 2>/dev/null || true
  # ip netns leaves /run/netns mounted; remove it when no namespace is left in it
  if [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ]; then umount /run/netns 2>/dev/null || true; rmdir /run/netns 2>/dev/null || true; fi
  ;;
*) echo "usage: netns.sh up|down PREFIX" >&2; exit 2 ;;
esac
