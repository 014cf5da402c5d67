"""Popen gateways: makegateway to the first item and exit to reaped, one at a time; then 8 made one after
the other in a Group, one item from each, and terminated. All results in milliseconds.

usage: startup.py [REPS=15] [GROUP_REPS=5]    (the first single gateway is an unmeasured warm-up)
"""
import execnet
from results import Budget, argument, banner, clock, report

reps, group_reps = argument(1, 15), argument(2, 5)
budget = Budget(90)
banner()
millis = {}  # result name -> samples, in the order they are reported


def sample(name, seconds):
    millis.setdefault(name, []).append(seconds * 1e3)


for rep in range(reps + 1):
    if budget.spent():
        break
    start = clock()
    gateway = execnet.makegateway("popen")
    made = clock()
    channel = gateway.remote_exec("channel.send(1)")
    assert channel.receive() == 1
    first_item = clock()
    channel.waitclose()
    exiting = clock()
    gateway.exit()
    exit_returned = clock()
    gateway.join()
    gateway._io.wait()  # the child process is reaped
    reaped = clock()
    if rep:
        sample("popen.makegateway", made - start)
        sample("popen.makegateway_to_first_item", first_item - start)
        sample("popen.exit_call", exit_returned - exiting)
        sample("popen.exit_until_reaped", reaped - exiting)

for rep in range(group_reps):
    if budget.spent():
        break
    group = execnet.Group()
    start = clock()
    for _ in range(8):
        group.makegateway("popen")
    assert group.remote_exec("channel.send(1)").receive_each() == [1] * 8
    up = clock()
    group.terminate(timeout=10)
    end = clock()
    sample("group8.start_sequential_and_first_item", up - start)
    sample("group8.terminate", end - up)
    sample("group8.total", end - start)

for name, values in millis.items():
    report(name, values, "ms")
