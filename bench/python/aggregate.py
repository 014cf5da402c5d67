"""Reads `NAME: VALUE UNIT` lines, one per run, on stdin and reports each name's median over the runs.

usage: COMMAND | aggregate.py [PREFIX]    (PREFIX goes before every name)
"""
import sys

from results import report

prefix = sys.argv[1] if len(sys.argv) > 1 else ""
samples = {}
for line in sys.stdin:
    name, colon, rest = line.partition(":")
    words = rest.split()
    if not colon or line.startswith("#") or not words:
        continue
    try:
        value = float(words[0])
    except ValueError:
        continue
    samples.setdefault((prefix + name.strip(), words[1] if len(words) > 1 else ""), []).append(value)
for (name, unit), values in samples.items():
    report(name, values, unit)
