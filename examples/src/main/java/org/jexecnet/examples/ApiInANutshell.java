package org.jexecnet.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;

/**
 * execnet's "API in a nutshell", in Java: a gateway, remote code with a channel, a group of
 * gateways, and ending them all.
 */
public final class ApiInANutshell {
    private ApiInANutshell() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Runs the tour.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        run(System.out);
    }

    static List<Object> run(PrintStream out) {
        // A gateway starts a JVM; remote code talks back over its channel.
        Gateway gateway = Execnet.makeGateway();
        Channel channel = gateway.remoteExec("channel.send(channel.receive(Integer.class) + 1);");
        channel.send(1);
        int two = channel.receive(int.class, TIMEOUT);
        out.println("the worker answered " + two);

        // Remote code can serve many requests: iterate the channel until the master closes it.
        Channel squares = gateway.remoteExec("for (Object x : channel) channel.send((Integer) x * (Integer) x);");
        for (int i = 1; i <= 3; i++) {
            squares.send(i);
            out.println(i + " squared is " + squares.receive(TIMEOUT));
        }
        squares.close();

        // A group runs the same code on several JVMs; here two, one of them with its own id.
        try (Group group = new Group("popen//id=first", "popen")) {
            MultiChannel ids = group.remoteExec("channel.send(channel.gateway().id());");
            List<String> answers = ids.receiveEach(String.class, TIMEOUT);
            out.println("the group's workers are " + answers);

            gateway.close();
            return List.of(two, answers);
        }
    }
}
