package org.jexecnet.internal.worker;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jexecnet.Channel;
import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.RealChannel;
import org.jexecnet.internal.protocol.Task;
import org.jexecnet.internal.protocol.TaskRunner;
import org.jexecnet.internal.protocol.Threads;
import org.jexecnet.internal.transport.MasterRole;

/**
 * A spare's warm-up, before it serves anyone: one execution of jexecnet's own ({@link #run(Channel)})
 * over a pipe inside the worker's JVM, through the whole path a first item takes. A CHANNEL_EXEC is
 * written, read and decoded, its entry found and called on the main thread, an item received and sent
 * back, a file shipped and written, the channel closed, flow control and heartbeats on. The classes of that path are then loaded, linked and
 * initialized and its call sites resolved, so that the first item of the gateway the spare is given to
 * costs about what a second one would. The user's code never runs here: the spare has not met a user yet.
 *
 * <p>A warm-up that fails or hangs costs the spare its head start, never its use: the worker goes on to
 * wait for its session either way. The master's archive training runs {@link #run(Channel)} too, as the
 * first execution of its session: it is jexecnet's own code, and takes a first item's path.
 */
public final class WarmUp {
    private WarmUp() {}

    /** Far above what the warm-up takes, even on a loaded machine: only a hung warm-up meets it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NAME = "warm-up";

    /**
     * Runs the warm-up on this thread (the main thread, which a first execution prefers) and returns when
     * it is over. What it ships goes to a directory of its own inside {@code files}, removed at its end.
     */
    static void beforeSession(Path files) {
        Pipe toWorker;
        Pipe toMaster;
        Path ownFiles = files.resolve(".warm-up");
        try {
            WorkerRole.ownDirectory(ownFiles);
            toWorker = Pipe.open();
            toMaster = Pipe.open();
        } catch (IOException e) {
            return; // no pipe, no warm-up: the spare is merely cold
        }
        Executions executions = new Executions(ExecModel.THREAD);
        WorkerRole role = new WorkerRole(NAME + "-worker", executions, ownFiles, WorkerRole.AtEnd.STOP_EXECUTIONS);
        Connection worker = new Connection(NAME + "-worker", role, Channels.newInputStream(toWorker.source()),
                Channels.newOutputStream(toMaster.sink()));
        role.attach(worker);
        CompletableFuture<Void> masterEnded = new CompletableFuture<>();
        Connection master = new Connection(NAME, new MasterRole(ExecModel.THREAD, () -> "", () -> masterEnded.complete(null)),
                Channels.newInputStream(toMaster.source()),
                Channels.newOutputStream(toWorker.sink()));
        worker.enableFlowControl(XSpec.DEFAULT_WINDOW_BYTES);
        master.enableFlowControl(XSpec.DEFAULT_WINDOW_BYTES);
        // as a real session's two ends: the worker's heartbeats wait their turn, the master's never wait
        worker.startHeartbeat(Duration.ofSeconds(XSpec.DEFAULT_HEARTBEAT_SECONDS), () -> { }, Connection.Heartbeats.WAIT_THEIR_TURN);
        master.startHeartbeat(Duration.ofSeconds(XSpec.DEFAULT_HEARTBEAT_SECONDS), () -> { }, Connection.Heartbeats.NEVER_WAIT);
        worker.startReceiver(Threads.factory(ExecModel.THREAD));
        master.startReceiver(Threads.factory(ExecModel.THREAD));
        CompletableFuture<Void> driven = new CompletableFuture<>();
        TaskRunner.shared().newQueue(NAME).execute(NAME, Task.Kind.MAY_BLOCK, () -> {
            try {
                drive(master, masterEnded, executions);
            } finally {
                driven.complete(null);
            }
        });
        executions.runMainThread(); // until the worker's end of the pipe ends, which stops the executions
        Thread.interrupted(); // stopping them interrupted this thread: that is no interrupt for what follows
        try {
            driven.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a warm-up that hung: the spare goes on cold
        }
        closeQuietly(toWorker);
        closeQuietly(toMaster);
    }

    /** The master's part: the execution, its item there and back, then the end, which ends the worker's part too. */
    private static void drive(Connection master, CompletableFuture<Void> ended, Executions executions) {
        try {
            // A resource travels as a user's classes do, and is written as theirs are.
            Map<String, byte[]> files = new LinkedHashMap<>(Map.of("org/jexecnet/warm-up", new byte[] {1}));
            ExecRequest request = new ExecRequest(WarmUp.class.getName(), "run", null, List.of(), files, new LinkedHashMap<>(),
                    new LinkedHashMap<>(), null);
            RealChannel channel = master.sendExec(request.toPayload(master));
            channel.send(1);
            channel.receive(TIMEOUT);
            channel.waitClose(TIMEOUT);
        } catch (RuntimeException e) {
            // the spare stays cold; it still serves
        } finally {
            master.exit();
        }
        try {
            ended.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // the worker's part closes its output as it ends
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            executions.shutdown(0); // it never ended: the main thread must go on without it
        }
    }

    private static void closeQuietly(Pipe pipe) {
        try {
            pipe.sink().close();
            pipe.source().close();
        } catch (IOException e) {
            // closing what is over anyway
        }
    }

    /**
     * The warm-up's execution, called by the worker's code path as a user's would be.
     *
     * @param channel the warm-up's channel: an item comes and goes back
     */
    public static void run(Channel channel) {
        channel.send(channel.receive(TIMEOUT));
    }
}
