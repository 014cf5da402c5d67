package org.jexecnet.internal;

import java.util.Arrays;
import org.jexecnet.internal.server.SocketServer;

/**
 * The core jar's own entry point, {@code java -jar jexecnet.jar socketserver ...}: it needs nothing
 * but the core jar on a host that serves socket gateways. The full command line is the CLI's.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("socketserver")) {
            SocketServer.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.err.println("usage: java -jar jexecnet.jar socketserver [--secret-file FILE] [--key-file FILE] [--bind HOST:PORT | HOST:PORT]");
        System.exit(2);
    }
}
