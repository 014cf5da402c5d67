package org.jexecnet.junit.internal.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time of this JVM, all its threads (the tests', the JIT's, the collector's): what tells a unit
 * that keeps the processors busy from one that mostly waits, which the master's schedule starts early.
 */
final class CpuTime {
    private CpuTime() {}

    /** Nanoseconds of CPU this JVM has used, or -1 when it does not say (a JVM without {@code com.sun.management}). */
    static long ofThisJvm() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot.getProcessCpuTime() : -1;
    }
}
