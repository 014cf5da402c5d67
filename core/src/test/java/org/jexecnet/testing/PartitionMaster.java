package org.jexecnet.testing;

import java.time.Duration;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;

/**
 * A master for network-partition tests, run inside a network namespace: opens the gateway the
 * argument names, prints {@code ready <worker pid> <the worker's SSH_CONNECTION>}, then keeps a
 * conversation going (a ping every 100 ms, each answer awaited at most 60 s) until it fails, and
 * prints {@code lost <milliseconds since the last answer> <exception class>: <message>}.
 */
public final class PartitionMaster {
    private PartitionMaster() {}

    public static void main(String[] args) throws Exception {
        Gateway gw = Execnet.makeGateway(args[0]);
        Channel echo = gw.remoteExec(ch -> {
            for (Object item : ch) {
                ch.send(item);
            }
        });
        Channel facts = gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid() + " " + System.getenv("SSH_CONNECTION")));
        System.out.println("ready " + facts.receive(Duration.ofSeconds(60)));
        System.out.flush();
        long last = System.nanoTime();
        try {
            for (int i = 0; ; i++) {
                echo.send(i);
                echo.receive(Duration.ofSeconds(60));
                last = System.nanoTime();
                Thread.sleep(100); // the pace of the conversation, not synchronisation
            }
        } catch (RuntimeException e) {
            System.out.println("lost " + (System.nanoTime() - last) / 1_000_000 + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.out.flush();
        }
        System.exit(0);
    }
}
