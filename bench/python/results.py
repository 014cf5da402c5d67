"""How the reference scripts measure and report, shared by all of them.

Each result is one line, `NAME: MEDIAN UNIT  [min LOW, max HIGH, n=COUNT, spread PERCENT%]`, the median of
the repetitions; the Java benchmarks parse these lines (two spaces before the bracket) and print their own
results the same way. Run the scripts with the Python that has execnet (Debian's python3-execnet:
/usr/bin/python3).
"""
import statistics
import sys
import time

clock = time.perf_counter


def figure(value):
    """Three significant digits below 10, one decimal below 100, whole numbers above."""
    if abs(value) >= 100:
        return "%.0f" % value
    if abs(value) >= 10:
        return "%.1f" % value
    return "%.3g" % value


def report(name, samples, unit):
    samples = list(samples)
    if not samples:
        print("# %s: no repetition finished within the time budget" % name, flush=True)
        return None
    median = statistics.median(samples)
    low, high = min(samples), max(samples)
    spread = (high - low) / median * 100 if median else 0.0
    print("%s: %s %s  [min %s, max %s, n=%d, spread %.0f%%]"
          % (name, figure(median), unit, figure(low), figure(high), len(samples), spread), flush=True)
    return median


def banner():
    import execnet

    print("# python %s (%s), execnet %s" % (sys.version.split()[0], sys.executable, execnet.__version__), flush=True)


def argument(index, default):
    """The script's INDEXth argument as an int, or the default."""
    return int(sys.argv[index]) if len(sys.argv) > index else default


class Budget:
    """A script stops starting repetitions once its time is spent, so that a slow machine ends it too."""

    def __init__(self, seconds):
        self.ends = clock() + seconds

    def spent(self):
        return clock() > self.ends
