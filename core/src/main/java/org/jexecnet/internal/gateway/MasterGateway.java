package org.jexecnet.internal.gateway;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jexecnet.Channel;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.RemoteCode;
import org.jexecnet.RemoteFunction;
import org.jexecnet.RemoteInfo;
import org.jexecnet.Tuple;
import org.jexecnet.XSpec;
import org.jexecnet.internal.code.ClassRequest;
import org.jexecnet.internal.code.ClassServer;
import org.jexecnet.internal.code.Dedent;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.code.LambdaCapture;
import org.jexecnet.internal.code.SourceCompiler;
import org.jexecnet.internal.protocol.ConnectedGateway;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.RealChannel;
import org.jexecnet.internal.protocol.Threads;
import org.jexecnet.internal.protocol.Timeouts;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.server.InstalledServer;
import org.jexecnet.internal.transport.ChannelLink;
import org.jexecnet.internal.transport.MasterRole;
import org.jexecnet.internal.transport.SocketAuth;
import org.jexecnet.internal.transport.SocketLink;
import org.jexecnet.internal.transport.Transports;
import org.jexecnet.internal.transport.ViaRelay;
import org.jexecnet.internal.transport.WorkerLink;
import org.jexecnet.internal.transport.WorkerProcess;
import org.jexecnet.internal.worker.InfoProbe;

/** The master's gateway: a worker process, the connection to it, and the code shipped over it. */
public final class MasterGateway extends ConnectedGateway {
    /** What a Python worker runs for {@link #remoteInfo}, as execnet's {@code rinfo_source}. */
    private static final String PYTHON_INFO = String.join("\n",
            "import sys, os, platform",
            "library = 'execnet ' + getattr(sys.modules.get('execnet'), '__version__', '(version unknown)')",
            "channel.send(dict(executable=sys.executable, version=platform.python_version(), cwd=os.getcwd(),",
            "                  pid=os.getpid(), platform=platform.system() + ' ' + platform.machine(), library=library))");

    /** How long {@link #close()} lets a worker exit by itself before killing it. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a worker started through a via= gateway may take: it may ship a jar on the way. */
    private static final Duration VIA_START_TIMEOUT = Duration.ofSeconds(120);
    /** How long a killed process may take to disappear. */
    private static final long KILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final XSpec spec;
    private final WorkerLink process;
    private final Runnable onExit;
    /** Class files the worker has already: they are shipped once per gateway. */
    private final Set<String> shipped = ConcurrentHashMap.newKeySet();
    private final ClassServer classServer = new ClassServer();
    /** Guards {@code classServerChannel}: a lock of this gateway's own, since users hold the gateway. */
    private final ReentrantLock classServerLock = new ReentrantLock();
    private Channel classServerChannel;
    private volatile RemoteInfo info;

    private MasterGateway(String id, XSpec spec, WorkerLink process, ExecModel localModel, Runnable onExit) {
        super(id, new Connection(id, new MasterRole(localModel, process::lastWords, () -> { }), process.in(), process.out()));
        this.spec = spec;
        this.process = process;
        this.onExit = onExit;
        if (!spec.has("python") && spec.windowBytes() > 0) {
            connection.enableFlowControl(spec.windowBytes()); // a JVM worker grants credit back; Python's never would
        }
        if (!spec.has("python") && spec.heartbeatSeconds() > 0) {
            // A silent worker (stopped, hung, cut off) is given up and its transport ended: waits get ConnectionLostException.
            // Beats through another gateway's channel may wait for that gateway: they get a thread of their own.
            connection.startHeartbeat(Duration.ofSeconds(spec.heartbeatSeconds()), process::kill, process instanceof ChannelLink
                    ? Connection.Heartbeats.WAIT_THEIR_TURN : Connection.Heartbeats.NEVER_WAIT);
        }
        connection.startReceiver(Threads.factory(localModel));
    }

    /**
     * Starts a gateway's worker and connects to it.
     *
     * @param onExit called once when the gateway exits, to leave its group
     * @param via the gateway {@code via=} names, through whose host the worker is started; or null
     */
    public static MasterGateway open(XSpec spec, String id, ExecModel remoteModel, ExecModel localModel, Runnable onExit,
            MasterGateway via) {
        if (spec.type() == null) {
            throw new IllegalArgumentException("no gateway type in spec '" + spec + "': start it with popen, ssh=, socket= or vagrant_ssh=");
        }
        ExecModel model = spec.execModel() != null ? spec.execModel() : remoteModel;
        Threads.factory(localModel); // refuses a model this JVM lacks before a worker is started for nothing
        WorkerLink link = via == null ? Transports.open(spec, id, model)
                : spec.has("installvia") ? via.installSocketServer(spec, id, model) : via.relayTo(spec, id, model);
        MasterGateway gateway = over(link, spec, id, localModel, onExit);
        if (link instanceof WorkerProcess worker) {
            ArchiveTrainer.request(spec, worker);
        }
        return gateway;
    }

    /**
     * Makes a gateway of a warm spare ({@link Spares}): tells it the session and goes on at once. The
     * spare is up and waiting, so what would fail a start has been found out; the first execution waits
     * in the pipe while the spare takes its session.
     */
    static MasterGateway adopt(WorkerProcess spare, XSpec spec, String id, ExecModel model, ExecModel localModel, Runnable onExit) {
        Threads.factory(localModel);
        spare.adopt(Transports.session(spec, id, model));
        return over(spare, spec, id, localModel, onExit);
    }

    /** The gateway over a worker that is ready; the worker is killed when that fails. */
    static MasterGateway over(WorkerLink link, XSpec spec, String id, ExecModel localModel, Runnable onExit) {
        try {
            return new MasterGateway(id, spec, link, localModel, onExit);
        } catch (RuntimeException | Error e) {
            link.kill();
            throw e;
        }
    }

    /**
     * {@code socket//installvia=}: starts a one-client socket server on this gateway's host, with a
     * secret made for it, and connects to it (at that host's loopback address, as execnet does: the
     * via gateway is expected to share this host's network).
     */
    private WorkerLink installSocketServer(XSpec spec, String id, ExecModel model) {
        requireJvm();
        String secret = SocketAuth.nonce();
        Channel server = execBuiltin(InstalledServer.class, Map.of("secret", secret));
        List<?> address = server.receive(List.class, VIA_START_TIMEOUT);
        return SocketLink.connect(spec, address.get(0) + ":" + address.get(1), secret.getBytes(StandardCharsets.UTF_8), id, model);
    }

    /** Starts a worker from this gateway's host, its bytes relayed on a channel of this gateway. */
    private WorkerLink relayTo(XSpec spec, String id, ExecModel model) {
        if (isPython()) {
            throw new IllegalArgumentException("via=" + id() + " is a Python gateway; a via= gateway must be a JVM (spec '" + spec + "')");
        }
        String here = String.join("//", java.util.Arrays.stream(spec.toString().split("//")).filter(s -> !s.startsWith("via=")).toList());
        Channel relay = execBuiltin(ViaRelay.class, Map.of("spec", here, "id", id, "execmodel", model.specName()));
        return new ChannelLink(relay, "gateway " + id + " via " + id() + " (" + here + ")", VIA_START_TIMEOUT);
    }

    @Override
    public XSpec spec() {
        return spec;
    }

    /** Whether the worker is a Python interpreter running execnet, which takes Python source only. */
    private boolean isPython() {
        return spec.has("python");
    }

    @Override
    public Channel remoteExec(String javaSource) {
        if (isPython()) {
            // execnet's own CHANNEL_EXEC: (source, file name, call name, kwargs), the source dedented as execnet does.
            return connection.sendExec(Dumper.dumpPayload(Tuple.of(Dedent.dedent(javaSource), null, null, Map.of()), connection));
        }
        if (ModuleLayer.boot().findModule("java.compiler").isEmpty()) {
            // Checked before SourceCompiler is touched: its class needs javax.tools to load at all.
            throw new ExecnetException("remoteExec(String) compiles Java source on the master, but this JVM ("
                    + System.getProperty("java.home") + ") has no Java compiler (no java.compiler module): run the master on"
                    + " a JDK, or pass a lambda or method reference instead, which needs no compiler");
        }
        SourceCompiler.Compiled compiled = SourceCompiler.shared().compile(javaSource);
        Map<String, byte[]> files = new LinkedHashMap<>();
        compiled.classes().forEach((name, bytes) -> files.put(name.replace('.', '/') + ".class", bytes));
        return exec(compiled.className(), "run", null, List.of(), files, new LinkedHashMap<>(), Map.of());
    }

    @Override
    public Channel remoteExec(RemoteCode code) {
        return execLambda(code, Map.of());
    }

    @Override
    public Channel remoteExec(RemoteFunction function, Map<String, ?> kwargs) {
        return execLambda(function, kwargs);
    }

    private Channel execLambda(Object code, Map<String, ?> kwargs) {
        requireJvm();
        LambdaCapture lambda = LambdaCapture.of(code);
        return execClass(lambda.implClass(), lambda.method(), lambda.descriptor(), lambda.captured(), kwargs);
    }

    @Override
    public Channel remoteExec(Class<?> module) {
        return remoteExec(module, Map.of());
    }

    @Override
    public Channel remoteExec(Class<?> module, Map<String, ?> kwargs) {
        requireJvm();
        requireRunMethod(module, !kwargs.isEmpty());
        return execClass(module, "run", null, List.of(), kwargs);
    }

    /**
     * Refuses, before anything is sent, a module without a {@code static run(Channel)} or
     * {@code run(Channel, Map)}, and keyword arguments for one that takes none: execnet's
     * "can't pass kwargs to non-function remote_exec". (The worker picks the method the same way.)
     */
    private static void requireRunMethod(Class<?> module, boolean hasKwargs) {
        boolean plain = false;
        boolean withKwargs = false;
        for (Method method : module.getDeclaredMethods()) {
            Class<?>[] params = method.getParameterTypes();
            if (method.getName().equals("run") && Modifier.isStatic(method.getModifiers()) && params.length >= 1
                    && params[0] == Channel.class) {
                plain |= params.length == 1;
                withKwargs |= params.length == 2 && params[1] == Map.class;
            }
        }
        if (!plain && !withKwargs) {
            throw new IllegalArgumentException(module.getName() + " has no static run(Channel) or run(Channel, Map<String, Object>)"
                    + " method for remoteExec to call");
        }
        if (hasKwargs && !withKwargs) {
            throw new IllegalArgumentException("can't pass kwargs to " + module.getName() + ": it has run(Channel) only;"
                    + " declare static void run(Channel channel, Map<String, Object> kwargs) to take them");
        }
    }

    /** Runs a method of a class of this JVM: the class travels with the request, what it uses on demand. */
    private void requireJvm() {
        if (isPython()) {
            throw new UnsupportedOperationException("gateway " + id() + " runs Python (python=" + spec.get("python")
                    + "): it takes Python source, remoteExec(String), not Java code");
        }
    }

    private Channel execClass(Class<?> type, String method, String descriptor, List<Object> captured, Map<String, ?> kwargs) {
        requireJvm();
        // Refused before anything is marked as shipped, with the path inside the kwargs.
        Dumper.dumpPayload(new LinkedHashMap<>(kwargs), connection);
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, byte[]> jars = new LinkedHashMap<>();
        classServer.register(type.getClassLoader());
        classServer.addClass(type.getName(), files, jars);
        return exec(type.getName(), method, descriptor, captured, files, jars, kwargs);
    }

    private RealChannel exec(String entryClass, String entryMethod, String descriptor, List<Object> captured,
            Map<String, byte[]> files, Map<String, byte[]> jars, Map<String, ?> kwargs) {
        Map<String, Object> arguments = new LinkedHashMap<>(kwargs);
        files.keySet().removeAll(shipped);
        ExecRequest request = new ExecRequest(entryClass, entryMethod, descriptor, captured, files, jars, arguments, classServerChannel());
        RealChannel channel = connection.sendExec(request.toPayload(connection));
        shipped.addAll(files.keySet());
        return channel;
    }

    /**
     * Runs {@code type.run(Channel[, Map])} of jexecnet's own, from the worker's class path: nothing is
     * shipped, so it works the same on a worker of another jexecnet jar of the same version.
     */
    public Channel execBuiltin(Class<?> type, Map<String, ?> kwargs) {
        requireJvm();
        return exec(type.getName(), "run", null, List.of(), new LinkedHashMap<>(), new LinkedHashMap<>(), kwargs);
    }

    /**
     * As {@link #execBuiltin}, with files shipped beside it as a user's classes are, and written by the
     * worker as theirs are: the archive training's first execution, which must take a user's path.
     */
    Channel execBuiltinShipping(Class<?> type, Map<String, byte[]> files) {
        requireJvm();
        return exec(type.getName(), "run", null, List.of(), new LinkedHashMap<>(files), new LinkedHashMap<>(), Map.of());
    }

    /** The channel on which this side answers the worker's requests for classes, made on first use. */
    private Channel classServerChannel() {
        classServerLock.lock();
        try {
            if (classServerChannel == null) {
                Channel server = connection.newChannel();
                server.setCallback(this::serveClassRequest);
                classServerChannel = server;
            }
            return classServerChannel;
        } finally {
            classServerLock.unlock();
        }
    }

    /** Answers one request, in the class server channel's callback: off the receiver thread, which reads no disk. */
    private void serveClassRequest(Object item) {
        ClassRequest request;
        try {
            request = ClassRequest.fromValue(item);
        } catch (IllegalArgumentException e) {
            return; // not from a jexecnet worker: nobody to answer
        }
        try {
            request.reply().send(classServer.serve(request.kind(), request.name()).toValue());
            request.reply().close();
        } catch (RuntimeException e) {
            request.reply().close("the master could not serve " + request.kind() + " " + request.name() + ": " + e.getMessage());
        }
    }

    /** How many class and resource requests the worker has made. */
    public int classRequests() {
        return classServer.requestsServed();
    }

    @Override
    public RemoteInfo remoteInfo(Duration timeout) {
        Timeouts.nanos(timeout); // refuses null even when the answer is known
        RemoteInfo known = info;
        if (known == null && isPython()) {
            Map<?, ?> facts = remoteExec(PYTHON_INFO).receive(Map.class, timeout);
            known = new RemoteInfo("Python " + facts.get("version"), (String) facts.get("executable"), (String) facts.get("cwd"),
                    ((Number) facts.get("pid")).longValue(), (String) facts.get("platform"), (String) facts.get("library"));
            info = known;
        }
        if (known == null) {
            Map<?, ?> facts = execBuiltin(InfoProbe.class, Map.of()).receive(Map.class, timeout);
            known = new RemoteInfo((String) facts.get("runtime"), (String) facts.get("executable"), (String) facts.get("cwd"),
                    ((Number) facts.get("pid")).longValue(), (String) facts.get("platform"), (String) facts.get("library"));
            info = known;
        }
        return known;
    }

    @Override
    public void exit() {
        connection.exit();
        onExit.run();
    }

    /** Whether the worker process has ended, waiting at most until the deadline. */
    public boolean awaitExit(long deadlineNanos) {
        return process.awaitExit(deadlineNanos);
    }

    /** Kills the worker and everything it started, without waiting: see {@link #awaitExit}. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        exit();
        if (!awaitExit(System.nanoTime() + CLOSE_TIMEOUT.toNanos())) {
            kill();
            awaitExit(System.nanoTime() + KILL_WAIT_NANOS);
        }
    }

    @Override
    public String toString() {
        return "<Gateway id='" + id() + "' " + (isAlive() ? "receive-live" : "not-receiving") + ", " + process + ">";
    }
}
