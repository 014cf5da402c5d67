package org.jexecnet.junit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RemoteException;
import org.jexecnet.junit.TestRunListener;
import org.jexecnet.junit.internal.remote.WorkerEntry;
import org.jexecnet.junit.internal.wire.Failure;
import org.jexecnet.junit.internal.wire.Suite;
import org.jexecnet.junit.internal.wire.WorkerEvent;
import org.junit.platform.commons.JUnitException;

/**
 * The master's event loop for one run: every worker's events, the ends of their channels, and the
 * starts of workers arrive in one queue and are handled on one thread, in order, so that the lanes,
 * their schedules and the JUnit listeners need no locks. Workers are started (class path shipped,
 * runner sent) on a small pool, since an ssh host's first sync takes a while; so are crashed ones
 * closed. A crashed worker is replaced, with a gateway of its spec, while the run has restarts left and
 * its lane has work left.
 */
public final class Session {
    /** How long starting workers may take to finish once the run is over, before their gateways are left to the group. */
    private static final Duration STARTER_WAIT = Duration.ofSeconds(90);
    private static final Object END = new Object();
    private static final Pattern EXIT_STATUS = Pattern.compile("exited with status (-?\\d+)");
    private static final Pattern STDERR = Pattern.compile("its stderr ends: (.*?); (worker JVM|Python worker) ");

    private sealed interface Mail {}

    private record Message(Worker worker, Object item) implements Mail {}

    private record Ended(Worker worker) implements Mail {}

    private record Attached(Worker worker, ClassPaths.Placed classPath) implements Mail {}

    private record StartFailed(Worker worker, RuntimeException error) implements Mail {}

    private record Replaced(Lane lane, Gateway gateway, RuntimeException error) implements Mail {}

    private final BlockingQueue<Mail> inbox = new LinkedBlockingQueue<>();
    private final Group group;
    private final List<Lane> lanes;
    private final ClassPaths classPaths;
    private final Suite suite;
    private final TestRunListener progress;
    private final int maxRestarts;
    private final ExecutorService pool;
    private int crashes;

    Session(Group group, List<Lane> lanes, ClassPaths classPaths, Suite suite, TestRunListener progress, int maxRestarts) {
        this.group = group;
        this.lanes = List.copyOf(lanes);
        this.classPaths = classPaths;
        this.suite = suite;
        this.progress = progress;
        this.maxRestarts = maxRestarts;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "jexecnet-junit-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs every lane to its end.
     *
     * @param gateways the gateways to start with, each with its lane
     * @throws ExecnetException when the runner cannot start on a worker for a reason a restart would not
     *     change (its class path is not there, its JVM lacks what the runner needs)
     * @throws InterruptedException when the calling thread is interrupted: the workers are told to stop
     */
    void run(Map<Gateway, Lane> gateways) throws InterruptedException {
        try {
            gateways.forEach((gateway, lane) -> {
                Worker worker = new Worker(gateway, lane);
                lane.add(worker);
                launch(worker);
            });
            while (lanes.stream().anyMatch(lane -> !lane.isComplete())) {
                Mail mail = inbox.poll(1, TimeUnit.SECONDS);
                if (mail != null) {
                    deliver(mail);
                }
                for (Lane lane : lanes) {
                    if (!lane.isComplete() && !lane.isStaffed()) {
                        String why = "no worker left in " + lane.name + " (" + crashes + " crashed, --max-worker-restart " + maxRestarts + ")";
                        if (lane.plan() == null) {
                            throw new ExecnetException(why + " before the suite was discovered: " + String.join("; ", lane.crashes()));
                        }
                        lane.abandon(why);
                    }
                }
            }
        } finally {
            stop();
        }
    }

    private void deliver(Mail mail) {
        if (mail instanceof Message message) {
            Worker worker = message.worker();
            if (worker.gone) {
                return;
            }
            WorkerEvent event;
            try {
                event = WorkerEvent.fromWire(message.item());
                if (event instanceof WorkerEvent.Fatal fatal) {
                    Failure error = fatal.failure();
                    crash(worker, "the JUnit Platform gave up on it after " + error.type() + (error.message() == null ? "" : ": " + error.message()));
                    return;
                }
                worker.lane.handle(worker, event);
            } catch (IllegalArgumentException | JUnitException malformed) {
                crash(worker, "it broke the runner's protocol: " + malformed.getMessage());
            }
        } else if (mail instanceof Ended ended) {
            ended(ended.worker());
        } else if (mail instanceof Attached attached) {
            if (attached.classPath().files() >= 0) {
                progress.classPathShipped(attached.worker().id(), attached.classPath().files(), attached.classPath().bytes());
            }
        } else if (mail instanceof StartFailed failed) {
            if (failed.error() instanceof IllegalArgumentException misconfigured) {
                throw misconfigured;
            }
            crash(failed.worker(), "its runner could not be started: " + failed.error().getMessage());
        } else if (mail instanceof Replaced replaced) {
            if (replaced.gateway() == null) {
                replaced.lane().replacementFailed();
                crashes++;
                progress.workerCrashed("(replacement)", "a replacement worker could not start: " + replaced.error().getMessage(), false);
                return;
            }
            Worker worker = new Worker(replaced.gateway(), replaced.lane());
            replaced.lane().replacementStarted(worker);
            launch(worker);
        }
    }

    /** A worker's channel ended without the master ending it: why, as far as the channel tells. */
    private void ended(Worker worker) {
        if (worker.gone) {
            return;
        }
        String cause;
        try {
            // The end marker came, so the channel has ended; waitClose returns once the callback that
            // posted it has returned, which may be a moment after this thread took the mail.
            worker.channel.waitClose(Duration.ofSeconds(10));
            cause = "its runner ended without being asked to";
        } catch (RemoteException e) {
            String first = e.remoteTrace().strip().lines().findFirst().orElse("");
            if (!worker.ready) {
                throw new ExecnetException("the test runner could not start on " + worker.id() + ": " + first, e);
            }
            cause = "its runner failed: " + first;
        } catch (ConnectionLostException e) {
            cause = describe(e.getMessage());
        } catch (ChannelClosedException e) {
            cause = "its gateway exited";
        }
        crash(worker, cause);
    }

    /** What the loss of a worker's connection says, shortened to its exit status and last words where it has them. */
    static String describe(String lost) {
        Matcher status = EXIT_STATUS.matcher(lost);
        if (!status.find()) {
            return lost;
        }
        Matcher stderr = STDERR.matcher(lost);
        return "exit status " + status.group(1) + (stderr.find() ? ", last stderr: " + stderr.group(1) : ", nothing on stderr");
    }

    private void crash(Worker worker, String cause) {
        Lane lane = worker.lane;
        String line = lane.crashed(worker, cause);
        crashes++;
        pool.execute(worker.gateway::close); // a dead worker's close returns at once; a live one is not to be trusted
        boolean replace = crashes <= maxRestarts && !lane.isComplete();
        if (replace) {
            lane.replacementStarting();
            String spec = withoutId(worker.gateway.spec().toString());
            pool.execute(() -> {
                try {
                    inbox.add(new Replaced(lane, group.makeGateway(spec), null));
                } catch (RuntimeException e) {
                    inbox.add(new Replaced(lane, null, e));
                }
            });
        }
        progress.workerCrashed(worker.id(), line, replace);
    }

    private static String withoutId(String spec) {
        return String.join("//", List.of(spec.split("//")).stream().filter(segment -> !segment.startsWith("id=")).toList());
    }

    /** Ships the class path if need be and sends the runner, off the loop's thread; what happens comes back as mail. */
    private void launch(Worker worker) {
        if (worker.gateway.spec().has("python")) {
            throw new IllegalArgumentException("gateway " + worker.id() + " runs Python (" + worker.gateway.spec()
                    + "): tests need JVM workers");
        }
        pool.execute(() -> {
            try {
                ClassPaths.Placed classPath = classPaths.forWorker(worker.gateway);
                inbox.add(new Attached(worker, classPath));
                worker.channel = worker.gateway.remoteExec(WorkerEntry::serve, suite.withClassPath(classPath.paths()).toWire());
                worker.channel.setCallback(item -> inbox.add(item == END ? new Ended(worker) : new Message(worker, item)), END);
            } catch (RuntimeException e) {
                inbox.add(new StartFailed(worker, e));
            }
        });
    }

    /** Tells the workers still there to stop; replacements still starting are left to the group to end. */
    private void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(STARTER_WAIT.toSeconds(), TimeUnit.SECONDS);
        for (Lane lane : lanes) {
            for (Worker worker : lane.workers()) {
                worker.gone = true;
                if (worker.channel != null) {
                    try {
                        worker.channel.close();
                    } catch (ChannelClosedException gone) {
                        // nothing to tell
                    }
                }
            }
        }
        List<Mail> late = new ArrayList<>();
        inbox.drainTo(late);
        for (Mail mail : late) {
            if (mail instanceof Replaced replaced && replaced.gateway() != null) {
                replaced.gateway().close();
            }
        }
    }
}
