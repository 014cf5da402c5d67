#!/usr/bin/python3
"""Python execnet's ssh gateway, the reference for SshComparison: makegateway to first item, then exit.

usage: ssh_first_item.py SPEC REPS   -- prints one 'first_item_ms X' line per repetition
"""
import sys
import time
import execnet

spec, reps = sys.argv[1], int(sys.argv[2])
for _ in range(reps):
    t0 = time.perf_counter()
    gw = execnet.makegateway(spec)
    channel = gw.remote_exec("channel.send(1)")
    assert channel.receive(60) == 1
    t1 = time.perf_counter()
    gw.exit()
    gw.join(30)
    print("first_item_ms %.3f" % ((t1 - t0) * 1e3), flush=True)
