package org.jexecnet.internal.convert;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Converts a number to another numeric type when the target holds exactly the same number, and
 * refuses otherwise: an {@code Integer} becomes a {@code Long}, a {@code Long} an {@code Integer} when
 * in range, a {@code Double} of 3.0 an {@code Integer} 3, an {@code Integer} a {@code Double}; 2.5 never
 * becomes an integer, nor 2<sup>53</sup>+1 a {@code Double}.
 *
 * <p>The serializer gives the narrowest integer type (Python has one {@code int}), so a {@code long}
 * sent arrives as an {@code Integer} when it is small: this is what lets a receiver ask for the type it
 * means.
 */
final class ExactNumbers {
    private ExactNumbers() {}

    /** The largest magnitude a double holds exactly together with every integer below it. */
    private static final long DOUBLE_EXACT = 1L << 53;
    private static final long FLOAT_EXACT = 1L << 24;

    /**
     * The number as {@code target}, one of the boxed numeric types, {@code BigInteger},
     * {@code BigDecimal} or {@code Number}.
     *
     * @param expected the target's name for the message, such as {@code int}
     * @throws Mismatch when the target cannot hold the same number
     */
    static Object convert(Number value, Class<?> target, String expected) {
        if (target.isInstance(value)) {
            return value;
        }
        if (isSmallIntegral(value)) {
            Object fast = fromLong(value.longValue(), target);
            if (fast != null) {
                return fast;
            }
        }
        BigDecimal exact = exact(value);
        if (exact == null) {
            return nonFinite(value, target, expected);
        }
        if (target == Double.class) {
            double d = exact.doubleValue();
            return requireSame(new BigDecimal(d), exact, d, value, expected);
        }
        if (target == Float.class) {
            float f = exact.floatValue();
            return Float.isInfinite(f) ? lost(value, expected) : requireSame(new BigDecimal(f), exact, f, value, expected);
        }
        if (target == BigDecimal.class) {
            return exact;
        }
        BigInteger whole;
        try {
            whole = exact.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw Mismatch.expected(expected, value, "which is not a whole number");
        }
        if (target == BigInteger.class) {
            return whole;
        }
        int bits = whole.bitLength();
        if (target == Long.class && bits <= 63) {
            return whole.longValue();
        }
        if (target == Integer.class && bits <= 31) {
            return whole.intValue();
        }
        if (target == Short.class && bits <= 15) {
            return whole.shortValue();
        }
        if (target == Byte.class && bits <= 7) {
            return whole.byteValue();
        }
        return lost(value, expected);
    }

    private static boolean isSmallIntegral(Number value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    /** The common cases without BigDecimal: a long to another integer type, or to a floating type that holds it. */
    private static Object fromLong(long v, Class<?> target) {
        if (target == Long.class) {
            return v;
        }
        if (target == Integer.class && v == (int) v) {
            return (int) v;
        }
        if (target == Short.class && v == (short) v) {
            return (short) v;
        }
        if (target == Byte.class && v == (byte) v) {
            return (byte) v;
        }
        if (target == BigInteger.class) {
            return BigInteger.valueOf(v);
        }
        if (target == Double.class && Math.abs(v) <= DOUBLE_EXACT) {
            return (double) v;
        }
        if (target == Float.class && Math.abs(v) <= FLOAT_EXACT) {
            return (float) v;
        }
        return null; // out of range, or needs the exact check
    }

    /** The exact value, or null for NaN and the infinities (and for Number types of unknown precision). */
    private static BigDecimal exact(Number value) {
        if (isSmallIntegral(value)) {
            return BigDecimal.valueOf(value.longValue());
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return null;
    }

    /** NaN and the infinities are floats of either width; no other type holds them. */
    private static Object nonFinite(Number value, Class<?> target, String expected) {
        boolean floating = value instanceof Double || value instanceof Float;
        if (floating && target == Double.class) {
            return value.doubleValue();
        }
        if (floating && target == Float.class) {
            return value.floatValue();
        }
        if (floating) {
            throw Mismatch.expected(expected, value, "which is not a finite number");
        }
        throw Mismatch.expected(expected, value);
    }

    private static Object requireSame(BigDecimal converted, BigDecimal exact, Object result, Number value, String expected) {
        if (converted.compareTo(exact) != 0) {
            throw Mismatch.expected(expected, value, "which " + expected + " cannot hold exactly");
        }
        return result;
    }

    private static Object lost(Number value, String expected) {
        throw Mismatch.expected(expected, value, "which " + expected + " cannot hold");
    }
}
