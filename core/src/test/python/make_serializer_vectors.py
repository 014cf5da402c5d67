"""Writes the serializer's test vectors: what Python execnet itself makes of each value and each input.

Regenerate (from the repository's root, with the Python that has execnet, Debian's python3-execnet):

    /usr/bin/python3 core/src/test/python/make_serializer_vectors.py

It overwrites core/src/test/resources/org/jexecnet/serializer-vectors.json, which SerializerVectorsTest
reads from the class path. The output depends only on this script and on execnet's version, so running
it again gives the same file; commit the file with the change that made it differ.

Three sections:
  values      values of every type and their edge cases: the bytes execnet.dumps writes (execnet 1.x's
              version byte) and the payload form of messages (dumps_internal, no version byte)
  loads_only  inputs Python 3 never writes (Python 2's opcodes, the sign forms of big integers), and what
              execnet.loads gives for them under each string-coercion flag
  malformed   hostile or corrupt inputs, each with why it is wrong and what execnet did with it; jexecnet
              refuses every one with a LoadException, also those execnet lets through (noted as such)

A value is written as a JSON object of one key naming its Python type, so that the Java side rebuilds
exactly that type: {"none": null}, {"bool": true}, {"int": "123"} (decimal text), {"float": "3ff8..."}
(the 16 hex digits of the IEEE 754 bits, exact for every NaN and signed zero), {"complex": [re, im]}
(bits likewise), {"bytes": "hex"}, {"str": "text"}, {"list": [...]}, {"tuple": [...]}, {"set": [...]}
and {"frozenset": [...]} (items in the order execnet writes them), {"dict": [[key, value], ...]}.
"""
import json
import math
import os
import platform
import resource
import struct
import sys

import execnet
from execnet import gateway_base

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "resources", "org", "jexecnet", "serializer-vectors.json")
INT32_MAX = 2**31 - 1


def tag(value):
    """The value as one-key JSON objects, down to its last item."""
    if value is None:
        return {"none": None}
    kind = type(value)
    if kind is bool:
        return {"bool": value}
    if kind is int:
        return {"int": str(value)}
    if kind is float:
        return {"float": bits(value)}
    if kind is complex:
        return {"complex": [bits(value.real), bits(value.imag)]}
    if kind is bytes:
        return {"bytes": value.hex()}
    if kind is str:
        return {"str": value}
    if kind is list:
        return {"list": [tag(item) for item in value]}
    if kind is tuple:
        return {"tuple": [tag(item) for item in value]}
    if kind is set:
        return {"set": [tag(item) for item in value]}
    if kind is frozenset:
        return {"frozenset": [tag(item) for item in value]}
    if kind is dict:
        return {"dict": [[tag(k), tag(v)] for k, v in value.items()]}
    raise TypeError("no tag for %r" % (kind,))


def bits(number):
    return struct.pack("!d", number).hex()


def values():
    """Every type, the boundaries of each integer form, floats that text would lose, text in many scripts."""
    ints = [0, 1, -1, 7, -7, 255, 256, 65535, 65536, INT32_MAX, -INT32_MAX, -2**31,
            2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 3**200]
    floats = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, 0.1, 1 / 3, math.pi, -math.e, 1e300, -1e-300,
              5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2.0**53,
              float("nan"), float("inf"), float("-inf")]
    complexes = [0j, 1j, complex(1.5, -2.0), complex(-0.0, 0.0), complex(1e-300, 1e300),
                 complex(float("inf"), float("-inf"))]
    byte_strings = [b"", b"\x00", b"abc", bytes(range(256)), b"\xff" * 70]
    texts = ["", "a", "execnet", "caf\u00e9", "\u00fc\u00df\u00e4", "\u65e5\u672c\u8a9e", "\u0416\u0436",
             "\U0001F600 and \U0001D11E", "\x00 nul, \t tab, \n newline", "\u20ac" * 40, "x" * 300,
             "\ufeffbom", "\uffff"]
    containers = [
        [], [None], [1, 2, 3], [[]], [[1], [2, [3]]], list(range(70)),
        [None, True, False, 1.5, "s", b"b", 2**40, 1j],
        (), (1,), (1, 2), ((),), ((1, 2), (3, (4, 5))), (None, "a", b"b", [1], {}, set()),
        set(), {1}, {1, 2, 3}, {"a"}, {(1, 2)}, {frozenset({1})}, {True, 2.5, "z"},
        frozenset(), frozenset({1}), frozenset({"x", "y"}), frozenset({(1, "a")}),
        {}, {"a": 1}, {1: "x", "y": [None]}, {(1, 2): 3}, {frozenset({1}): "frozen key"},
        {None: None, True: False, 2.5: b"", b"k": ()},
        {"nested": {"deeper": {"deepest": [1, (2, {3})]}}},
        {str(i): i for i in range(30)},
        [2**31 - 1, -2**31, 2**31, -1, 2**100],
        ("every type", None, True, 1, 2**70, 2.5, 1j, b"\x01", "s", [2], (3,), {4}, frozenset({5}), {6: 7}),
    ]
    nested = [1]
    for _ in range(40):
        nested = [nested]
    return ([None, True, False] + ints + floats + complexes + byte_strings + texts + containers
            + [nested])


def vector(value):
    dumps = execnet.dumps(value)
    loaded = execnet.loads(dumps)
    assert loaded == value or repr(loaded) == repr(value), value  # repr: NaN equals nothing
    return {
        "python": repr(value),
        "value": tag(value),
        "dumps": dumps.hex(),
        "payload": gateway_base.dumps_internal(value).hex(),
    }


def op(code):
    return code.encode("ascii")


def int4(n):
    return struct.pack("!i", n)


def text(opcode, raw):
    return op(opcode) + int4(len(raw)) + raw


# Python 2's opcodes: G int fitting 32 bits (long), I big long as text, M str (bytes), S unicode.
# H (a Python 3 int as text) with forms Python 3 never writes: a sign, a value that fits 32 bits.
LOADS_ONLY = [
    ("G", op("G") + int4(42)),
    ("G negative", op("G") + int4(-5)),
    ("I", text("I", b"123")),
    ("I beyond 64 bits", text("I", b"123456789012345678901234567890")),
    ("I negative", text("I", b"-9223372036854775809")),
    ("H negative beyond 32 bits", text("H", b"-2147483649")),
    ("H that fits 32 bits", text("H", b"17")),
    ("H with a plus sign", text("H", b"+12")),
    ("M ASCII", text("M", b"abc")),
    ("M Latin-1", text("M", b"caf\xe9")),
    ("M empty", text("M", b"")),
    ("S", text("S", "h\u00e9llo \u65e5".encode("utf-8"))),
    ("M in a list", op("K") + int4(1) + op("F") + int4(0) + text("M", b"x") + op("P")),
    ("M as a dict key", op("J") + text("M", b"key") + op("G") + int4(1) + op("P")),
    ("M and S in a tuple", text("M", b"a") + text("S", b"b") + op("@") + int4(2)),
    ("M in a frozenset", text("M", b"f") + op("E") + int4(1)),
]

# Python 3's execnet ignores py3str_as_py2str, which only Python 2 reads; jexecnet gives it Python 2's
# meaning (N loads as the UTF-8 bytes). So the flag is varied only where no N opcode occurs.
FLAGS = [(False, False), (True, False), (False, True), (True, True)]


def loads_only():
    cases = []
    for name, body in LOADS_ONLY:
        data = gateway_base.DUMPFORMAT_VERSION + body + op("Q")
        for py2str_as_py3str, py3str_as_py2str in FLAGS:
            loaded = execnet.loads(data, py2str_as_py3str=py2str_as_py3str, py3str_as_py2str=py3str_as_py2str)
            cases.append({
                "name": name,
                "dumps": data.hex(),
                "py2str_as_py3str": py2str_as_py3str,
                "py3str_as_py2str": py3str_as_py2str,
                "python": repr(loaded),
                "loads": tag(loaded),
            })
    return cases


V1 = b"\x01"
STOP = op("Q")
NONE = op("L")
ONE = op("F") + int4(1)


def deep_lists(depth):
    return V1 + (op("K") + int4(1) + op("F") + int4(0)) * depth + NONE + op("P") * depth + STOP


MALFORMED = [
    ("empty input", b""),
    ("the version byte alone", V1),
    ("execnet 2.x's version byte alone", b"\x02"),
    ("unknown version byte 0x00", b"\x00" + NONE + STOP),
    ("unknown version byte 0x03", b"\x03" + NONE + STOP),
    ("unknown version byte 0xff", b"\xff" + NONE + STOP),
    ("no STOP", V1 + NONE),
    ("STOP with nothing on the stack", V1 + STOP),
    ("STOP with two values on the stack", V1 + NONE + NONE + STOP),
    ("unknown opcode 'Z'", V1 + op("Z") + STOP),
    ("unknown opcode 'U' (just past the last one)", V1 + op("U") + STOP),
    ("unknown opcode 0x00", V1 + b"\x00" + STOP),
    ("unknown opcode 0xff", V1 + b"\xff" + STOP),
    ("int cut short", V1 + op("F") + b"\x00\x00"),
    ("float cut short", V1 + op("D") + b"\x3f\xf0"),
    ("complex cut short", V1 + op("T") + bytes(12)),
    ("length prefix cut short", V1 + op("N") + b"\x00\x00"),
    ("str longer than the data", V1 + op("N") + int4(5) + b"a" + STOP),
    ("str of length 2^31-1", V1 + op("N") + int4(INT32_MAX) + b"a" + STOP),
    ("str of negative length", V1 + op("N") + int4(-1) + STOP),
    ("bytes of negative length", V1 + op("A") + int4(-2) + STOP),
    ("bytes of length 2^31-1", V1 + op("A") + int4(INT32_MAX) + STOP),
    ("Python 2 str of negative length", V1 + op("M") + int4(-1) + STOP),
    ("big integer without digits", V1 + text("H", b"") + STOP),
    ("big integer that is only a sign", V1 + text("H", b"-") + STOP),
    ("big integer text with a letter", V1 + text("H", b"12a4") + STOP),
    ("big integer of negative length", V1 + op("H") + int4(-3) + STOP),
    ("list of 2^31-1 items", V1 + op("K") + int4(INT32_MAX) + STOP),
    ("list of negative size", V1 + op("K") + int4(-1) + STOP),
    ("list of more items than bytes remain", V1 + op("K") + int4(3) + STOP),
    ("tuple of more items than the stack holds", V1 + NONE + op("@") + int4(2) + STOP),
    ("tuple of negative size", V1 + op("@") + int4(-1) + STOP),
    ("set of more items than the stack holds", V1 + ONE + op("O") + int4(3) + STOP),
    ("frozenset of negative size", V1 + op("E") + int4(-1) + STOP),
    ("SETITEM with an empty stack", V1 + op("P") + STOP),
    ("SETITEM with a key and no value", V1 + op("J") + NONE + op("P") + STOP),
    ("SETITEM into None", V1 + NONE + ONE + NONE + op("P") + STOP),
    ("SETITEM into a tuple", V1 + op("@") + int4(0) + ONE + NONE + op("P") + STOP),
    ("list index beyond its size", V1 + op("K") + int4(1) + op("F") + int4(5) + NONE + op("P") + STOP),
    ("list index that is a str", V1 + op("K") + int4(1) + text("N", b"0") + NONE + op("P") + STOP),
    ("dict key that is a list", V1 + op("J") + op("K") + int4(0) + NONE + op("P") + STOP),
    ("dict key that is a dict", V1 + op("J") + op("J") + NONE + op("P") + STOP),
    ("set item that is a list", V1 + op("K") + int4(0) + op("O") + int4(1) + STOP),
    ("frozenset item that is a set", V1 + op("O") + int4(0) + op("E") + int4(1) + STOP),
    ("str that is not UTF-8", V1 + text("N", b"\xc3\x28") + STOP),
    ("str with a lone surrogate in UTF-8", V1 + text("N", b"\xed\xa0\x80") + STOP),
    ("Python 2 unicode that is not UTF-8", V1 + text("S", b"\xff") + STOP),
    ("channel outside a gateway", V1 + op("B") + int4(1) + STOP),
    ("bytes after the STOP", V1 + NONE + STOP + NONE),
    ("lists nested 1,001 deep", deep_lists(1001)),
]


def malformed():
    cases = []
    for why, data in MALFORMED:
        case = {"why": why, "dumps": data.hex()}
        try:
            case["execnet_accepts"] = repr(execnet.loads(data))
        except Exception as e:  # what execnet raised, for the reader: jexecnet raises LoadException for all
            case["execnet_raises"] = ("%s: %s" % (type(e).__name__, e))[:200]
        cases.append(case)
    return cases


def one_entry_a_line(document):
    """JSON with each vector on a line of its own, so that a change shows as the vectors it touches."""
    parts = []
    for key, content in document.items():
        if isinstance(content, list):
            entries = ",\n  ".join(json.dumps(entry, ensure_ascii=True) for entry in content)
            parts.append(" %s: [\n  %s\n ]" % (json.dumps(key), entries))
        else:
            parts.append(" %s: %s" % (json.dumps(key), json.dumps(content, ensure_ascii=True)))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # A set is written in the order of its strings' hashes, which change with each run unless fixed.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    # execnet believes the count of a list: [None] * 2**31 would take 16 GiB. Bounded, it raises MemoryError.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    document = {
        "generator": "core/src/test/python/make_serializer_vectors.py",
        "execnet": execnet.__version__,
        "python": platform.python_version(),
        "regenerate": "/usr/bin/python3 core/src/test/python/make_serializer_vectors.py",
        "values": [vector(v) for v in values()],
        "loads_only": loads_only(),
        "malformed": malformed(),
    }
    path = os.path.normpath(OUTPUT)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii") as out:
        out.write(one_entry_a_line(document))
    print("wrote %s: %d values, %d loads-only cases, %d malformed inputs"
          % (path, len(document["values"]), len(document["loads_only"]), len(document["malformed"])),
          file=sys.stderr)


if __name__ == "__main__":
    main()
