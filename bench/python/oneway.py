"""Small messages one way: the remote sends N ints to the master; then the master sends N ints, the remote
counts them and answers with the count after a None.

usage: oneway.py [N=200000] [REPS=5]    (each direction's first repetition is an unmeasured warm-up)
"""
import execnet
from results import Budget, argument, banner, clock, report

SEND_N = """
count = channel.receive()
for i in range(count):
    channel.send(i)
"""
COUNT = """
received = 0
while channel.receive() is not None:
    received += 1
channel.send(received)
"""

n, reps = argument(1, 200000), argument(2, 5)
budget = Budget(150)
banner()
gateway = execnet.makegateway("popen")

to_master = []
for rep in range(reps + 1):
    if budget.spent():
        break
    channel = gateway.remote_exec(SEND_N)
    start = clock()
    channel.send(n)
    for _ in range(n):
        channel.receive()
    elapsed = clock() - start
    channel.waitclose()
    if rep:
        to_master.append(n / elapsed)

to_remote = []
for rep in range(reps + 1):
    if budget.spent():
        break
    channel = gateway.remote_exec(COUNT)
    start = clock()
    for i in range(n):
        channel.send(i)
    channel.send(None)
    assert channel.receive() == n
    elapsed = clock() - start
    channel.waitclose()
    if rep:
        to_remote.append(n / elapsed)

gateway.exit()
gateway.join()
report("oneway.remote_to_master_%dk_ints" % (n // 1000), to_master, "msg/s")
report("oneway.master_to_remote_%dk_ints" % (n // 1000), to_remote, "msg/s")
