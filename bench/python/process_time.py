"""A whole process timed from outside, from start until reaped, with its CPU time (user + system).

usage: process_time.py NAME RUNS -- COMMAND [ARG ...]
One unmeasured run first, then RUNS measured ones; stdin, stdout and stderr are /dev/null. A run that
takes longer than 120 s is killed. Prints NAME.wall and NAME.cpu in milliseconds.
"""
import os
import subprocess
import sys
import threading

from results import clock, report

name, runs = sys.argv[1], int(sys.argv[2])
command = sys.argv[sys.argv.index("--") + 1:]
wall, cpu = [], []
for run in range(runs + 1):
    start = clock()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    bound = threading.Timer(120, process.kill)
    bound.start()
    _, status, usage = os.wait4(process.pid, 0)  # reaps it and tells its CPU time, without polling
    elapsed = clock() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped: kill() must not signal the pid again
    bound.cancel()
    if run:
        wall.append(elapsed * 1e3)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1e3)
report(name + ".wall", wall, "ms")
report(name + ".cpu", cpu, "ms")
