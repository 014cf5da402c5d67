package org.jexecnet.internal.worker;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.jexecnet.ExecModel;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.Threads;
import org.jexecnet.internal.transport.ProcessGroup;

/**
 * The worker JVM's main: {@code WorkerMain <gateway id> <execmodel> <files directory> [<heartbeat
 * seconds> [<window bytes>]]}. The master names the directory for the classes it ships, so that it can remove it even
 * when it had to kill the worker. With a heartbeat (the master's spec decides; 0 or absent: none),
 * the worker sends signs of life and exits when its master has said nothing for that long.
 *
 * <p>The protocol runs on file descriptors 3 (in) and 4 (out), which the launching shell sets up
 * from the pipes, while descriptor 0 reads nothing and 1 goes to stderr. So remote code that prints,
 * reads stdin, or starts processes that write to descriptor 1 cannot corrupt the protocol. The
 * first byte written, {@code '1'}, tells the master the worker is up, as execnet's bootstrap does.
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

    /**
     * The entry point.
     *
     * @param args the gateway id, the execution model's spec name and the files directory to create
     */
    public static void main(String[] args) {
        System.setProperty(Trace.NO_LOGGER_PROPERTY, "true");
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: WorkerMain <gateway id> <execmodel> <files directory> [<heartbeat seconds> [<window bytes>]]");
            System.exit(CANNOT_START);
        }
        int heartbeat = 0;
        int window = 0;
        try {
            heartbeat = args.length >= 4 ? Integer.parseInt(args[3]) : 0;
            window = args.length >= 5 ? Integer.parseInt(args[4]) : 0;
        } catch (NumberFormatException e) {
            System.err.println("jexecnet worker " + args[0] + ": heartbeat seconds and window bytes must be numbers: " + String.join(" ", args));
            System.exit(CANNOT_START);
        }
        // However the worker ends (its master gone, told to, System.exit in remote code, SIGTERM), what its
        // code started goes with it: the process group it leads (ProcessGroup). After a kill -9, the
        // master does it (popen), or the ssh bootstrap's shell.
        Runtime.getRuntime().addShutdownHook(new Thread(WorkerMain::killOwnGroup, "jexecnet-process-group"));
        String name = args[0] + "-worker";
        Executions executions;
        try {
            executions = new Executions(ExecModel.fromSpecName(args[1]));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("jexecnet worker " + args[0] + ": " + e.getMessage());
            System.exit(CANNOT_START);
            return;
        }
        Connection connection;
        WorkerRole role;
        try {
            InputStream in = new FileInputStream("/dev/fd/3");
            OutputStream out = new FileOutputStream("/dev/fd/4");
            out.write(READY);
            out.flush();
            role = new WorkerRole(name, executions, Path.of(args[2]));
            connection = new Connection(name, role, in, out);
            if (window > 0) {
                connection.enableFlowControl(window); // the master passes the window when it has flow control too
            }
            role.attach(connection);
        } catch (IOException e) {
            System.err.println("jexecnet worker " + args[0] + ": cannot start: " + e);
            System.exit(CANNOT_START);
            return;
        }
        if (Trace.ON) {
            Trace.log("creating workergateway " + name + " with execmodel " + executions.model().specName());
        }
        new WorkerGateway(args[0], connection);
        if (heartbeat > 0) {
            // A master silent for that long is stopped, hung or cut off: nobody is left to work for. The connection's
            // end then takes the worker's usual way out (executions interrupted, shipped files removed, exit).
            // Said on stderr, which the master keeps the end of: if it is alive after all, its error says why the worker left.
            String leaving = "jexecnet worker " + args[0] + ": no sign of life from the master for " + heartbeat + " s (heartbeat): leaving";
            connection.startHeartbeat(java.time.Duration.ofSeconds(heartbeat), () -> System.err.println(leaving),
                    Connection.Heartbeats.WAIT_THEIR_TURN);
        }
        connection.startReceiver(Threads.factory(ExecModel.THREAD));
        if (Trace.ON) {
            Trace.log(name + " [serve] integrating as primary thread");
        }
        executions.runMainThread();
        role.awaitExit(); // the executions were told to end: the exit task ends the JVM
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
