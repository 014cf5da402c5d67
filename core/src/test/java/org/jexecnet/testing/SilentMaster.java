package org.jexecnet.testing;

import java.time.Duration;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;

/**
 * A master in a process of its own that a test stops with SIGSTOP: opens the gateway its argument
 * names, prints the worker's pid, then waits to be stopped and killed.
 */
public final class SilentMaster {
    private SilentMaster() {}

    public static void main(String[] args) throws Exception {
        Gateway gw = Execnet.makeGateway(args[0]);
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        System.in.read(); // until stopped and killed
    }
}
