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
 * execnet's {@code Group(['popen'] * 3)} termination example: three workers wait forever in
 * {@code receive}; terminating the group ends them, and every channel delivers its end marker.
 */
public final class TerminateExample {
    private TerminateExample() {}

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
        Group group = new Group("popen", "popen", "popen");
        MultiChannel channels = group.remoteExec("channel.send(\"waiting\"); channel.receive();");
        BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
        for (int i = 0; i < channels.size(); i++) {
            Received ready = queue.poll(30, TimeUnit.SECONDS);
            out.println(ready.channel().gateway().id() + " is " + ready.item());
        }
        group.terminate(Duration.ofSeconds(2));
        List<String> ended = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            Received last = queue.poll(30, TimeUnit.SECONDS);
            out.println(last.channel().gateway().id() + " delivered " + last.item());
            ended.add(String.valueOf(last.item()));
        }
        return ended;
    }
}
