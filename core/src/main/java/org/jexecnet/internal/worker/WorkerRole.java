package org.jexecnet.internal.worker;

import java.io.IOException;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.DataFormatException;
import org.jexecnet.internal.code.CacheDir;
import org.jexecnet.internal.code.ClassAnswer;
import org.jexecnet.internal.code.ClassRequest;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.code.RemoteClassLoader;
import org.jexecnet.internal.convert.Converter;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.ProtocolException;
import org.jexecnet.internal.protocol.RealChannel;
import org.jexecnet.internal.protocol.Task;
import org.jexecnet.internal.protocol.TaskQueue;

/** The worker's side of the protocol: runs what the master sends, reports status, exits when told. */
final class WorkerRole implements Connection.Role {
    /** How long running executions get to react to their interrupt before the worker exits anyway. */
    static final long EXIT_GRACE_MILLIS = 500;
    /** How long a class request to the master may take: a large jar on a slow link takes a while. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(120);

    /** What the end of the connection ends: the worker's JVM, or only a warm-up's executions ({@link WarmUp}). */
    enum AtEnd { EXIT_JVM, STOP_EXECUTIONS }

    private final String name;
    private final Executions executions;
    private final AtEnd atEnd;
    private final RemoteClassLoader classes;
    private Connection connection;
    /** Where accepted executions get their files written and their thread: in the order they arrived. */
    private TaskQueue starts;
    private volatile Channel classServer;

    /** @param files the directory for shipped classes, which {@link #ownDirectory} has made or checked */
    WorkerRole(String name, Executions executions, Path files, AtEnd atEnd) {
        this.name = name;
        this.executions = executions;
        this.atEnd = atEnd;
        this.classes = new RemoteClassLoader(name, WorkerRole.class.getClassLoader(), files, CacheDir.resolve("jars"));
        classes.setFetcher(this::fetch);
    }

    /**
     * Makes the directory for shipped classes, readable by this user alone; or, when the ssh bootstrap
     * made it with {@code mktemp -d}, checks that it is that: a directory this user owns that nobody
     * else can write. Classes in it are loaded, so a directory someone else prepared is refused.
     */
    static void ownDirectory(Path files) throws IOException {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!Files.exists(files, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(files, PosixFilePermissions.asFileAttribute(ownerOnly));
            return;
        }
        PosixFileAttributes attributes = Files.readAttributes(files,
                PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(System.getProperty("user.name"))
                || !attributes.permissions().equals(ownerOnly)) {
            throw new IOException(files + " is not a directory of this user's that only it can use; refusing to load classes from it");
        }
    }

    void attach(Connection connection) {
        this.connection = connection;
        this.starts = connection.newTaskQueue("executions");
    }

    /**
     * Asks the master's class server, on a channel made for the one answer. Also from a callback: the
     * answer arrives on the receiver thread, which waits for nothing.
     */
    private ClassAnswer fetch(ClassRequest.Kind kind, String what) {
        if (connection.isReceiverThread()) {
            throw new IllegalStateException("the receiver thread cannot wait for the master to send a class");
        }
        Channel server = classServer;
        if (server == null) {
            throw new IllegalStateException("the master has offered no class server");
        }
        RealChannel reply = connection.newChannel();
        try {
            server.send(new ClassRequest(reply, kind, what).toValue());
            if (Trace.ON) {
                Trace.log(name + " asked the master for " + kind + " " + what);
            }
            return ClassAnswer.fromValue(reply.receiveAnswer(FETCH_TIMEOUT));
        } finally {
            reply.close();
        }
    }

    @Override
    public int firstChannelId() {
        return 2;
    }

    /**
     * On the receiver thread: decodes the request (channels inside it must exist before anything arrives
     * on them) and counts it accepted; writing its files and starting it, which may wait (the disk, a
     * busy main thread), is a task of its own, in the order requests arrived.
     */
    @Override
    public void execute(RealChannel channel, byte[] payload) {
        ExecRequest request;
        try {
            request = ExecRequest.fromPayload(payload, connection);
        } catch (RuntimeException e) {
            channel.closeHere(e.getMessage());
            return;
        }
        if (request.classServer() != null) {
            classServer = request.classServer();
        }
        executions.reserve();
        starts.execute("start of " + channel, Task.Kind.MAY_BLOCK, () -> start(channel, request));
    }

    private void start(RealChannel channel, ExecRequest request) {
        try {
            // Stored in the order requests arrive: a later request of the same code ships no files again.
            classes.accept(request.files(), request.jars());
        } catch (RuntimeException | IOException e) {
            executions.unreserve();
            channel.closeHere(e.getMessage());
            return;
        }
        if (Trace.ON) {
            Trace.log(name + " execution starts[" + channel.id() + "]: " + request.entryClass() + "." + request.entryMethod());
        }
        String[] error = new String[1];
        try {
            executions.submit(() -> error[0] = run(channel, request), () -> finish(channel, error[0]));
        } catch (RejectedExecutionException e) {
            channel.closeHere(e.getMessage());
        }
    }

    /**
     * Runs one execution, on its own thread. A jar the request names without its bytes is waited for
     * here, not on the receiver thread: the request that carries it may still be on its way, behind
     * frames the receiver has yet to read.
     */
    private String run(RealChannel channel, ExecRequest request) {
        String error = null;
        channel.setExecuting(true);
        try {
            classes.awaitJars(request.jars());
            Method entry = entryMethod(request);
            entry.invoke(null, arguments(entry, request, channel));
        } catch (InvocationTargetException e) {
            error = RealChannel.stackTrace(trimmed(e.getCause()));
        } catch (Throwable e) {
            error = RealChannel.stackTrace(e);
        } finally {
            channel.setExecuting(false);
        }
        return error;
    }

    /** Ends an execution: closes its channel, with its error if it failed. */
    private void finish(RealChannel channel, String error) {
        if (Trace.ON) {
            Trace.log(name + " execution finished[" + channel.id() + "]" + (error == null ? "" : " with an error"));
        }
        channel.closeHere(error);
    }

    private Method entryMethod(ExecRequest request) throws ReflectiveOperationException {
        Class<?> type = Class.forName(request.entryClass(), true, classes);
        Method found = null;
        if (request.entryDescriptor() != null) {
            Class<?>[] params = MethodType.fromMethodDescriptorString(request.entryDescriptor(), classes).parameterArray();
            found = type.getDeclaredMethod(request.entryMethod(), params);
        } else {
            for (Method method : type.getDeclaredMethods()) {
                Class<?>[] params = method.getParameterTypes();
                boolean takesChannel = params.length >= 1 && params[0] == Channel.class;
                boolean takesKwargs = params.length == 2 && params[1] == Map.class;
                if (method.getName().equals(request.entryMethod()) && takesChannel && (params.length == 1 || takesKwargs)
                        && (found == null || takesKwargs == !request.kwargs().isEmpty())) {
                    found = method;
                }
            }
            if (found == null) {
                throw new NoSuchMethodException(request.entryClass() + " has no method " + request.entryMethod()
                        + "(Channel) or " + request.entryMethod() + "(Channel, Map)");
            }
        }
        if (!Modifier.isStatic(found.getModifiers())) {
            throw new NoSuchMethodException(request.entryClass() + "." + request.entryMethod() + " is not static");
        }
        found.setAccessible(true);
        return found;
    }

    /**
     * The captured values, converted to the parameter types they were captured as (the serializer gives
     * the narrowest number, and a record travels as a dict), then the channel.
     */
    private static Object[] arguments(Method entry, ExecRequest request, Channel channel) {
        Type[] params = entry.getGenericParameterTypes();
        List<Object> captured = request.captured();
        Object[] args = new Object[params.length];
        for (int i = 0; i < captured.size(); i++) {
            int number = i + 1;
            args[i] = Converter.convert(captured.get(i), params[i], () -> "cannot pass captured value #" + number + " to " + entry);
        }
        args[captured.size()] = channel;
        if (params.length == captured.size() + 2) {
            args[captured.size() + 1] = request.kwargs();
        }
        return args;
    }

    /**
     * The failure without the frames of the worker's own reflective call, which only add noise: in its
     * "Caused by" and "Suppressed" sections as well as at the top.
     */
    private static Throwable trimmed(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable each = pending.pop();
            if (!seen.add(each)) {
                continue; // a cause cycle
            }
            StackTraceElement[] frames = each.getStackTrace();
            for (int i = 0; i < frames.length; i++) {
                String cls = frames[i].getClassName();
                if (cls.startsWith("jdk.internal.reflect.") || cls.equals("java.lang.reflect.Method")) {
                    each.setStackTrace(Arrays.copyOf(frames, i));
                    break;
                }
            }
            if (each.getCause() != null) {
                pending.push(each.getCause());
            }
            pending.addAll(Arrays.asList(each.getSuppressed()));
        }
        return failure;
    }

    @Override
    public Map<String, Object> status(int openChannels) {
        Map<String, Object> status = new LinkedHashMap<>();
        // The class server's channel is the gateway's own, not one of the user's.
        status.put("numchannels", openChannels - (classServer != null ? 1 : 0));
        status.put("numexecuting", executions.executing());
        status.put("execmodel", executions.model().specName());
        return status;
    }

    /**
     * The connection ended: the worker exits, from a task of its own, since ending the executions waits
     * for them. An end by failure (the engine died of an Error, or the master sent what the protocol
     * refuses) is said on stderr and to the master, and the worker exits with status 1.
     */
    @Override
    public void receivingEnded(Throwable cause) {
        if (Trace.ON) {
            Trace.log(name + " terminating executions" + (cause == null ? "" : " after " + cause));
        }
        boolean failed = cause instanceof Error || cause instanceof ProtocolException || cause instanceof DataFormatException;
        connection.newTaskQueue("exit").execute("exit", Task.Kind.MAY_BLOCK, () -> {
            if (failed) {
                String why = (cause instanceof Error ? "the worker's engine failed: " : "the worker refused the master's frames: ")
                        + cause;
                System.err.println("jexecnet worker " + name + ": " + why);
                connection.sendLastWords(why);
            }
            executions.shutdown(EXIT_GRACE_MILLIS);
            connection.closeOutput(); // what the executions sent last may still sit in the writer's buffer
            classes.deleteFiles();
            if (atEnd == AtEnd.EXIT_JVM) {
                WorkerMain.exit(failed ? 1 : 0);
            }
        });
    }

    /**
     * Waits, on the main thread, for the exit that has begun: the JVM must not end before the exit task
     * has closed the output, removed the files and chosen the status. Bounded: a worker whose exit hangs
     * is halted.
     */
    void awaitExit() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                // the exit interrupts the main thread to end its executions: this thread waits on
            }
        }
        Runtime.getRuntime().halt(1);
    }
}
