package org.jexecnet.testing;

import java.time.Duration;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;

/** A master in a process of its own, for tests that kill the master: prints its worker's pid, then waits. */
public final class MasterProcess {
    private MasterProcess() {}

    public static void main(String[] args) throws Exception {
        Gateway gw = Execnet.makeGateway();
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        System.in.read(); // until killed
    }
}
