package org.jexecnet.internal.protocol;

import java.time.Duration;

/**
 * The API's one rule for timeouts (the package documentation of {@code org.jexecnet} states it): a
 * null timeout is refused, naming the parameter; zero or a negative one means "do not wait"; one
 * longer than a century, such as {@code ChronoUnit.FOREVER.getDuration()}, means "no limit". Capping
 * there keeps every deadline ({@code System.nanoTime()} plus the timeout) free of overflow.
 */
public final class Timeouts {
    private Timeouts() {}

    /** Longer than this is "no limit": a century of nanoseconds leaves room below {@code Long.MAX_VALUE}. */
    private static final long NO_LIMIT_NANOS = Duration.ofDays(36_525).toNanos();

    /**
     * The timeout in nanoseconds, from 0 up to a century.
     *
     * @param parameter the parameter's name, for the message
     * @throws NullPointerException when the timeout is null
     */
    public static long nanos(Duration timeout, String parameter) {
        if (timeout == null) {
            throw new NullPointerException(parameter + " is null: give a Duration (ChronoUnit.FOREVER.getDuration() for no limit)");
        }
        if (timeout.isNegative()) {
            return 0;
        }
        return timeout.compareTo(Duration.ofNanos(NO_LIMIT_NANOS)) >= 0 ? NO_LIMIT_NANOS : timeout.toNanos();
    }

    /** As {@link #nanos}, for the parameter named {@code timeout}. */
    public static long nanos(Duration timeout) {
        return nanos(timeout, "timeout");
    }

    /** The timeout as a {@code Duration} within the rule's bounds, for code that takes one. */
    public static Duration bounded(Duration timeout) {
        return Duration.ofNanos(nanos(timeout));
    }
}
