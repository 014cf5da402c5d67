package org.jexecnet.internal.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;

/**
 * {@code socket//installvia=ID}, as execnet has it: run on gateway ID's worker (from its own class
 * path), it starts a socket server on that host's loopback, on a free port, for the one secret the
 * master made for this gateway; sends the master the port; serves the one client that proves the
 * secret; and ends.
 */
public final class InstalledServer {
    private InstalledServer() {}

    /** How long the server waits for the master to connect. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * The entry point.
     *
     * @param kwargs {@code secret}: the secret, made by the master for this one connection
     */
    public static void run(Channel channel, Map<String, Object> kwargs) {
        byte[] secret = ((String) kwargs.get("secret")).getBytes(StandardCharsets.UTF_8);
        SocketServer server = SocketServer.bind("127.0.0.1:0", secret, ServerKey.ephemeral(), System.err);
        channel.send(List.of("127.0.0.1", server.address().getPort()));
        server.serveOne(WAIT);
    }
}
