package org.jexecnet.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jexecnet.Complex;
import org.jexecnet.FrozenSet;
import org.jexecnet.Tuple;

/**
 * Seeded random values of every serializer type, nested up to a given depth, and only values Python
 * can write back (no integer below -2^31, which Python reads but cannot write). Dictionary keys and set
 * elements are drawn only from types whose Python equality matches Java's (no bool, float or
 * Integer/Long twins), so that Python keeps exactly the entries Java wrote.
 */
public final class RandomValues {
    private final Random random;
    private final int maxDepth;

    public RandomValues(long seed, int maxDepth) {
        this.random = new Random(seed);
        this.maxDepth = maxDepth;
    }

    public Object next() {
        return value(0);
    }

    private Object value(int depth) {
        int kinds = depth >= maxDepth ? 12 : 18;
        switch (random.nextInt(kinds)) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return smallInt();
            case 3: return edgeInt();
            case 4: return bigInt();
            case 5: return randomDouble();
            case 6: return new Complex(randomDouble(), randomDouble());
            case 7: return bytes();
            case 8: case 9: return string();
            case 10: return (short) random.nextInt(1 << 16);
            case 11: return random.nextLong() >>> 1;
            case 12: case 13: return list(depth);
            case 14: return Tuple.copyOf(list(depth));
            case 15: return map(depth);
            case 16: return set(depth, false);
            default: return set(depth, true);
        }
    }

    private Object smallInt() {
        return random.nextInt(2001) - 1000;
    }

    private Object edgeInt() {
        long[] edges = {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, 0, -1, 1L << 32, Long.MAX_VALUE};
        long v = edges[random.nextInt(edges.length)];
        return v == (int) v ? (Object) (int) v : (Object) v;
    }

    /** Integers beyond int32 on the positive side: Python cannot write those below -2^31. */
    private Object bigInt() {
        BigInteger big = new BigInteger(64 + random.nextInt(400), random);
        return big.bitLength() <= 63 ? (Object) big.longValue() : big;
    }

    /** Integers within Python's equality-safe range, narrowest type, as loads gives them. */
    private Object keyInt() {
        long v = random.nextBoolean() ? random.nextInt() : random.nextLong();
        if (v < Integer.MIN_VALUE) {
            v = -v;
        }
        return v == (int) v ? (Object) (int) v : (Object) v;
    }

    private double randomDouble() {
        switch (random.nextInt(6)) {
            case 0: return Double.NaN;
            case 1: return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2: return random.nextBoolean() ? 0.0 : -0.0;
            case 3: return Double.longBitsToDouble(random.nextLong() & ~0x7ff0000000000000L); // subnormal
            default: return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(600) - 300);
        }
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Two empty byte[] are different Java set elements but the same Python one: keep keys non-empty. */
    private byte[] nonEmptyBytes() {
        byte[] bytes = new byte[1 + random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String string() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(20);
        for (int i = 0; i < length; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0: cp = 0x20 + random.nextInt(0x5f); break;
                case 1: cp = random.nextInt(0x800); break;
                case 2: cp = 0x10000 + random.nextInt(0x10ffff - 0x10000); break;
                default: cp = random.nextInt(0xd800); break;
            }
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    private List<Object> list(int depth) {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            list.add(value(depth + 1));
        }
        return list;
    }

    private Map<Object, Object> map(int depth) {
        Map<Object, Object> map = new LinkedHashMap<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            map.put(hashable(depth + 1), value(depth + 1));
        }
        return map;
    }

    private Set<Object> set(int depth, boolean frozen) {
        Set<Object> set = new LinkedHashSet<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            set.add(hashable(depth + 1));
        }
        return frozen ? FrozenSet.copyOf(set) : set;
    }

    private Object hashable(int depth) {
        int kinds = depth >= maxDepth ? 4 : 6;
        switch (random.nextInt(kinds)) {
            case 0: return string();
            case 1: return keyInt();
            case 2: return nonEmptyBytes();
            case 3: return random.nextBoolean() ? null : new Complex(random.nextInt(9) + 0.5, 1);
            case 4: {
                int size = random.nextInt(4);
                Object[] items = new Object[size];
                for (int i = 0; i < size; i++) {
                    items[i] = hashable(depth + 1);
                }
                return Tuple.of(items);
            }
            default: {
                Set<Object> set = new LinkedHashSet<>();
                int size = random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    set.add(hashable(depth + 1));
                }
                return FrozenSet.copyOf(set);
            }
        }
    }
}
