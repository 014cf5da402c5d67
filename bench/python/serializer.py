"""execnet.dumps and execnet.loads in this process: a list of 100,000 ints, a dict of 10,000 str keys to
str values, 10 MiB of bytes. Each repetition calls one function for at least MIN_SECONDS.

usage: serializer.py [REPS=7] [MIN_MILLIS=200]
Prints each case's serialized size as `# CASE: serialized size N bytes` before its results.
"""
import execnet
from results import Budget, argument, banner, clock, report

reps, min_seconds = argument(1, 7), argument(2, 200) / 1000
budget = Budget(90)
banner()

CASES = [
    ("list_100k_ints", list(range(100000)), 100000),
    ("dict_10k_str_str", {"key%05d" % i: "value-%d-%s" % (i, "x" * 10) for i in range(10000)}, 10000),
    ("bytes_10MiB", bytes(range(256)) * (10 * (1 << 20) // 256), 0),
]


def seconds_per_call(function, argument_):
    calls = 0
    start = clock()
    while True:
        function(argument_)
        calls += 1
        elapsed = clock() - start
        if elapsed >= min_seconds:
            return elapsed / calls


for name, value, items in CASES:
    data = execnet.dumps(value)
    assert execnet.loads(data) == value
    print("# %s: serialized size %d bytes" % (name, len(data)), flush=True)
    dumps, loads = [], []
    for _ in range(reps):
        if budget.spent():
            break
        dumps.append(seconds_per_call(execnet.dumps, value))
        loads.append(seconds_per_call(execnet.loads, data))
    for op, times in (("dumps", dumps), ("loads", loads)):
        prefix = "serializer.%s.%s" % (op, name)
        report(prefix, [1 / t for t in times], "ops/s")
        report(prefix + ".MBps", [len(data) / 1e6 / t for t in times], "MB/s")
        if items:
            report(prefix + ".items", [items / t for t in times], "items/s")
