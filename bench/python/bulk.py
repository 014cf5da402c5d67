"""Bulk data: MIB messages of 1 MiB of bytes to the remote, which answers with their total length; then
MIB messages of 1 MiB from the remote. MB/s with MB = 10^6 bytes.

usage: bulk.py [MIB=500] [REPS=5]    (each direction's first repetition is an unmeasured warm-up)
"""
import execnet
from results import Budget, argument, banner, clock, report

SUM_LENGTHS = """
count = channel.receive()
total = 0
for _ in range(count):
    total += len(channel.receive())
channel.send(total)
"""
SEND_BLOBS = """
count = channel.receive()
blob = bytes(range(256)) * 4096
for _ in range(count):
    channel.send(blob)
"""
MIB = 1 << 20

mib, reps = argument(1, 500), argument(2, 5)
budget = Budget(150)
banner()
gateway = execnet.makegateway("popen")
blob = bytes(range(256)) * (MIB // 256)
total_bytes = mib * MIB

to_remote = []
for rep in range(reps + 1):
    if budget.spent():
        break
    channel = gateway.remote_exec(SUM_LENGTHS)
    channel.send(mib)
    start = clock()
    for _ in range(mib):
        channel.send(blob)
    assert channel.receive() == total_bytes
    elapsed = clock() - start
    channel.waitclose()
    if rep:
        to_remote.append(total_bytes / 1e6 / elapsed)

to_master = []
for rep in range(reps + 1):
    if budget.spent():
        break
    channel = gateway.remote_exec(SEND_BLOBS)
    start = clock()
    channel.send(mib)
    received = sum(len(channel.receive()) for _ in range(mib))
    elapsed = clock() - start
    assert received == total_bytes
    channel.waitclose()
    if rep:
        to_master.append(total_bytes / 1e6 / elapsed)

gateway.exit()
gateway.join()
report("bulk.master_to_remote_1MiB_x%d" % mib, to_remote, "MB/s")
report("bulk.remote_to_master_1MiB_x%d" % mib, to_master, "MB/s")
