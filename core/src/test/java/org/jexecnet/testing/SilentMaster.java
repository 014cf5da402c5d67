package org.jexecnet.testing;

import java.time.Duration;
import org.jexecnet.Group;
import org.jexecnet.Gateway;

/**
 * A master in a process of its own that a test stops (SIGSTOP) or kills: opens the gateways its
 * arguments name, in order, prints the last one's worker pid, then waits to be stopped or killed.
 */
public final class SilentMaster {
    private SilentMaster() {}

    public static void main(String[] args) throws Exception {
        Group group = new Group(java.util.List.of(args));
        Gateway gw = group.get(group.size() - 1);
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        System.in.read(); // until stopped and killed
    }
}
