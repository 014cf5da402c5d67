"""Channel round trip: the master sends a small int, the remote sends it back.

usage: pingpong.py [N=10000] [REPS=5]    (after 1,000 unmeasured round trips)
"""
import execnet
from results import Budget, argument, banner, clock, report

n, reps = argument(1, 10000), argument(2, 5)
budget = Budget(120)
banner()

gateway = execnet.makegateway("popen")
channel = gateway.remote_exec("for item in channel:\n    channel.send(item)")
for i in range(1000):
    channel.send(i)
    assert channel.receive() == i
micros = []
for rep in range(reps):
    if budget.spent():
        break
    start = clock()
    for i in range(n):
        channel.send(i)
        channel.receive()
    micros.append((clock() - start) / n * 1e6)
channel.close()
channel.waitclose()
gateway.exit()
gateway.join()
report("pingpong.round_trip_%dk" % (n // 1000), micros, "us")
report("pingpong.round_trips_per_s", [1e6 / us for us in micros], "rt/s")
