"""The first remote_exec on a fresh popen gateway (after one of 'pass'), of a function and of source text.

usage: first_exec.py [REPS=11]    (one unmeasured warm-up gateway first)
execnet reads a function's source from its file, which is why this runs from a file.
"""
import execnet
from results import argument, banner, clock, report

reps = argument(1, 11)
banner()


def answer(channel):
    channel.send(1)


def first_exec(code):
    millis = []
    for rep in range(reps + 1):
        gateway = execnet.makegateway("popen")
        gateway.remote_exec("pass").waitclose()
        start = clock()
        assert gateway.remote_exec(code).receive() == 1
        if rep:
            millis.append((clock() - start) * 1e3)
        gateway.exit()
        gateway.join()
    return millis


report("first_exec.function", first_exec(answer), "ms")
report("first_exec.source", first_exec("channel.send(1)"), "ms")
