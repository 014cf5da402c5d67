package org.jexecnet.testing;

import java.time.Duration;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;

/**
 * A master in a process of its own, for tests of what happens to workers when the master ends: prints
 * its worker's pid, then waits to be killed, or with the argument {@code exit} starts remote code that
 * ignores interrupts and returns from main without closing anything.
 */
public final class MasterProcess {
    private MasterProcess() {}

    public static void main(String[] args) throws Exception {
        Gateway gw = Execnet.makeGateway();
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            gw.remoteExec("channel.send(1); while (true) { try { Thread.sleep(60_000); } catch (InterruptedException ignored) { } }")
                    .receive(Duration.ofSeconds(30));
            return; // the default group's shutdown hook must end the worker
        }
        System.in.read(); // until killed
    }
}
