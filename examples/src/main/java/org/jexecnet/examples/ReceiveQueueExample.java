package org.jexecnet.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;

/**
 * execnet's multi-channel example: one queue collects what every gateway sends, and an end marker
 * tells when each channel is done.
 */
public final class ReceiveQueueExample {
    private ReceiveQueueExample() {}

    private static final Object END = "END";

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static List<String> run(PrintStream out) throws InterruptedException {
        try (Group group = new Group("popen//id=a", "popen//id=b", "popen//id=c")) {
            MultiChannel channels = group.remoteExec("channel.send(\"hello from \" + channel.gateway().id());");
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            List<String> greetings = new ArrayList<>();
            for (int open = channels.size(); open > 0; ) {
                Received received = queue.poll(30, TimeUnit.SECONDS);
                if (received == null) {
                    throw new IllegalStateException("no answer within 30 s");
                }
                if (received.item() == END) {
                    open--;
                    out.println(received.channel().gateway().id() + " is done");
                } else {
                    greetings.add(received.item(String.class));
                    out.println(received.item());
                }
            }
            channels.waitClose(Duration.ofSeconds(30));
            return greetings;
        }
    }
}
