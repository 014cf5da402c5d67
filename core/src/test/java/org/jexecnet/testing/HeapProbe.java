package org.jexecnet.testing;

import java.lang.management.ManagementFactory;
import org.jexecnet.Channel;

/** Remote code on a worker's own class path: sends the heap in use after a collection, in bytes. */
public final class HeapProbe {
    private HeapProbe() {}

    public static void run(Channel channel) {
        System.gc();
        channel.send(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
}
