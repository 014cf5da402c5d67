package org.jexecnet.internal.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ExecModel;
import org.jexecnet.RemoteInfo;
import org.jexecnet.XSpec;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.code.SourceCompiler;
import org.jexecnet.internal.protocol.ConnectedGateway;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.RealChannel;
import org.jexecnet.internal.protocol.Threads;
import org.jexecnet.internal.transport.Popen;
import org.jexecnet.internal.transport.WorkerProcess;
import org.jexecnet.internal.worker.InfoProbe;

/** The master's gateway: a worker process, the connection to it, and the code shipped over it. */
public final class MasterGateway extends ConnectedGateway {
    /** How long {@link #close()} lets a worker exit by itself before killing it. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a killed process may take to disappear. */
    private static final long KILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final XSpec spec;
    private final WorkerProcess process;
    private final Runnable onExit;
    /** Classes the worker has already: they are shipped once per gateway. */
    private final Set<String> shipped = ConcurrentHashMap.newKeySet();
    private volatile RemoteInfo info;

    private MasterGateway(String id, XSpec spec, WorkerProcess process, ExecModel localModel, Runnable onExit) {
        super(id, new Connection(id, new MasterRole(localModel), process.in(), process.out()));
        this.spec = spec;
        this.process = process;
        this.onExit = onExit;
        connection.startReceiver(Threads.factory(localModel));
    }

    /**
     * Starts a gateway's worker and connects to it.
     *
     * @param onExit called once when the gateway exits, to leave its group
     */
    public static MasterGateway open(XSpec spec, String id, ExecModel remoteModel, ExecModel localModel, Runnable onExit) {
        String type = spec.type();
        if (type == null) {
            throw new IllegalArgumentException("no gateway type in spec '" + spec + "': start it with popen, ssh=, socket= or vagrant_ssh=");
        }
        if (!type.equals("popen") || spec.via() != null) {
            throw new IllegalArgumentException("gateway spec '" + spec + "': " + (spec.via() != null ? "via=" : type + "=")
                    + " gateways are not available in this version of jexecnet; popen is");
        }
        ExecModel model = spec.execModel() != null ? spec.execModel() : remoteModel;
        WorkerProcess process = Popen.start(spec, id, model);
        return new MasterGateway(id, spec, process, localModel, onExit);
    }

    @Override
    public XSpec spec() {
        return spec;
    }

    @Override
    public Channel remoteExec(String javaSource) {
        SourceCompiler.Compiled compiled = SourceCompiler.shared().compile(javaSource);
        return exec(compiled.className(), "run", compiled.classes(), Map.of());
    }

    private RealChannel exec(String entryClass, String entryMethod, Map<String, byte[]> classes, Map<String, Object> kwargs) {
        Map<String, byte[]> toShip = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> {
            if (!shipped.contains(name)) {
                toShip.put(name, bytes);
            }
        });
        RealChannel channel = connection.sendExec(new ExecRequest(entryClass, entryMethod, toShip, kwargs).toPayload());
        shipped.addAll(toShip.keySet());
        return channel;
    }

    @Override
    public RemoteInfo remoteInfo(Duration timeout) {
        RemoteInfo known = info;
        if (known == null) {
            Map<?, ?> facts = exec(InfoProbe.class.getName(), "run", Map.of(), Map.of()).receive(timeout);
            known = new RemoteInfo((String) facts.get("runtime"), (String) facts.get("executable"), (String) facts.get("cwd"),
                    ((Number) facts.get("pid")).longValue(), (String) facts.get("platform"));
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

    /** Kills the worker and everything it started, and waits a bounded time for it to go. */
    public void kill() {
        process.kill();
        process.awaitExit(System.nanoTime() + KILL_WAIT_NANOS);
        connection.closeOutput();
    }

    @Override
    public void close() {
        exit();
        if (!awaitExit(System.nanoTime() + CLOSE_TIMEOUT.toNanos())) {
            kill();
        }
    }

    /** The worker's process id, for tests and tools that watch processes. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String toString() {
        return "<Gateway id='" + id() + "' " + (isAlive() ? "receive-live" : "not-receiving") + ", pid " + process.pid() + ">";
    }

    /** The master's side of the protocol: it runs no code it is sent. */
    private static final class MasterRole implements Connection.Role {
        private final ExecModel localModel;

        MasterRole(ExecModel localModel) {
            this.localModel = localModel;
        }

        @Override
        public int firstChannelId() {
            return 1;
        }

        @Override
        public void execute(RealChannel channel, byte[] payload) {
            channel.closeHere("execution disallowed");
        }

        @Override
        public Map<String, Object> status(int openChannels) {
            return Map.of("numchannels", openChannels, "numexecuting", 0, "execmodel", localModel.specName());
        }

        @Override
        public void receivingEnded(Throwable cause) {
            // channels have learned of it; nothing else on the master waits for the receiver
        }
    }
}
