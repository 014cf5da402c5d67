"""The memory of an idle popen worker: one that has run a single remote_exec, the one that tells its pid.

usage: idle_worker_rss.py [REPS=5]    prints `rss VmRSS RssAnon RssFile` (kB) for each fresh worker
"""
import execnet
from results import argument

for _ in range(argument(1, 5)):
    group = execnet.Group()
    try:
        channel = group.makegateway("popen").remote_exec("import os; channel.send(os.getpid())")
        pid = channel.receive(60)
        channel.waitclose(60)
        with open("/proc/%d/status" % pid) as status:
            fields = dict(line.split(":", 1) for line in status)
        print("rss " + " ".join(fields[key].split()[0] for key in ("VmRSS", "RssAnon", "RssFile")), flush=True)
    finally:
        group.terminate(timeout=10)
