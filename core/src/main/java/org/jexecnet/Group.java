package org.jexecnet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.internal.gateway.Spares;
import org.jexecnet.internal.transport.WorkerProcess;
import org.jexecnet.internal.protocol.Timeouts;

/**
 * A set of gateways managed together, as execnet's {@code Group}: made together, addressed by id or
 * position, sent code together, and terminated together, which kills whatever does not exit.
 *
 * <pre>{@code
 * try (Group group = new Group("popen", "popen", "popen//java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")) {
 *     MultiChannel channels = group.remoteExec("channel.send(Runtime.version().feature());");
 *     System.out.println(channels.receiveEach(Duration.ofSeconds(10)));   // [17, 17, 25]
 * }
 * }</pre>
 *
 * <p>Every group that still has gateways when the JVM exits is terminated by a shutdown hook, with a
 * one-second timeout, so no worker outlives its master.
 */
public final class Group implements Iterable<Gateway>, AutoCloseable {
    private static final Set<Group> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** What {@link #makeGateway()} and an empty spec start, as execnet's {@code Group.defaultspec}. */
    private static final String DEFAULT_SPEC = "popen";

    /** How long killed workers may take to disappear. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Group::terminateAll, "jexecnet-shutdown"));
    }

    /** The shutdown hook's work: every live group at once, each with a one-second timeout. */
    private static void terminateAll() {
        List<Thread> ending = new ArrayList<>();
        for (Group group : LIVE) {
            Thread thread = new Thread(() -> group.terminate(Duration.ofSeconds(1)), "jexecnet-shutdown-group");
            thread.setDaemon(true);
            thread.start();
            ending.add(thread);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(1).plus(KILL_WAIT).toNanos();
        for (Thread thread : ending) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final List<MasterGateway> gateways = new CopyOnWriteArrayList<>();
    /** Gateways that exited by themselves, whose processes terminate still waits for and kills. */
    private final List<MasterGateway> exited = new CopyOnWriteArrayList<>();
    private final Set<String> reserved = new HashSet<>();
    private final Spares spares = new Spares();
    private int nextNumber;
    private ExecModel localModel = ExecModel.THREAD;
    private ExecModel remoteModel = ExecModel.THREAD;

    /** An empty group. */
    public Group() {
        LIVE.add(this);
    }

    /**
     * A group with a gateway for each spec, started in parallel; in order, one after another, when a
     * spec goes {@code via=} (or {@code installvia=}) an earlier one.
     *
     * @param specs gateway specs, such as {@code "popen"}; an empty one means {@code "popen"}
     * @throws ExecnetException when a gateway cannot start; the ones that did are terminated
     */
    public Group(String... specs) {
        this(List.of(specs));
    }

    /**
     * A group with a gateway for each spec, started in parallel; in order, one after another, when a
     * spec goes {@code via=} (or {@code installvia=}) an earlier one.
     *
     * @param specs gateway specs; an empty one means {@code "popen"}
     * @throws ExecnetException when a gateway cannot start; the ones that did are terminated
     */
    public Group(Collection<String> specs) {
        this();
        try {
            List<XSpec> parsed = specs.stream().map(Group::parseSpec).toList();
            if (parsed.stream().anyMatch(spec -> spec.via() != null || spec.has("installvia"))) {
                parsed.forEach(this::makeGateway); // one after another, as execnet does: a via= names an earlier one
            } else {
                makeGateways(parsed);
            }
        } catch (RuntimeException e) {
            terminate(Duration.ofSeconds(1));
            throw e;
        }
    }

    /**
     * Sets the execution model of this side (the threads receiving for the group's gateways) and the
     * default one of new workers, as execnet's {@code set_execmodel}.
     *
     * @param local this side's model: {@link ExecModel#VIRTUAL} receives on virtual threads
     * @param remote the workers' default model; a spec's {@code execmodel=} overrides it
     * @throws IllegalStateException once the group has gateways
     */
    public synchronized void setExecModel(ExecModel local, ExecModel remote) {
        if (!gateways.isEmpty() || !reserved.isEmpty()) {
            throw new IllegalStateException("cannot change the execution model of a group that has gateways " + ids());
        }
        localModel = local;
        remoteModel = remote;
    }

    /**
     * Starts a local worker JVM: {@code makeGateway("popen")}.
     *
     * @return the gateway
     */
    public Gateway makeGateway() {
        return makeGateway(DEFAULT_SPEC);
    }

    /**
     * Starts a gateway. An empty spec means the default, {@code "popen"}, as in execnet.
     *
     * @param spec the spec (see {@link XSpec}), or an empty string for {@code "popen"}
     * @return the gateway
     * @throws IllegalArgumentException when the spec is malformed, names no gateway type, or an id taken
     * @throws ExecnetException when the worker cannot start: the message says why
     */
    public Gateway makeGateway(String spec) {
        return makeGateway(parseSpec(spec));
    }

    /**
     * Starts a gateway.
     *
     * @param spec the spec
     * @return the gateway
     * @throws IllegalArgumentException when the spec names no gateway type, or an id taken
     * @throws ExecnetException when the worker cannot start: the message says why
     */
    public Gateway makeGateway(XSpec spec) {
        return makeGateways(List.of(spec)).get(0);
    }

    /**
     * Keeps {@code count} spare workers for gateways of a spec started ahead of need. A
     * {@link #makeGateway(String)} of a matching spec in this group then takes a spare, which is ready
     * within milliseconds, instead of starting a JVM; a replacement starts in the background. Test runners
     * and task farms that make many short-lived gateways are what this is for.
     *
     * <pre>{@code
     * try (Group group = new Group()) {
     *     group.prestart("popen", 2);                    // two worker JVMs start now, in the background
     *     Gateway gw = group.makeGateway("popen//id=t1"); // takes one of them; a third starts
     *     ...
     * }                                                  // terminates the spares too
     * }</pre>
     *
     * <p>A spare is a fresh worker JVM: it has run jexecnet's own warm-up, which takes the path a first
     * item takes so that its classes are loaded, and never anyone's code; it learns the gateway's id,
     * execution model, heartbeat and window when it is taken. So a spec matches when it differs from this
     * one in those keys and an application's {@code x-} keys alone. A spare waits for its gateway without
     * a heartbeat, and exits when its master does; {@link #terminate} ends the spares with the gateways.
     * Each spare is a whole idle JVM, which holds memory (about 40 MB) but no CPU. While none is left
     * (all taken, the replacements still starting), gateways start as they would without spares.
     *
     * @param spec a popen spec, such as {@code "popen"} or {@code "popen//java=/opt/jdk21/bin/java"};
     *     an empty one means {@code "popen"}
     * @param count how many spares to keep; 0 ends those there are and keeps none
     * @throws IllegalArgumentException when the spec is malformed or is not a popen JVM spec (no
     *     {@code python=}, {@code via=} or {@code installvia=}), or the count is negative
     */
    public void prestart(String spec, int count) {
        spares.keep(parseSpec(spec), count);
        LIVE.add(this);
    }

    /**
     * How many spare workers for a spec ({@link #prestart}) are warm and waiting now, which the next
     * matching {@link #makeGateway(String)} calls take at once; those still starting are not counted.
     *
     * @param spec a spec, as for {@link #prestart}
     * @return the number of warm spares that would serve it
     * @throws IllegalArgumentException when the spec is malformed
     */
    public int spares(String spec) {
        return spares.waiting(parseSpec(spec));
    }

    /** A spec as the user wrote it, an empty one meaning {@code popen}, as in execnet. */
    private static XSpec parseSpec(String spec) {
        return XSpec.parse(spec.isEmpty() ? DEFAULT_SPEC : spec);
    }

    /**
     * Waits until {@code count} spare workers for a spec ({@link #prestart}) are warm and waiting: before
     * a measurement, or a burst of gateways that should all start warm. Spares taken meanwhile do not
     * count. It returns false at once when that many can never be waiting: fewer are kept (or still
     * starting, after a start failed) than asked for, or the group was terminated.
     *
     * <pre>{@code
     * group.prestart("popen", 4);
     * if (!group.awaitSpares("popen", 4, Duration.ofSeconds(30))) {
     *     System.err.println("some spares are still starting; gateways start cold meanwhile");
     * }
     * }</pre>
     *
     * @param spec a spec, as for {@link #prestart}
     * @param count how many warm spares to wait for, 0 or more
     * @param timeout how long to wait at most; the package's timeout rule applies (null is refused, a
     *     century or more waits without a limit)
     * @return whether that many are warm and waiting
     * @throws IllegalArgumentException when the spec is malformed or the count negative
     * @throws NullPointerException when the timeout is null
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    public boolean awaitSpares(String spec, int count, Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (count < 0) {
            throw new IllegalArgumentException("cannot wait for " + count + " spares of '" + spec + "': give 0 or more");
        }
        return spares.awaitWaiting(parseSpec(spec), count, nanos);
    }

    private List<Gateway> makeGateways(List<XSpec> specs) {
        List<String> ids = new ArrayList<>();
        List<MasterGateway> vias = new ArrayList<>();
        ExecModel local;
        ExecModel remote;
        synchronized (this) {
            for (XSpec spec : specs) {
                vias.add(spec.via() != null || spec.has("installvia") ? via(spec) : null);
            }
            for (XSpec spec : specs) {
                ids.add(reserve(spec));
            }
            local = localModel;
            remote = remoteModel;
        }
        List<CompletableFuture<MasterGateway>> starts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            XSpec spec = specs.get(i);
            String id = ids.get(i);
            MasterGateway via = vias.get(i);
            CompletableFuture<MasterGateway> start = new CompletableFuture<>();
            Runnable starting = () -> {
                try {
                    start.complete(spares.open(spec, id, remote, local, () -> removed(id), via));
                } catch (Throwable e) {
                    start.completeExceptionally(e);
                }
            };
            if (specs.size() == 1) {
                starting.run(); // one gateway, from a spare within milliseconds: no thread to hand it to and back
            } else {
                // Starting a JVM is mostly waiting: start them side by side.
                Thread starter = new Thread(starting, "jexecnet-start-" + id);
                starter.setDaemon(true);
                starter.start();
            }
            starts.add(start);
        }
        List<Gateway> made = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < starts.size(); i++) {
            try {
                MasterGateway gateway = starts.get(i).join();
                gateways.add(gateway);
                made.add(gateway);
            } catch (CompletionException e) {
                failure = failure != null ? failure : startFailure(e.getCause(), ids.get(i), specs.get(i), specs.size() > 1);
            }
            synchronized (this) {
                reserved.remove(ids.get(i));
            }
        }
        if (failure != null) {
            throw failure;
        }
        LIVE.add(this);
        return made;
    }

    /**
     * Why a gateway did not start; among several started together, its message begins with the gateway
     * and its spec, so that the caller can tell which one failed.
     */
    private static RuntimeException startFailure(Throwable cause, String id, XSpec spec, boolean several) {
        if (!several) {
            return cause instanceof RuntimeException r ? r : new ExecnetException(cause.toString(), cause);
        }
        String message = "gateway " + id + " (" + spec + "): " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        return cause instanceof IllegalArgumentException ? new IllegalArgumentException(message, cause) : new ExecnetException(message, cause);
    }

    /** The gateway a {@code via=} or {@code installvia=} names, which must be in this group already. */
    private MasterGateway via(XSpec spec) {
        String key = spec.via() != null ? "via" : "installvia";
        String id = spec.get(key);
        for (MasterGateway gateway : gateways) {
            if (gateway.id().equals(id)) {
                return gateway;
            }
        }
        throw new IllegalArgumentException(key + "=" + id + ": no gateway '" + id + "' in " + this
                + " to start '" + spec + "' through; make that one first");
    }

    private String reserve(XSpec spec) {
        String id = spec.id();
        if (id == null) {
            do {
                id = "gw" + nextNumber++;
            } while (isTaken(id));
        } else if (isTaken(id)) {
            throw new IllegalArgumentException("gateway id '" + id + "' is taken in " + this);
        }
        reserved.add(id);
        return id;
    }

    private boolean isTaken(String id) {
        return reserved.contains(id) || gateways.stream().anyMatch(g -> g.id().equals(id));
    }

    private void removed(String id) {
        // Those whose worker has ended need no terminate any more: a long-lived group that opens and
        // closes gateways must not keep them all.
        exited.removeIf(gateway -> gateway.awaitExit(System.nanoTime()));
        for (MasterGateway gateway : gateways) {
            if (gateway.id().equals(id)) {
                gateways.remove(gateway);
                exited.add(gateway);
            }
        }
    }

    /**
     * The number of gateways.
     *
     * @return the size
     */
    public int size() {
        return gateways.size();
    }

    /**
     * A gateway by position, in the order they were made.
     *
     * @param index from 0
     * @return the gateway
     * @throws IndexOutOfBoundsException when there is no such position
     */
    public Gateway get(int index) {
        return gateways.get(index);
    }

    /**
     * A gateway by id.
     *
     * @param id the id
     * @return the gateway
     * @throws NoSuchElementException when no gateway has that id
     */
    public Gateway get(String id) {
        for (Gateway gateway : gateways) {
            if (gateway.id().equals(id)) {
                return gateway;
            }
        }
        throw new NoSuchElementException("no gateway '" + id + "' in " + this);
    }

    /**
     * Whether a gateway with this id is in the group.
     *
     * @param id the id
     * @return true when present
     */
    public boolean contains(String id) {
        return gateways.stream().anyMatch(g -> g.id().equals(id));
    }

    /**
     * Whether this gateway is in the group.
     *
     * @param gateway the gateway
     * @return true when present
     */
    public boolean contains(Gateway gateway) {
        return gateways.contains(gateway);
    }

    /** Iterates over a snapshot of the gateways, in the order they were made. */
    @Override
    public Iterator<Gateway> iterator() {
        return List.<Gateway>copyOf(gateways).iterator();
    }

    /**
     * Runs the same source on every gateway.
     *
     * @param javaSource as for {@link Gateway#remoteExec(String)}
     * @return the channels, one per gateway, in gateway order
     */
    public MultiChannel remoteExec(String javaSource) {
        return onEach(gateway -> gateway.remoteExec(javaSource));
    }

    /**
     * Runs the same lambda or method reference on every gateway.
     *
     * @param code as for {@link Gateway#remoteExec(RemoteCode)}
     * @return the channels, one per gateway, in gateway order
     */
    public MultiChannel remoteExec(RemoteCode code) {
        return onEach(gateway -> gateway.remoteExec(code));
    }

    /**
     * Runs the same lambda or method reference with keyword arguments on every gateway.
     *
     * @param function as for {@link Gateway#remoteExec(RemoteFunction, Map)}
     * @param kwargs the arguments
     * @return the channels, one per gateway, in gateway order
     */
    public MultiChannel remoteExec(RemoteFunction function, Map<String, ?> kwargs) {
        return onEach(gateway -> gateway.remoteExec(function, kwargs));
    }

    /**
     * Runs the same class on every gateway.
     *
     * @param module as for {@link Gateway#remoteExec(Class)}
     * @return the channels, one per gateway, in gateway order
     */
    public MultiChannel remoteExec(Class<?> module) {
        return onEach(gateway -> gateway.remoteExec(module));
    }

    /**
     * Runs the same class with keyword arguments on every gateway.
     *
     * @param module as for {@link Gateway#remoteExec(Class, Map)}
     * @param kwargs the arguments
     * @return the channels, one per gateway, in gateway order
     * @throws IllegalArgumentException when the class has no {@code run(Channel, Map)} to take the arguments
     */
    public MultiChannel remoteExec(Class<?> module, Map<String, ?> kwargs) {
        return onEach(gateway -> gateway.remoteExec(module, kwargs));
    }

    private MultiChannel onEach(Function<Gateway, Channel> exec) {
        List<Channel> channels = new ArrayList<>();
        for (Gateway gateway : this) {
            channels.add(exec.apply(gateway));
        }
        return new MultiChannel(channels);
    }

    /**
     * Ends every gateway, including those that exited by themselves: asks all to exit, waits up to
     * {@code timeout} for them together, then kills what is left, each worker with its child
     * processes, and waits up to five seconds more for those, together. Gateways that others were
     * started {@code via=} end after those others, a level at a time, all levels within the one
     * {@code timeout}; the wait for killed workers is per level. So it never waits longer than
     * {@code timeout} plus five seconds for each level of {@code via=} (one without it). The spares
     * ({@link #prestart}) end at the same time, and the group keeps none afterwards.
     *
     * @param timeout how long the workers may take to exit by themselves: zero kills them at once, and a
     *     century or more (such as {@code ChronoUnit.FOREVER.getDuration()}) waits without a limit; not null
     * @throws NullPointerException when the timeout is null
     */
    public void terminate(Duration timeout) {
        long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        List<WorkerProcess> endingSpares = spares.stop(); // they exit while the gateways do
        List<MasterGateway> remaining = new ArrayList<>(gateways);
        remaining.addAll(exited);
        // Gateways others were started through go last: their hosts carry the others' bytes.
        while (!remaining.isEmpty()) {
            Set<String> vias = remaining.stream().map(g -> g.spec().via() != null ? g.spec().via() : g.spec().get("installvia"))
                    .filter(Objects::nonNull).collect(Collectors.toSet());
            List<MasterGateway> round = remaining.stream().filter(g -> !vias.contains(g.id())).toList();
            end(round.isEmpty() ? List.copyOf(remaining) : round, deadline);
            remaining.removeAll(round.isEmpty() ? List.copyOf(remaining) : round);
        }
        Spares.reap(endingSpares, deadline, KILL_WAIT.toNanos());
        LIVE.remove(this);
    }

    /** Asks the gateways to exit, waits for them together until the deadline, then kills the rest. */
    private void end(List<MasterGateway> ending, long deadline) {
        for (MasterGateway gateway : ending) {
            if (gateways.contains(gateway)) {
                gateway.exit();
            }
        }
        List<MasterGateway> stragglers = new ArrayList<>();
        for (MasterGateway gateway : ending) {
            if (!gateway.awaitExit(deadline)) {
                stragglers.add(gateway);
            }
        }
        stragglers.forEach(MasterGateway::kill);
        long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (MasterGateway gateway : stragglers) {
            gateway.awaitExit(killDeadline);
        }
        exited.removeAll(ending);
    }

    /** Terminates the group with a ten-second timeout. */
    @Override
    public void close() {
        terminate(CLOSE_TIMEOUT);
    }

    private List<String> ids() {
        return gateways.stream().map(Gateway::id).toList();
    }

    @Override
    public String toString() {
        return "<Group " + ids() + ">";
    }
}
