"""execnet.RSync against `rsync -a`, local to local, on a generated tree: DIRS directories of 50 files of
1-4 KiB and five files of BIG_MIB MiB (by default 5,000 small files and 117 MB in all). Each repetition,
execnet then rsync for each step: a full sync into empty destinations, a resync with nothing changed, a
resync after 1% of the small files got a new mtime (same content), and one after 1% were rewritten (same
size). Both destinations are compared with the source at the end; the tree is removed.

usage: rsync_tree.py [REPS=5] [BASE=/tmp/execnet-bench-rsync] [DIRS=100] [BIG_MIB=20]
"""
import os
import random
import shutil
import subprocess
import sys

import execnet
from results import Budget, argument, banner, clock, report

reps = argument(1, 5)
base = sys.argv[2] if len(sys.argv) > 2 else "/tmp/execnet-bench-rsync"
dirs, big_mib = argument(3, 100), argument(4, 20)
budget = Budget(240)
banner()

source = os.path.join(base, "src")
to_execnet = os.path.join(base, "dst_execnet")
to_rsync = os.path.join(base, "dst_rsync")
rng = random.Random(42)


def write(path, size):
    with open(path, "wb") as f:
        f.write(rng.randbytes(size))


def generate():
    shutil.rmtree(base, ignore_errors=True)
    small = []
    for d in range(dirs):
        folder = os.path.join(source, "dir%03d" % d)
        os.makedirs(folder)
        for f in range(50):
            path = os.path.join(folder, "file%02d.txt" % f)
            write(path, rng.randint(1024, 4096))
            small.append(path)
    for b in range(5):
        write(os.path.join(source, "big%d.bin" % b), big_mib << 20)
    return small


start = clock()
small = generate()
os.sync()
sizes = [os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(source) for f in files]
print("# tree of %d files, %d bytes, made in %.1f s: %s" % (len(sizes), sum(sizes), clock() - start, source), flush=True)


def execnet_sync(gateway):
    rsync = execnet.RSync(source, verbose=False)
    rsync.add_target(gateway, to_execnet)
    start = clock()
    rsync.send()
    return clock() - start


def rsync_a():
    start = clock()
    subprocess.run(["rsync", "-a", source + "/", to_rsync + "/"], check=True)
    return clock() - start


steps = ("full", "nochange", "touch", "modify")
times = {(tool, step): [] for tool in ("execnet", "rsync_a") for step in steps}
gateway_start = []


def step(name, gateway):
    times["execnet", name].append(execnet_sync(gateway))
    times["rsync_a", name].append(rsync_a())


for rep in range(reps):
    if budget.spent():
        break
    for dest in (to_execnet, to_rsync):
        shutil.rmtree(dest, ignore_errors=True)
    os.sync()
    start = clock()
    gateway = execnet.makegateway("popen")
    gateway_start.append(clock() - start)
    step("full", gateway)
    step("nochange", gateway)
    moment = 1_600_000_000 + rep * 1000
    for path in small[rep::100][:len(small) // 100]:
        os.utime(path, (moment, moment))
    step("touch", gateway)
    for path in small[rep + 50::100][:len(small) // 100]:
        write(path, os.path.getsize(path))
        # rsync sees a change by size and whole-second mtime: a quick run rewrites within the second it copied
        os.utime(path, (moment + 500, moment + 500))
    step("modify", gateway)
    gateway.exit()
    gateway.join()

for dest in (to_execnet, to_rsync):
    diff = subprocess.run(["diff", "-rq", source, dest], capture_output=True, text=True)
    assert diff.returncode == 0, diff.stdout[:500]
print("# diff -rq: both destinations equal the source", flush=True)

report("rsync.execnet.gateway_start", [s * 1e3 for s in gateway_start], "ms")
for name in steps:
    for tool in ("execnet", "rsync_a"):
        report("rsync.%s.%s" % (tool, name), [s * 1e3 for s in times[tool, name]], "ms")
for tool in ("execnet", "rsync_a"):
    report("rsync.%s.full.MBps" % tool, [sum(sizes) / 1e6 / s for s in times[tool, "full"]], "MB/s")
shutil.rmtree(base)
