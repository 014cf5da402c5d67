package org.jexecnet.junit;

/** How a suite is spread over the gateways, as pytest-xdist's {@code --dist}. */
public enum Distribution {
    /** Each test class runs once, on whichever worker is free: the suite is done sooner. */
    LOAD,
    /**
     * The whole suite runs on every gateway, each reported on its own: the same tests on JDK 17 and
     * JDK 25, or on two operating systems.
     */
    EACH
}
