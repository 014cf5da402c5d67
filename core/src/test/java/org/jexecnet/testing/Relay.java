package org.jexecnet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.jexecnet.internal.server.ServerKey;
import org.jexecnet.internal.transport.Tls;

/**
 * A man in the middle on loopback, between socket gateway clients and a socket server. It either
 * forwards the bytes as they are and, once told to, flips a bit in each chunk from the client (what an
 * attacker on the path who cannot read TLS can do), or it terminates TLS with a certificate of its own
 * towards the client, opens TLS of its own to the server, and forwards what it reads in clear between
 * the two (what an attacker with a certificate of his own can do).
 */
public final class Relay implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final SSLContext ownTls;
    private final AtomicBoolean tampering = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private Relay(int serverPort, SSLContext ownTls) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.serverPort = serverPort;
        this.ownTls = ownTls;
        Thread accepting = new Thread(this::accept, "relay-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    /** Forwards bytes as they are, until {@link #startTampering()}. */
    public static Relay ofBytes(int serverPort) throws IOException {
        return new Relay(serverPort, null);
    }

    /** Terminates TLS towards the client with a certificate of its own and forwards the clear text. */
    public static Relay terminatingTls(int serverPort) throws IOException {
        return new Relay(serverPort, ServerKey.ephemeral().context());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on, every chunk the client sends reaches the server with its last byte's low bit flipped. */
    public void startTampering() {
        tampering.set(true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(server);
                Thread opening = new Thread(() -> connect(client, server), "relay-connection");
                opening.setDaemon(true);
                opening.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void connect(Socket client, Socket server) {
        try {
            Socket toClient = client;
            Socket toServer = server;
            if (ownTls != null) {
                toClient = Tls.server(ownTls, client, Tls.readClientHello(client.getInputStream()));
                toServer = Tls.client(server, "127.0.0.1", serverPort);
                sockets.add(toClient);
                sockets.add(toServer);
            }
            pump(toServer.getInputStream(), toClient.getOutputStream(), false, "relay-down");
            pump(toClient.getInputStream(), toServer.getOutputStream(), true, "relay-up");
        } catch (IOException e) {
            close(client);
            close(server);
        }
    }

    private void pump(InputStream from, OutputStream to, boolean fromClient, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                    if (fromClient && n > 0 && tampering.get()) {
                        buffer[n - 1] ^= 1;
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // one side went
            }
            sockets.forEach(Relay::close);
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(Relay::close);
    }
}
