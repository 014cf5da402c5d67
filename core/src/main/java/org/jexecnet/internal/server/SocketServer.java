package org.jexecnet.internal.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.transport.KeepAlive;
import org.jexecnet.internal.transport.Popen;
import org.jexecnet.internal.transport.SocketAuth;
import org.jexecnet.internal.transport.Tls;
import org.jexecnet.internal.transport.WorkerProcess;
import org.jexecnet.internal.worker.WorkerMain;

/**
 * The socket server: each connection that proves it knows the shared secret gets a worker JVM of its
 * own, and the server relays bytes between the two until either ends. Unlike execnet's socket server,
 * which runs whatever the first line it reads says, for anyone, nothing runs here before the client
 * has set up TLS 1.3 ({@link Tls}) and passed the challenge-response of {@link SocketAuth}, bound to
 * this server's certificate; a refused connection is logged and closed, and the server goes on serving
 * the others. How many may be handshaking at once, and who makes room for whom, is {@link Admission}'s.
 *
 * <p>A worker per connection, rather than gateways inside the server's JVM, keeps clients apart: one
 * client's {@code System.exit}, leaked threads or loaded classes cannot touch another's or the server.
 */
public final class SocketServer implements AutoCloseable {
    /**
     * How long a client may take from connecting to asking for its worker. A real one needs a few round
     * trips and, in a cold JVM, a few hundred milliseconds of TLS set-up; the rest is margin for a slow
     * link or a loaded machine. The {@code jexecnet.socketserver.handshakeMillis} property changes it.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(Long.getLong("jexecnet.socketserver.handshakeMillis", 5_000));
    /** How long a worker whose client has gone may take to exit by itself before it is killed. */
    private static final long WORKER_EXIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How a jexecnet client's first line begins. */
    private static final String AUTH_WORD = "AUTH ";

    private final ServerSocket server;
    private final byte[] secret;
    private final ServerKey key;
    private final SSLContext tls;
    private final PrintStream log;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<WorkerProcess> workers = ConcurrentHashMap.newKeySet();
    private final Admission admission = new Admission(HANDSHAKE_TIMEOUT);
    private final AtomicLong accepted = new AtomicLong();

    private SocketServer(ServerSocket server, byte[] secret, ServerKey key, PrintStream log) {
        this.server = server;
        this.secret = secret;
        this.key = key;
        this.tls = key.context();
        this.log = log;
    }

    /**
     * Binds the address.
     *
     * @param address {@code host:port} or {@code :port}; host defaults to 127.0.0.1, port 0 picks a free one
     * @param key the server's TLS key
     * @throws ExecnetException when the address cannot be bound
     */
    public static SocketServer bind(String address, byte[] secret, ServerKey key, PrintStream log) {
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? "127.0.0.1" : address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "' is not host:port or :port, as in 127.0.0.1:8888");
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            if (!server.getInetAddress().isLoopbackAddress()) {
                log.println("jexecnet socketserver: WARNING: listening on " + server.getLocalSocketAddress()
                        + ", which other hosts can reach; anyone who learns the secret can run code here as "
                        + System.getProperty("user.name"));
            }
            return new SocketServer(server, secret, key, log);
        } catch (IOException e) {
            throw new ExecnetException("socketserver cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Accepts connections until the server is closed, each on a thread of its own. {@link Admission}
     * bounds how many may be handshaking at once, so a flood of idle connections costs the server
     * neither threads nor memory beyond that, and never turns a newcomer away.
     */
    public void serve() {
        log.println("jexecnet socketserver: listening on " + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort()
                + " (TLS 1.3; certificate SHA-256 " + key.fingerprint() + ")");
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.println("jexecnet socketserver: accept failed: " + e.getMessage());
                    pause(); // out of file descriptors, say: retrying at once would only spin
                }
                continue;
            }
            long number = accepted.incrementAndGet();
            try {
                Thread thread = new Thread(() -> handle(socket), "jexecnet-socketserver-" + number);
                thread.setDaemon(true);
                thread.start();
            } catch (Throwable e) { // OutOfMemoryError: unable to create a thread; the server goes on
                log.println("jexecnet socketserver: cannot serve " + socket.getRemoteSocketAddress() + ": " + e);
                close(socket);
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Serves one authenticated connection, on this thread, then closes: what {@code installvia=} starts
     * on a gateway's host. Refused connections do not count. Gives up when nobody authenticates within
     * {@code wait}.
     *
     * @return whether a client was served
     */
    public boolean serveOne(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                server.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (handle(server.accept())) {
                    return true;
                }
            }
        } catch (IOException e) {
            log.println("jexecnet socketserver: nobody came: " + e.getMessage());
        } finally {
            close();
        }
        return false;
    }

    /** Serves one connection: the handshake, then its worker until either ends; false when refused. */
    private boolean handle(Socket socket) {
        connections.add(socket);
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        Admission.Handshake handshake = admission.enter(socket);
        SSLSocket encrypted;
        String[] start;
        try {
            socket.setTcpNoDelay(true);
            KeepAlive.enable(socket);
            byte[] hello = Tls.readClientHello(socket.getInputStream());
            handshake.reached(Admission.Phase.SAID_HELLO);
            encrypted = Tls.server(tls, socket, hello);
            handshake.reached(Admission.Phase.ENCRYPTED);
            start = authenticate(encrypted, handshake);
            if (!handshake.through()) {
                throw new IOException("ended from outside");
            }
        } catch (IOException | RuntimeException e) {
            // Deadline and eviction set their reason before they close the socket: that, not "Socket closed", is why.
            String why = handshake.abortedBecause() != null ? handshake.abortedBecause() : e.getMessage();
            log.println("jexecnet socketserver: " + Instant.now() + " refused " + peer + ": " + why + "; nothing was run");
            if (e instanceof Tls.NotTls) {
                tellPlainly(socket, why);
            }
            close(socket);
            connections.remove(socket);
            return false;
        } finally {
            admission.leave(handshake);
        }
        String id = start[2];
        WorkerProcess worker;
        try {
            ExecModel model = ExecModel.fromSpecName(start[1]);
            worker = Popen.start(XSpec.parse("popen//id=" + id + "//heartbeat=" + start[3] + "//window=" + start[4]), id, model);
        } catch (RuntimeException e) {
            log.println("jexecnet socketserver: " + Instant.now() + " " + peer + " (" + id + "): cannot start a worker: " + e.getMessage());
            close(socket);
            connections.remove(socket);
            return false;
        }
        workers.add(worker);
        log.println("jexecnet socketserver: " + Instant.now() + " " + peer + " is gateway " + id + " (handshake " + handshake.millis()
                + " ms), " + worker);
        String failure = null;
        try {
            failure = relay(encrypted, worker, id);
        } finally {
            close(socket);
            if (!worker.awaitExit(System.nanoTime() + WORKER_EXIT_NANOS)) {
                worker.kill();
            }
            workers.remove(worker);
            connections.remove(socket);
            log.println("jexecnet socketserver: " + Instant.now() + " gateway " + id + " of " + peer + " ended"
                    + (failure == null ? "" : ": " + failure));
        }
        return true;
    }

    /**
     * The challenge-response, inside TLS and bound to this server's certificate; returns the START line's
     * words: START, execution model, gateway id, heartbeat seconds, window bytes.
     */
    private String[] authenticate(Socket socket, Admission.Handshake handshake) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String serverNonce = SocketAuth.nonce();
        SocketAuth.writeLine(out, SocketAuth.GREETING + " " + serverNonce);
        String[] auth = (requireAuthWord(in) + SocketAuth.readLine(in)).split(" ");
        if (auth.length != 3 || !auth[0].equals("AUTH") || !auth[1].matches("[0-9a-f]{64}")) {
            throw new IOException("not a jexecnet client: no AUTH line");
        }
        if (!SocketAuth.same(SocketAuth.proof(secret, "client", serverNonce, auth[1], key.fingerprint()), auth[2])) {
            throw new IOException("wrong proof: the client has another secret, or something between the two terminates TLS with a"
                    + " certificate of its own (the proof covers the certificate the client saw)");
        }
        handshake.reached(Admission.Phase.AUTHENTICATED);
        SocketAuth.writeLine(out, "OK " + SocketAuth.proof(secret, "server", serverNonce, auth[1], key.fingerprint()));
        String[] start = SocketAuth.readLine(in).split(" ");
        if (start.length != 5 || !start[0].equals("START") || !start[2].matches(SocketAuth.GATEWAY_ID)
                || !start[3].matches("[0-9]{1,6}") || !start[4].matches("0|[0-9]{4,9}")) {
            throw new IOException("no START line with an execution model, a plain gateway id, heartbeat seconds and a window after"
                    + " authenticating");
        }
        return start;
    }

    /**
     * Reads the first word a client sends, which a jexecnet client makes {@code AUTH }: anything else,
     * such as the bootstrap source a Python execnet client sends first, is refused as what it is,
     * before a line of it is read.
     */
    private static String requireAuthWord(InputStream in) throws IOException {
        byte[] word = in.readNBytes(AUTH_WORD.length());
        String text = new String(word, StandardCharsets.ISO_8859_1);
        if (!text.equals(AUTH_WORD)) {
            throw new IOException("not a jexecnet client: " + (word.length == 0 ? "it sent nothing"
                    : "it began with \"" + text.replaceAll("[^\\x20-\\x7e]", "?") + "\"") + (text.startsWith("'") || text.startsWith("\"")
                    ? " (as Python execnet's socket gateway does: this server serves jexecnet masters that know its secret)" : ""));
        }
        return text;
    }

    /** Tells a peer that speaks no TLS why it is refused, in the only form it can read; a peer gone already hears nothing. */
    private static void tellPlainly(Socket socket, String why) {
        try {
            socket.getOutputStream().write(("jexecnet socketserver: " + why + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        } catch (IOException gone) {
            // it left before hearing why: the log has it
        }
    }

    /**
     * Says the worker is ready, then copies bytes both ways until either side ends. When the client
     * half-closes, the worker's input closes and what the worker still says goes on reaching the client
     * until it exits.
     *
     * @return why the client's stream failed (TLS refusing a changed record, say), or null when it just ended
     */
    private static String relay(Socket socket, WorkerProcess worker, String id) {
        AtomicBoolean workerDone = new AtomicBoolean();
        Thread up = new Thread(() -> {
            try {
                worker.in().transferTo(socket.getOutputStream());
            } catch (IOException e) {
                // the client or the worker went
            }
            workerDone.set(true); // before the close: reading the client fails next, and that is no failure of the client's
            close(socket);
        }, "jexecnet-socketserver-" + id + "-up");
        up.setDaemon(true);
        up.start();
        String failure = null;
        try (OutputStream toWorker = worker.out()) {
            socket.getOutputStream().write(WorkerMain.READY);
            InputStream fromClient = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = fromClient.read(buffer);
                } catch (IOException e) {
                    failure = workerDone.get() ? null : "the client's stream failed: " + e.getMessage();
                    break;
                }
                if (n < 0) {
                    break;
                }
                toWorker.write(buffer, 0, n);
                toWorker.flush();
            }
        } catch (IOException e) {
            // the worker went; closing its input tells it to end
        }
        try {
            up.join(TimeUnit.NANOSECONDS.toMillis(WORKER_EXIT_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting, closes every connection and kills every worker. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.forEach(SocketServer::close);
        workers.forEach(WorkerProcess::kill);
        long deadline = System.nanoTime() + WORKER_EXIT_NANOS;
        workers.forEach(worker -> worker.awaitExit(deadline));
        admission.close();
    }

    /**
     * Binds the address and serves, logging to stderr, until the JVM is ended: then a shutdown hook
     * closes every connection and kills every worker.
     *
     * @param keyFile the server's TLS key, made there on the first start
     */
    public static void serveUntilKilled(String address, byte[] secret, Path keyFile) {
        SocketServer server = bind(address, secret, ServerKey.loadOrCreate(keyFile, System.err), System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jexecnet-socketserver-shutdown"));
        server.serve();
    }

    /**
     * {@code socketserver [--secret-file FILE] [--key-file FILE] [--bind HOST:PORT | HOST:PORT]}, the
     * arguments the CLI's {@code jexecnet socketserver} takes too ({@code --name=value} as well): serves
     * until killed. The secret comes from the file or from {@code JEXECNET_SECRET}; the TLS key from its
     * file, by default {@link ServerKey#defaultFile()}.
     */
    public static void main(String[] args) {
        String usage = "usage: socketserver [--secret-file FILE] [--key-file FILE] [--bind HOST:PORT | HOST:PORT]   (default"
                + " 127.0.0.1:8888, or :PORT; the secret comes from FILE or $" + SocketAuth.SECRET_VARIABLE + "; the TLS key is made in "
                + ServerKey.defaultFile() + " on the first start)";
        String address = null;
        String secretFile = null;
        Path keyFile = ServerKey.defaultFile();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = option.equals(arg) ? (i + 1 < args.length ? args[i + 1] : null) : arg.substring(option.length() + 1);
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(usage);
                return;
            }
            if ((option.equals("--secret-file") || option.equals("--key-file") || option.equals("--bind")) && value != null) {
                i += option.equals(arg) ? 1 : 0;
                switch (option) {
                    case "--bind" -> address = value;
                    case "--key-file" -> keyFile = Path.of(value);
                    default -> secretFile = value;
                }
            } else if (arg.startsWith("-") || address != null) {
                System.err.println("jexecnet socketserver: unexpected argument '" + arg + "'\n" + usage);
                System.exit(2);
            } else {
                address = arg;
            }
        }
        try {
            serveUntilKilled(address == null ? "127.0.0.1:8888" : address, SocketAuth.secret(secretFile, "socketserver"), keyFile);
        } catch (ExecnetException | IllegalArgumentException e) {
            System.err.println("jexecnet " + e.getMessage());
            System.exit(2);
        }
    }
}
