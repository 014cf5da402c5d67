package org.jexecnet.internal.protocol;

import java.time.Duration;
import org.jexecnet.ExecModel;

/**
 * Two connections in one JVM, a master's and a worker's, joined by two {@link Pipe}s, each with a manual
 * runner on one {@link FakeClock}: the test moves time and says whose tasks run.
 */
final class Link implements AutoCloseable {
    static final Duration T = Duration.ofSeconds(30);

    final FakeClock clock = new FakeClock();
    final TaskRunner masterTasks = TaskRunner.manual(clock);
    final TaskRunner workerTasks = TaskRunner.manual(clock);
    final Pipe toWorker = new Pipe(1 << 16);
    final Pipe toMaster = new Pipe(1 << 16);
    final TestRole masterRole = new TestRole(1);
    final TestRole workerRole = new TestRole(2);
    final Connection master = new Connection("gw0", masterRole, toMaster.in(), toWorker.out(), masterTasks);
    final Connection worker = new Connection("gw0-worker", workerRole, toWorker.in(), toMaster.out(), workerTasks);

    Link(long window) {
        if (window > 0) {
            master.enableFlowControl(window);
            worker.enableFlowControl(window);
        }
        master.startReceiver(Threads.factory(ExecModel.THREAD));
        worker.startReceiver(Threads.factory(ExecModel.THREAD));
    }

    /** Runs what is due on both sides, then waits until each receiver has read what was written. */
    void settle() throws InterruptedException {
        masterTasks.runDueTasks();
        workerTasks.runDueTasks();
        toWorker.awaitDrained(T);
        toMaster.awaitDrained(T);
    }

    /** Moves the clock and runs what is due on the master's side only: the worker is "stopped". */
    void masterOnly(Duration by) throws InterruptedException {
        clock.advance(by);
        masterTasks.runDueTasks();
        toWorker.awaitDrained(T);
    }

    @Override
    public void close() {
        master.closeOutput();
        worker.closeOutput();
    }
}
