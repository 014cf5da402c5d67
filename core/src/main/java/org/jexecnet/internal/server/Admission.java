package org.jexecnet.internal.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Who may be handshaking with the socket server at once. A connection that has not yet proved the
 * secret holds a thread, and anyone who can reach the port can open one, so they are bounded: at most
 * {@link #PER_SOURCE} from one address and {@link #TOTAL} in all. A newcomer that finds a bound reached
 * is not the one turned away, or a trickle of idle connections renewed now and then would lock every
 * client out: the handshake that has made the least progress makes room, the oldest of those first
 * (among the newcomer's own address, or else among the address that holds the most).
 *
 * <p>Progress is a {@link Phase}. A slowloris connection, dribbling a byte a second, never completes
 * even its TLS ClientHello; a real client has sent it within a round trip of connecting, and so is
 * only pushed out by newer connections once no idle or slow one is left. Every handshake also ends at
 * its deadline.
 *
 * <p>The lock guards the list of handshakes; sockets are closed outside it.
 */
final class Admission {
    static final int PER_SOURCE = 64;
    static final int TOTAL = 256;

    /** How far a handshake has come, least first. */
    enum Phase {
        CONNECTED("sent no TLS ClientHello"),
        SAID_HELLO("did not finish TLS"),
        ENCRYPTED("did not prove the secret"),
        AUTHENTICATED("did not ask for its worker");

        private final String stuck;

        Phase(String stuck) {
            this.stuck = stuck;
        }
    }

    /** One connection on its way in, from accept to its worker's start or its refusal. */
    static final class Handshake {
        private final Socket socket;
        private final InetAddress source;
        private final long started = System.nanoTime();
        private volatile Phase phase = Phase.CONNECTED;
        /** Null while it goes on; empty once it is through; the reason once it was ended from outside. */
        private final AtomicReference<String> outcome = new AtomicReference<>();
        private ScheduledFuture<?> deadline;

        private Handshake(Socket socket) {
            this.socket = socket;
            this.source = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        }

        void reached(Phase next) {
            phase = next;
        }

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }

        /**
         * Ends it from outside (deadline, eviction). The reason is set before the socket closes, so the
         * handshake's own thread, failing on the closed socket, reports this reason and not "Socket closed".
         */
        private void abort(String why) {
            if (outcome.compareAndSet(null, why)) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        /** Marks it through, unless it was ended from outside first: then false. */
        boolean through() {
            return outcome.compareAndSet(null, "");
        }

        /** Why it was ended from outside, or null when it was not. */
        String abortedBecause() {
            String why = outcome.get();
            return why == null || why.isEmpty() ? null : why;
        }
    }

    private final Duration timeout;
    private final List<Handshake> pending = new ArrayList<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "jexecnet-socketserver-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    Admission(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Lets the connection in, making room first when a bound is reached, and starts its deadline. */
    Handshake enter(Socket socket) {
        Handshake newcomer = new Handshake(socket);
        Handshake evicted = null;
        String bound = null;
        synchronized (this) {
            List<Handshake> sameSource = pending.stream().filter(h -> h.source.equals(newcomer.source)).toList();
            if (sameSource.size() >= PER_SOURCE) {
                evicted = weakest(sameSource);
                bound = PER_SOURCE + " connections from " + newcomer.source.getHostAddress();
            } else if (pending.size() >= TOTAL) {
                evicted = weakest(busiestSource());
                bound = TOTAL + " connections in all";
            }
            if (evicted != null) {
                pending.remove(evicted);
                evicted.deadline.cancel(false);
            }
            pending.add(newcomer);
            newcomer.deadline = deadlines.schedule(() -> newcomer.abort("no handshake within " + timeout),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (evicted != null) {
            evicted.abort("it " + evicted.phase.stuck + " in " + evicted.millis() + " ms while " + bound
                    + " were handshaking, and made room for a newer one");
        }
        return newcomer;
    }

    /** The handshake with the least progress, the oldest of those. */
    private static Handshake weakest(List<Handshake> among) {
        return among.stream().min(Comparator.comparing((Handshake h) -> h.phase).thenComparingLong(h -> h.started)).orElseThrow();
    }

    /** The handshakes of the address that has the most. */
    private List<Handshake> busiestSource() {
        Map<InetAddress, List<Handshake>> bySource = pending.stream().collect(Collectors.groupingBy(h -> h.source));
        return bySource.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
    }

    /** The handshake is over, through or refused: its place and deadline go. */
    synchronized void leave(Handshake handshake) {
        if (pending.remove(handshake)) {
            handshake.deadline.cancel(false);
        }
    }

    void close() {
        deadlines.shutdownNow();
    }
}
