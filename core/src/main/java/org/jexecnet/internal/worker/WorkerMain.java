package org.jexecnet.internal.worker;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.jexecnet.ExecModel;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.Threads;
import org.jexecnet.internal.transport.ProcessGroup;

/**
 * The worker JVM's main: {@code WorkerMain <files directory> [--spare]}. The master names the
 * directory for the classes it ships, so that it can remove it even when it had to kill the worker;
 * everything else, the gateway the worker serves and how ({@link WorkerSession}), it sends first on
 * the protocol input. A spare ({@code --spare}) warms up before it waits for that (see {@link WarmUp}).
 *
 * <p>The protocol runs on file descriptors 3 (in) and 4 (out), which the launching shell sets up
 * from the pipes, while descriptor 0 reads nothing and 1 goes to stderr. So remote code that prints,
 * reads stdin, or starts processes that write to descriptor 1 cannot corrupt the protocol. The
 * first byte written, {@code '1'}, tells the master the worker has its session and is up, as execnet's
 * bootstrap does; a spare writes it once it has warmed up, before its session. With a heartbeat (the master's spec decides; 0: none), the worker sends signs of
 * life and exits when its master has said nothing for that long.
 *
 * <p>The worker leads a process group of its own (started through {@code setsid}), and kills the rest
 * of it when it exits: see {@link ProcessGroup}.
 */
public final class WorkerMain {
    private WorkerMain() {}

    /** The byte that says "ready": execnet's bootstrap sends the same. */
    public static final int READY = '1';
    /** Exit code when the worker cannot run as asked (bad arguments, an execution model it lacks). */
    public static final int CANNOT_START = 3;
    /** The argument that makes a spare: it warms up, then waits for its session. */
    public static final String SPARE = "--spare";

    /**
     * The entry point.
     *
     * @param args the files directory to create, and {@link #SPARE} for a spare
     */
    public static void main(String[] args) {
        System.setProperty(Trace.NO_LOGGER_PROPERTY, "true");
        boolean spare = args.length == 2 && args[1].equals(SPARE);
        if (args.length != 1 && !spare) {
            System.err.println("usage: WorkerMain <files directory> [" + SPARE + "] (the session follows on descriptor 3)");
            System.exit(CANNOT_START);
        }
        // However the worker ends (its master gone, told to, System.exit in remote code, SIGTERM), what its
        // code started goes with it: the process group it leads (ProcessGroup). After a kill -9, the
        // master does it (popen), or the ssh bootstrap's shell.
        Runtime.getRuntime().addShutdownHook(new Thread("jexecnet-process-group") {
            @Override
            public void run() {
                killOwnGroup();
            }
        });
        new Prepare().start();
        Path files = Path.of(args[0]);
        WorkerSession session;
        InputStream in;
        OutputStream out;
        try {
            WorkerRole.ownDirectory(files); // before anything is read: classes will be loaded from it
            in = new FileInputStream("/dev/fd/3");
            out = new FileOutputStream("/dev/fd/4");
            if (spare) {
                // A spare says it is ready once warm: the master then gives it a session and sends its first
                // execution right after, without waiting for another word.
                WarmUp.beforeSession(files);
                sayReady(out);
            }
            session = WorkerSession.read(in);
        } catch (IOException e) {
            System.err.println("jexecnet worker: cannot start: " + e.getMessage());
            System.exit(CANNOT_START);
            return;
        }
        if (session == null) {
            files.toFile().delete(); // a spare whose master left before it needed it: nothing was shipped
            exit(0);
            return;
        }
        String name = session.id() + "-worker";
        Executions executions;
        WorkerRole role;
        try {
            executions = new Executions(session.model());
            role = new WorkerRole(name, executions, files, WorkerRole.AtEnd.EXIT_JVM);
            if (!spare) {
                sayReady(out);
            }
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("jexecnet worker " + session.id() + ": cannot start: " + e.getMessage());
            System.exit(CANNOT_START);
            return;
        }
        serve(session, name, role, in, out);
        executions.runMainThread();
        role.awaitExit(); // the executions were told to end: the exit task ends the JVM
    }

    /**
     * Work of a first execution that does not depend on the session, done on a thread of its own while the
     * main thread starts the worker; no lambda comes before it on the main thread, so that this thread is
     * the one that pays for it. It opens jexecnet's jar: a worker started from its archive loads jexecnet's
     * classes without it, but the first class a master ships is looked for on the class path first (parent
     * first: see RemoteClassLoader). And it links the JVM's first lambda, which sets up the machinery of
     * invokedynamic (some ten classes of java.lang.invoke initialized, a lambda form spun): a few milliseconds
     * that the main thread's first lambda would otherwise spend.
     */
    private static final class Prepare extends Thread {
        Prepare() {
            super("jexecnet-prepare");
            setDaemon(true);
        }

        @Override
        public void run() {
            ClassLoader.getSystemResource("org/jexecnet/internal/worker/WorkerMain.class");
            Runnable first = () -> { };
            first.run();
        }
    }

    private static void sayReady(OutputStream out) throws IOException {
        out.write(READY);
        out.flush();
    }

    /** Connects the worker's side of the gateway and starts receiving; the executions are the main thread's to run. */
    private static void serve(WorkerSession session, String name, WorkerRole role, InputStream in, OutputStream out) {
        Connection connection = new Connection(name, role, in, out);
        if (session.windowBytes() > 0) {
            connection.enableFlowControl(session.windowBytes()); // the master passes the window when it has flow control too
        }
        role.attach(connection);
        if (Trace.ON) {
            Trace.log("creating workergateway " + name + " with execmodel " + session.model().specName());
        }
        new WorkerGateway(session.id(), connection);
        if (session.heartbeatSeconds() > 0) {
            // A master silent for that long is stopped, hung or cut off: nobody is left to work for. The connection's
            // end then takes the worker's usual way out (executions interrupted, shipped files removed, exit).
            // Said on stderr, which the master keeps the end of: if it is alive after all, its error says why the worker left.
            String leaving = "jexecnet worker " + session.id() + ": no sign of life from the master for "
                    + session.heartbeatSeconds() + " s (heartbeat): leaving";
            connection.startHeartbeat(Duration.ofSeconds(session.heartbeatSeconds()), () -> System.err.println(leaving),
                    Connection.Heartbeats.WAIT_THEIR_TURN);
        }
        connection.startReceiver(Threads.factory(ExecModel.THREAD));
        if (Trace.ON) {
            Trace.log(name + " [serve] integrating as primary thread");
        }
    }

    /** Kills the other processes of this worker's process group, if it leads one; never the master's group. */
    private static void killOwnGroup() {
        long self = ProcessHandle.current().pid();
        if (ProcessGroup.leads(self)) {
            ProcessGroup.kill(self);
        }
    }

    /** Exits the JVM; if shutdown hooks of remote code hang, halts it a second later. */
    static void exit(int status) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                // halting anyway
            }
            Runtime.getRuntime().halt(status);
        }, "jexecnet-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(status);
    }
}
