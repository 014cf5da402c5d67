package org.jexecnet.internal.protocol;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Liveness between two jexecnet ends (never towards Python execnet, which does not know the frame):
 * each end sends a {@code HEARTBEAT} frame every {@code timeout / 5}, and an end whose receiver has
 * waited in a read for {@code timeout} with nothing arriving declares its peer silent: a stopped
 * process, a half-open TCP connection, a partition. Every read that returns counts, byte runs of a
 * huge frame included; a receiver busy elsewhere (a slow callback) is not waiting, so its peer is not
 * taken for silent.
 *
 * <p>Two mechanisms, because a write can block (a peer that stopped reading fills the pipe): a thread
 * per connection sends, and may block without harm; one thread for the whole JVM checks every
 * connection's silence and never writes: ending a silent peer's transport runs on a thread of its own.
 */
final class Heartbeat {
    private static final Set<Heartbeat> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jexecnet-liveness");
        thread.setDaemon(true);
        return thread;
    });

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static long lastRound = System.nanoTime();

    static {
        CHECKER.scheduleWithFixedDelay(Heartbeat::round, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Checks every connection, unless this round comes far later than planned: then this JVM itself
     * was paused (a long GC, a stopped process) and the receivers have not had a chance to read what
     * arrived meanwhile.
     */
    private static void round() {
        long now = System.nanoTime();
        boolean paused = now - lastRound > 4 * PERIOD_NANOS;
        lastRound = now;
        if (!paused) {
            WATCHED.forEach(Heartbeat::check);
        }
    }

    private final Connection connection;
    private final long timeoutNanos;
    private final Runnable onSilence;
    private final Thread sender;
    private volatile boolean stopped;

    private Heartbeat(Connection connection, Duration timeout, Runnable onSilence) {
        this.connection = connection;
        this.timeoutNanos = timeout.toNanos();
        this.onSilence = onSilence;
        long intervalMillis = Math.max(50, timeout.toMillis() / 5);
        this.sender = new Thread(() -> sendLoop(intervalMillis), "jexecnet-heartbeat-" + connection.name());
        sender.setDaemon(true);
    }

    /** Starts sending and watching. */
    static Heartbeat start(Connection connection, Duration timeout, Runnable onSilence) {
        Heartbeat heartbeat = new Heartbeat(connection, timeout, onSilence);
        WATCHED.add(heartbeat);
        heartbeat.sender.start();
        return heartbeat;
    }

    void stop() {
        stopped = true;
        WATCHED.remove(this);
        sender.interrupt();
    }

    private void sendLoop(long intervalMillis) {
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return; // stopped
            }
            if (!connection.sendHeartbeat()) {
                return; // the stream is closed: nothing more to say
            }
        }
    }

    /** Silent: the receiver has waited in a read for longer than the timeout, with nothing arriving. */
    private void check() {
        if (!stopped && connection.readingFor() > timeoutNanos) {
            stop();
            connection.silent(Duration.ofNanos(timeoutNanos), onSilence);
        }
    }
}
