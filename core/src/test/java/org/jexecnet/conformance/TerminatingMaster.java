package org.jexecnet.conformance;

import java.time.Duration;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;

/**
 * The master scripts of execnet's test_termination.py, as a process of its own:
 * {@code close-initiating SPEC} makes a gateway, starts two remote receives and terminates the default
 * group (test_close_initiating_remote_no_error); {@code implicit SPEC} starts a remote sleep, prints the
 * worker's pid, closes stdout and returns from main without terminating anything, leaving it to the
 * shutdown hook (test_terminate_implicit_does_trykill).
 */
public final class TerminatingMaster {
    private TerminatingMaster() {}

    public static void main(String[] args) throws Exception {
        String spec = args[1];
        boolean python = spec.contains("python=");
        if (args[0].equals("close-initiating")) {
            Gateway gw = Execnet.makeGateway(spec);
            System.out.println("remote_exec1");
            gw.remoteExec(python ? "channel.receive()" : "channel.receive();");
            System.out.println("remote_exec2");
            gw.remoteExec(python ? "channel.receive()" : "channel.receive();");
            System.out.println("termination");
            Execnet.defaultGroup().terminate(Duration.ofSeconds(10));
            return;
        }
        Group group = new Group();
        Gateway gw = group.makeGateway(spec);
        Channel ch = gw.remoteExec(python ? "import time ; channel.send(1) ; time.sleep(100)" : "channel.send(1); Thread.sleep(100_000);");
        ch.receive(Duration.ofSeconds(30)); // remote execution started
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        System.out.close();
        // the shutdown hook's group terminate must end the worker
    }
}
