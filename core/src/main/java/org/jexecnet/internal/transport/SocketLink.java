package org.jexecnet.internal.transport;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.worker.WorkerMain;

/**
 * A gateway's connection to a jexecnet socket server ({@code socket=host:port}): it sets up TLS 1.3,
 * proves it knows the shared secret, checks that the server does too, both bound to the certificate
 * the server showed ({@link SocketAuth}), and asks for a worker, which the server starts for this
 * connection alone. The worker ends when the connection does.
 */
public final class SocketLink implements WorkerLink {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Socket socket;
    private final String description;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final InputStream in;
    private final OutputStream out;

    private SocketLink(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.description = description;
        // The receiver reading to the end is how this side learns the worker is gone.
        this.in = new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return ended(super.read());
                } catch (IOException e) {
                    ended.complete(null);
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return ended(super.read(b, off, len));
                } catch (IOException e) {
                    ended.complete(null);
                    throw e;
                }
            }

            private int ended(int n) {
                if (n < 0) {
                    ended.complete(null);
                }
                return n;
            }
        };
        // Closing the protocol's output half-closes the socket: the worker's goodbye can still arrive.
        this.out = new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
                if (!socket.isClosed()) {
                    socket.shutdownOutput();
                }
            }
        };
    }

    /**
     * Connects, authenticates and waits for the worker to be ready.
     *
     * @throws IllegalArgumentException when the spec's address is malformed or the id is not ASCII
     * @throws ExecnetException when there is no secret, the server cannot be reached, refuses the
     *     secret, does not know it, or its worker does not start: the message says which
     */
    public static SocketLink connect(XSpec spec, String id, ExecModel model) {
        return connect(spec, spec.get("socket").strip(), null, id, model);
    }

    /**
     * As {@link #connect(XSpec, String, ExecModel)}, to the address given, with the secret given
     * (null: the spec's {@code secret_file=} or {@code JEXECNET_SECRET}).
     */
    public static SocketLink connect(XSpec spec, String address, byte[] givenSecret, String id, ExecModel model) {
        if (spec.has("python")) {
            throw new IllegalArgumentException("python= is for popen and ssh gateways: a socket gateway reaches a jexecnet socket"
                    + " server, whose workers are JVMs (spec '" + spec + "')");
        }
        int colon = address.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("socket=" + address + " is not host:port, as in socket=127.0.0.1:8888 (spec '" + spec + "')");
        }
        if (!id.matches(SocketAuth.GATEWAY_ID)) {
            throw new IllegalArgumentException("a socket gateway's id must be letters, digits and _.:@+- (at most 128): '" + id + "'");
        }
        String host = address.substring(0, colon);
        String description = "socket gateway " + id + " to " + address;
        byte[] secret = givenSecret != null ? givenSecret : SocketAuth.secret(spec.get("secret_file"), description);
        Tls.prepareClient(); // before connecting: a new connection says hello at once
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            KeepAlive.enable(socket);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            close(socket);
            throw new ExecnetException("cannot connect " + description + ": " + e.getMessage(), e);
        }
        // One deadline for the whole handshake: a server trickling a byte now and then cannot hold on.
        AtomicBoolean expired = new AtomicBoolean();
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
            expired.set(true);
            close(socket);
        }, CompletableFuture.delayedExecutor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        try {
            SSLSocket encrypted = encrypt(socket, host, port);
            String fingerprint = Tls.fingerprint(encrypted.getSession().getPeerCertificates()[0]);
            handshake(encrypted, secret, fingerprint, id, model, spec.heartbeatSeconds(), spec.windowBytes());
            deadline.cancel(false);
            if (expired.get()) {
                throw new IOException("closed at the deadline");
            }
            return new SocketLink(encrypted, description + " (" + socket.getLocalSocketAddress() + ", TLS 1.3, server certificate SHA-256 "
                    + fingerprint + ")");
        } catch (IOException e) {
            deadline.cancel(false);
            close(socket);
            throw new ExecnetException(description + ": " + (expired.get() ? "no handshake within " + START_TIMEOUT : e.getMessage()), e);
        }
    }

    /** TLS over the connected socket; a server that does not speak it is said to be what it likely is. */
    private static SSLSocket encrypt(Socket socket, String host, int port) throws IOException {
        try {
            return Tls.client(socket, host, port);
        } catch (SSLException e) {
            throw new IOException("TLS with the server failed (" + e.getMessage() + "): is it a jexecnet socket server of this"
                    + " version (older ones spoke plain TCP), and is nothing between the two changing bytes?", e);
        }
    }

    private static void handshake(Socket socket, byte[] secret, String fingerprint, String id, ExecModel model, int heartbeat, int window)
            throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String greeting = readLine(in, "before greeting");
        if (!greeting.startsWith(SocketAuth.GREETING + " ")) {
            throw new IOException("that is not a jexecnet socket server of this version: it said '" + greeting + "'");
        }
        String serverNonce = greeting.substring(SocketAuth.GREETING.length() + 1);
        String clientNonce = SocketAuth.nonce();
        SocketAuth.writeLine(out, "AUTH " + clientNonce + " " + SocketAuth.proof(secret, "client", serverNonce, clientNonce, fingerprint));
        String answer = readLine(in, "refusing the proof: the server and this side do not share the same secret, or something between"
                + " them terminates TLS with a certificate of its own");
        String expected = "OK " + SocketAuth.proof(secret, "server", serverNonce, clientNonce, fingerprint);
        if (!SocketAuth.same(expected, answer)) {
            throw new IOException("the server does not prove it knows the secret for the certificate it showed: it may not be the"
                    + " server you meant, or something between the two terminates TLS");
        }
        SocketAuth.writeLine(out, "START " + model.specName() + " " + id + " " + heartbeat + " " + window);
        int ready = in.read();
        if (ready != WorkerMain.READY) {
            throw new IOException("the server accepted the secret but its worker did not start (see the server's log)");
        }
    }

    /** A handshake line; an end of stream is reported as the server closing the connection, and why. */
    private static String readLine(InputStream in, String when) throws IOException {
        try {
            return SocketAuth.readLine(in);
        } catch (IOException e) {
            if (e.getMessage().startsWith("the connection closed")) {
                throw new IOException("the server closed the connection " + when);
            }
            throw e;
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing what failed
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public boolean awaitExit(long deadlineNanos) {
        return WorkerLink.await(ended, deadlineNanos);
    }

    @Override
    public void kill() {
        close(socket);
        ended.complete(null);
    }

    @Override
    public String toString() {
        return description;
    }
}
