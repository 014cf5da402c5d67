package org.jexecnet.internal.protocol;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Liveness between two jexecnet ends (never towards Python execnet, which does not know the frame):
 * each end sends a {@code HEARTBEAT} frame every {@code timeout / 5}, and an end whose receiver has
 * waited in a read for {@code timeout} with nothing arriving declares its peer silent: a stopped
 * process, a half-open TCP connection, a partition. Every read that returns counts, byte runs of a
 * huge frame included; a receiver busy elsewhere is not waiting, so its peer is not taken for silent.
 *
 * <p>Two tasks per connection, on the shared runner. The <b>check</b> runs on the timer, in the
 * connection's checks queue, and never writes: it only compares the clock with the time the current
 * read began. A check that comes far later than planned skips its turn: then this JVM itself was paused
 * (a long collection, a stopped process), and its receiver has not had a chance to read what arrived.
 *
 * <p>The <b>beat</b> carries how many bytes this side has read of the peer's stream, in the
 * connection's writes queue. A worker's beat waits its turn on a worker thread of the runner: it may
 * block on a full pipe, harmlessly, since the check runs elsewhere. A master's beat runs on the timer
 * and never waits ({@link FrameWriter#heartbeatWithoutWaiting}): it is left out while another frame is
 * being written, while buffered frames wait for their flush, or while the worker has not reported
 * reading what the master wrote, since the pipe could then be full; in each case bytes are on their way,
 * or the peer is stuck, which its silence will show. The worker's beats, which wait for nothing else,
 * keep those reports coming. So an idle master spends no thread on heartbeats.
 */
final class Heartbeat {
    private final Connection connection;
    private final Duration timeout;
    private final long timeoutNanos;
    private final long intervalNanos;
    private final long checkNanos;
    private final Runnable onSilence;
    private final Task beat;
    private final Task check;
    /** When the check last ran; only the check task reads and writes it, one run at a time. */
    private long lastCheck;

    private Heartbeat(Connection connection, Duration timeout, Runnable onSilence, Connection.Heartbeats how) {
        this.connection = connection;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.intervalNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 5);
        this.checkNanos = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 8));
        this.onSilence = onSilence;
        FrameWriter writer = connection.writer();
        this.beat = how == Connection.Heartbeats.NEVER_WAIT
                ? Task.of("heartbeat", Task.Kind.QUICK, () -> {
                    writer.heartbeatWithoutWaiting(connection.bytesRead());
                    return intervalNanos;
                })
                : Task.of("heartbeat", Task.Kind.MAY_BLOCK, () -> {
                    writer.heartbeat(connection.bytesRead());
                    return intervalNanos;
                });
        this.check = Task.of("silence check", Task.Kind.QUICK, this::check);
    }

    /** Starts beating and checking. */
    static Heartbeat start(Connection connection, Duration timeout, Runnable onSilence, Connection.Heartbeats how) {
        Heartbeat heartbeat = new Heartbeat(connection, timeout, onSilence, how);
        heartbeat.lastCheck = connection.clock().nanoTime();
        connection.writes().schedule(heartbeat.beat, heartbeat.intervalNanos);
        connection.checks().schedule(heartbeat.check, heartbeat.checkNanos);
        return heartbeat;
    }

    /** How often a beat goes out. */
    Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    void stop() {
        connection.writes().cancel(beat);
        connection.checks().cancel(check);
    }

    /** Silent: the receiver has waited in a read for longer than the timeout, with nothing arriving. */
    private long check() {
        long now = connection.clock().nanoTime();
        boolean paused = now - lastCheck > 4 * checkNanos;
        lastCheck = now;
        if (!paused && connection.readingFor(now) > timeoutNanos) {
            connection.silent(timeout, onSilence);
            return -1;
        }
        return checkNanos;
    }
}
