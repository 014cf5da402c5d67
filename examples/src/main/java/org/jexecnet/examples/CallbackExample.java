package org.jexecnet.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.Group;

/**
 * execnet's callback example: items are handed to a callback as they arrive, and an end marker
 * follows the last.
 */
public final class CallbackExample {
    private CallbackExample() {}

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static List<Object> run(PrintStream out) throws InterruptedException {
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec("for (int i = 0; i < 5; i++) channel.send(i * i);");
            List<Object> received = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            // Callbacks run on the gateway's receiver thread: keep them quick.
            channel.setCallback(item -> {
                if ("END".equals(item)) {
                    done.countDown();
                } else {
                    received.add(item);
                    out.println("callback got " + item);
                }
            }, "END");
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the channel did not end within 30 s");
            }
            return received;
        }
    }
}
