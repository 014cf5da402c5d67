"""The Python execnet side of the compatibility tests.

Frames on stdin and stdout are a 4-byte big-endian length and that many bytes.

  execnet_peer.py echo            for each frame: loads it with execnet, then answers with
                                  dumps((redumped bytes or None, repr(value), error text or None))
  execnet_peer.py generate N SEED writes N frames, each execnet.dumps of a random value

Run with the interpreter that has execnet (Debian's python3-execnet: /usr/bin/python3).
"""
import random
import struct
import sys

import execnet


def read_frames(stream):
    while True:
        head = stream.read(4)
        if not head:
            return
        (length,) = struct.unpack("!i", head)
        yield stream.read(length)


def write_frame(stream, data):
    stream.write(struct.pack("!i", len(data)))
    stream.write(data)


def echo():
    out = sys.stdout.buffer
    for frame in read_frames(sys.stdin.buffer):
        try:
            value = execnet.loads(frame)
        except Exception as e:  # report, do not die: the Java side names the failing value
            write_frame(out, execnet.dumps((None, None, "loads: %r" % e)))
            continue
        try:
            write_frame(out, execnet.dumps((execnet.dumps(value), repr(value), None)))
        except Exception as e:
            write_frame(out, execnet.dumps((None, repr(value), "dumps: %r" % e)))
    out.flush()


class Generator:
    """Random values of every type execnet writes, nested up to max_depth."""

    def __init__(self, seed, max_depth=6):
        self.r = random.Random(seed)
        self.max_depth = max_depth

    def string(self):
        chars = []
        for _ in range(self.r.randrange(20)):
            kind = self.r.randrange(4)
            if kind == 0:
                cp = self.r.randrange(0x20, 0x7F)
            elif kind == 1:
                cp = self.r.randrange(0x800)
            elif kind == 2:
                cp = self.r.randrange(0x10000, 0x110000)
            else:
                cp = self.r.randrange(0xD800)
            chars.append(chr(cp))
        return "".join(chars)

    def double(self):
        kind = self.r.randrange(6)
        if kind == 0:
            return float("nan")
        if kind == 1:
            return self.r.choice([float("inf"), float("-inf")])
        if kind == 2:
            return self.r.choice([0.0, -0.0])
        if kind == 3:
            return struct.unpack("!d", struct.pack("!Q", self.r.getrandbits(52)))[0]
        return (self.r.random() - 0.5) * 10.0 ** self.r.randrange(-300, 300)

    def integer(self):
        kind = self.r.randrange(3)
        if kind == 0:
            return self.r.randrange(-1000, 1001)
        if kind == 1:
            return self.r.choice([2**31 - 1, -(2**31), 2**31, 0, -1, 2**32, 2**63 - 1, 2**63])
        # beyond int32 on the positive side only: Python cannot write ints below -2**31
        return self.r.getrandbits(self.r.randrange(32, 500)) + 2**31

    def hashable(self, depth):
        kind = self.r.randrange(4 if depth >= self.max_depth else 6)
        if kind == 0:
            return self.string()
        if kind == 1:
            return self.integer()
        if kind == 2:
            return bytes(self.r.getrandbits(8) for _ in range(self.r.randrange(40)))
        if kind == 3:
            return self.r.choice([None, True, False, 2.5, complex(1, -1)])
        if kind == 4:
            return tuple(self.hashable(depth + 1) for _ in range(self.r.randrange(4)))
        return frozenset(self.hashable(depth + 1) for _ in range(self.r.randrange(3)))

    def value(self, depth=0):
        kind = self.r.randrange(10 if depth >= self.max_depth else 16)
        if kind == 0:
            return None
        if kind == 1:
            return self.r.random() < 0.5
        if kind in (2, 3):
            return self.integer()
        if kind == 4:
            return self.double()
        if kind == 5:
            return complex(self.double(), self.double())
        if kind == 6:
            return bytes(self.r.getrandbits(8) for _ in range(self.r.randrange(40)))
        if kind in (7, 8, 9):
            return self.string()
        size = self.r.randrange(6)
        if kind in (10, 11):
            return [self.value(depth + 1) for _ in range(size)]
        if kind == 12:
            return tuple(self.value(depth + 1) for _ in range(size))
        if kind == 13:
            return {self.hashable(depth + 1): self.value(depth + 1) for _ in range(size)}
        if kind == 14:
            return {self.hashable(depth + 1) for _ in range(size)}
        return frozenset(self.hashable(depth + 1) for _ in range(size))


def generate(count, seed):
    out = sys.stdout.buffer
    gen = Generator(seed)
    for _ in range(count):
        write_frame(out, execnet.dumps(gen.value()))
    out.flush()


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        echo()
    elif sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit("usage: execnet_peer.py echo | generate N SEED")
