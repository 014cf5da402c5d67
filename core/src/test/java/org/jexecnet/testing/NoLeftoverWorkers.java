package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.gateway.ArchiveTrainer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a worker process behind: after the class, every worker JVM this
 * test JVM started must be gone within a few seconds. Leftovers are killed, then reported.
 */
public final class NoLeftoverWorkers implements AfterAllCallback {
    private static final String WORKER_MAIN = "org.jexecnet.internal.worker.WorkerMain";

    public static List<ProcessHandle> workers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(WORKER_MAIN)).orElse(false))
                .toList();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // An archive being made in the background has a worker of its own: it ends with its training run.
        if (!ArchiveTrainer.awaitIdle(Duration.ofMinutes(2))) {
            fail(context.getDisplayName() + ": making a worker archive in the background took more than two minutes");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<ProcessHandle> left = workers();
        for (ProcessHandle worker : left) {
            try {
                worker.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException stillThere) {
                // reported below
            }
        }
        List<ProcessHandle> stuck = workers();
        // Workers of this JVM name their files directory jexecnet-<id>-<this pid>-<hex>; each must be gone with its worker.
        String mine = "-" + ProcessHandle.current().pid() + "-";
        List<String> leftDirs;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            leftDirs = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jexecnet-") && n.contains(mine)).toList();
        }
        if (stuck.isEmpty() && !leftDirs.isEmpty()) {
            fail(context.getDisplayName() + " left files directories of its workers: " + leftDirs);
        }
        if (!stuck.isEmpty()) {
            stuck.forEach(ProcessHandle::destroyForcibly);
            fail(context.getDisplayName() + " left " + stuck.size() + " worker process(es) running: "
                    + stuck.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
        }
    }
}
