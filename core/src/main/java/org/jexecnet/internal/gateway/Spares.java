package org.jexecnet.internal.gateway;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jexecnet.ExecnetException;
import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;
import org.jexecnet.internal.protocol.Task;
import org.jexecnet.internal.protocol.TaskRunner;
import org.jexecnet.internal.transport.Popen;
import org.jexecnet.internal.transport.WorkerProcess;

/**
 * A group's spare workers: popen worker JVMs started ahead of need, which warm up and then wait to
 * learn the gateway they serve. A gateway whose spec matches one takes it, without waiting for it: a
 * warm spare takes its session within milliseconds, and the first execution waits in the pipe
 * meanwhile. A replacement starts in the background.
 *
 * <p>A spare matches a spec when everything that shapes the process is the same: the program, its
 * options, class path, directory, niceness, environment and archive setting. What a worker learns
 * with its session (its id, execution model, heartbeat and window) and an application's own
 * {@code x-} keys may differ.
 *
 * <p>A spare is a fresh process: it has run jexecnet's own warm-up, never anyone's code. Spares end
 * with their group, and with their master: a spare whose input ends exits.
 */
public final class Spares {
    /**
     * How long a replacement waits before it starts: a JVM starting takes a core for a while, which the
     * first execution on the spare just taken should have to itself.
     */
    private static final long REPLACEMENT_DELAY_MILLIS = 100;
    /** Keys a worker learns with its session, or that jexecnet ignores: they do not tell spares apart. */
    private static final List<String> SESSION_KEYS = List.of("id=", "execmodel=", "heartbeat=", "window=", "x-");

    /** The spares of one launch configuration, and how many to keep. */
    private static final class Pool {
        final XSpec spec;
        final Deque<WorkerProcess> waiting = new ArrayDeque<>();
        final Set<WorkerProcess> warming = new HashSet<>();
        int wanted;
        int starting;

        Pool(XSpec spec) {
            this.spec = spec;
        }
    }

    private final Map<String, Pool> pools = new LinkedHashMap<>(); // guarded by this
    private volatile boolean ended; // written under this

    /**
     * Keeps {@code count} spares for the spec's launch configuration, starting the missing ones in the
     * background and ending those above the count.
     *
     * @throws IllegalArgumentException when the spec is no popen JVM spec, or the count is negative
     */
    public void keep(XSpec spec, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot keep " + count + " spares of '" + spec + "': give 0 or more");
        }
        if (!"popen".equals(spec.type()) || spec.has("python") || spec.via() != null || spec.has("installvia")) {
            throw new IllegalArgumentException("spares are popen worker JVMs; '" + spec + "' is not a popen spec without python=, via="
                    + " or installvia=");
        }
        List<WorkerProcess> surplus = new ArrayList<>();
        synchronized (this) {
            ended = false;
            Pool pool = pools.computeIfAbsent(launchKey(spec), key -> new Pool(spec));
            pool.wanted = count;
            while (pool.waiting.size() + pool.starting > count && !pool.waiting.isEmpty()) {
                surplus.add(pool.waiting.removeLast());
            }
            replenish(pool, 0);
        }
        surplus.forEach(Spares::dismiss);
    }

    /**
     * Makes a gateway for the spec: from a spare when one matches, else by starting a worker as
     * {@link MasterGateway#open} does. A spare that cannot take the session (it died) is given up, and a
     * worker is started instead.
     */
    public MasterGateway open(XSpec spec, String id, ExecModel remoteModel, ExecModel localModel, Runnable onExit,
            MasterGateway via) {
        ExecModel model = spec.execModel() != null ? spec.execModel() : remoteModel;
        // Virtual threads need a Java 21 worker: a fresh start finds out and says so before makeGateway returns.
        WorkerProcess spare = via == null && model != ExecModel.VIRTUAL ? take(spec) : null;
        if (spare == null) {
            return MasterGateway.open(spec, id, remoteModel, localModel, onExit, via);
        }
        MasterGateway gateway = MasterGateway.adopt(spare, spec, id, model, localModel, onExit);
        ArchiveTrainer.request(spec, spare);
        return gateway;
    }

    /** A warm spare for the spec, the longest-waiting first, or null; its replacement starts. */
    private synchronized WorkerProcess take(XSpec spec) {
        Pool pool = pools.get(launchKey(spec));
        if (pool == null) {
            return null;
        }
        WorkerProcess spare = null;
        while (spare == null && !pool.waiting.isEmpty()) {
            WorkerProcess first = pool.waiting.removeFirst();
            spare = first.isAlive() ? first : null;
        }
        replenish(pool, spare == null ? 0 : REPLACEMENT_DELAY_MILLIS);
        return spare;
    }

    /** Starts spares until the pool has as many as wanted, each in a task of its own, after a delay. */
    private void replenish(Pool pool, long delayMillis) {
        while (!ended && pool.waiting.size() + pool.starting < pool.wanted) {
            pool.starting++;
            inBackground("spare start", TimeUnit.MILLISECONDS.toNanos(delayMillis), () -> startOne(pool));
        }
    }

    /**
     * Runs work that blocks (a start that waits for warmth, an end that waits for the exit) on jexecnet's
     * task runner, in a queue of its own so that it holds up nothing else.
     */
    private static void inBackground(String name, long delayNanos, Runnable work) {
        TaskRunner.shared().newQueue(name).schedule(Task.once(name, Task.Kind.MAY_BLOCK, work), delayNanos);
    }

    private void startOne(Pool pool) {
        WorkerProcess spare = null;
        try {
            spare = startWarm(pool);
        } catch (RuntimeException e) {
            // a spec whose workers cannot start: makeGateway, which starts one itself then, says why
            spare = null;
        }
        boolean kept = false;
        synchronized (this) {
            pool.starting--;
            if (spare != null && !ended && pool.waiting.size() < pool.wanted) {
                pool.waiting.addLast(spare);
                kept = true;
            }
            notifyAll(); // for awaitWaiting: a spare more, or one start fewer to wait for
        }
        if (spare != null && !kept) {
            dismiss(spare);
        }
    }

    /**
     * Starts a spare and waits until it is warm, or returns null when the group ends meanwhile. One started
     * from the configuration's archive that does not warm up (the JVM refuses a stale archive, as it is told
     * to) is started again without it, and the archive is discarded when that one warms up, as a gateway's
     * start does: a stale archive never leaves the group without spares.
     *
     * @throws ExecnetException when the spare cannot start or warm up
     */
    private WorkerProcess startWarm(Pool pool) {
        WorkerProcess spare = launch(pool, Popen::startSpare);
        try {
            return warm(pool, spare);
        } catch (ExecnetException failed) {
            if (!spare.isFromArchive()) {
                throw failed;
            }
            WorkerProcess without = warm(pool, launch(pool, Popen::startSpareWithoutArchive));
            if (without != null) {
                Popen.discardArchive(pool.spec, "a spare started from it failed, and one without it did not: " + failed.getMessage());
            }
            return without;
        }
    }

    /**
     * Starts a spare with the method given, or none when the group has ended. Under the lock, so that
     * {@link #stop} finds every spare, warm or not.
     */
    private WorkerProcess launch(Pool pool, BiFunction<XSpec, String, WorkerProcess> start) {
        synchronized (this) {
            if (ended) {
                return null;
            }
        }
        // Started outside the lock, which takes and counts spares meanwhile: a JVM start (and, the first
        // time, an archive's check) takes milliseconds.
        WorkerProcess spare = start.apply(pool.spec, "spare");
        synchronized (this) {
            if (!ended) {
                pool.warming.add(spare);
                return spare;
            }
        }
        dismiss(spare); // the group ended while it started
        return null;
    }

    /**
     * Waits until the spare (null: none, the group ended) is warm, and takes it off the warming ones either way;
     * one that fails to warm up is killed, since it may still be booting.
     */
    private WorkerProcess warm(Pool pool, WorkerProcess spare) {
        if (spare == null) {
            return null;
        }
        try {
            spare.awaitWarm();
            return spare;
        } catch (ExecnetException e) {
            spare.kill();
            throw e;
        } finally {
            synchronized (this) {
                pool.warming.remove(spare);
            }
        }
    }

    /**
     * Keeps no spares from now on (until {@link #keep} is called again) and ends those there are: their
     * input is closed, which ends a spare that waits for its session.
     *
     * @return the spares ending, for {@link #reap}
     */
    public List<WorkerProcess> stop() {
        List<WorkerProcess> all = new ArrayList<>();
        synchronized (this) {
            ended = true;
            for (Pool pool : pools.values()) {
                all.addAll(pool.waiting);
                all.addAll(pool.warming);
                pool.waiting.clear();
                pool.wanted = 0;
            }
            notifyAll(); // awaitWaiting: none will come
        }
        all.forEach(Spares::closeInput);
        return all;
    }

    /** Waits for stopped spares until the deadline, then kills those left and waits up to {@code killWaitNanos} for them. */
    public static void reap(List<WorkerProcess> stopped, long deadlineNanos, long killWaitNanos) {
        List<WorkerProcess> left = new ArrayList<>();
        for (WorkerProcess spare : stopped) {
            if (!spare.awaitExit(deadlineNanos)) {
                left.add(spare);
            }
        }
        left.forEach(WorkerProcess::kill);
        long killDeadline = System.nanoTime() + killWaitNanos;
        left.forEach(spare -> spare.awaitExit(killDeadline));
    }

    /** How many spares wait for the spec now. */
    public synchronized int waiting(XSpec spec) {
        Pool pool = pools.get(launchKey(spec));
        return pool == null ? 0 : pool.waiting.size();
    }

    /**
     * Waits until {@code count} spares wait for the spec, or the time is up, or they cannot: the group
     * ended, the spec has no spares kept, or fewer are kept or still starting than asked for.
     *
     * @return whether they do
     */
    public synchronized boolean awaitWaiting(XSpec spec, int count, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (long left = timeoutNanos;; left = deadline - System.nanoTime()) {
            Pool pool = pools.get(launchKey(spec));
            int waiting = pool == null ? 0 : pool.waiting.size();
            if (waiting >= count) {
                return true;
            }
            if (ended || pool == null || waiting + pool.starting < count || left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private static void dismiss(WorkerProcess spare) {
        closeInput(spare);
        // A spare gets a few seconds to leave by itself, as a gateway does; its master's exit would end it anyway.
        inBackground("spare end", 0, () -> {
            if (!spare.awaitExit(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))) {
                spare.kill();
            }
        });
    }

    /** Ends the spare's input: a spare that has no session yet exits when it finds none coming. */
    private static void closeInput(WorkerProcess spare) {
        try {
            spare.out().close();
        } catch (IOException gone) {
            // ended already
        }
    }

    /** The spec's segments that shape the worker process, in a fixed order: equal for specs a spare can serve alike. */
    static String launchKey(XSpec spec) {
        return String.join("//", Arrays.stream(spec.toString().split("//"))
                .filter(segment -> SESSION_KEYS.stream().noneMatch(segment::startsWith)).sorted().toList());
    }
}
