package org.jexecnet.internal.protocol;

import java.time.Duration;

/** A clock that moves only when the test moves it, for a manual {@link TaskRunner}. */
final class FakeClock implements TaskRunner.Clock {
    private volatile long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(Duration by) {
        now += by.toNanos();
    }
}
