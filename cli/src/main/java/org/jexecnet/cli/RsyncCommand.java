package org.jexecnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jexecnet rsync SRC SPEC:DEST}: sends a directory tree, only what changed. On a terminal a
 * progress bar shows the bytes; elsewhere (a file, a pipe, CI) a plain line per file sent.
 */
@Command(name = "rsync", mixinStandardHelpOptions = true,
        description = {"Send a directory tree to a gateway's host: only what changed travels.",
                "The target is SPEC:DEST, a gateway spec and a directory there, split at the last colon.",
                "On a terminal a progress bar shows the bytes sent; elsewhere a line per file."},
        footerHeading = "%nExamples:%n",
        footer = {"  jexecnet rsync ./site ssh=deploy@web1:/srv/site --delete",
                "  jexecnet rsync ./build popen:/tmp/copy"})
final class RsyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "SRC", description = "The directory to send.")
    Path source;

    @Parameters(index = "1", paramLabel = "SPEC:DEST", description = "The gateway spec and the directory there.")
    String target;

    @Option(names = "--delete", description = "Remove at the destination what the source does not have.")
    boolean delete;

    @Option(names = "--no-progress", description = "No progress bar or lines, only the summary.")
    boolean quiet;

    @Override
    public Integer call() {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("'" + target + "' is not SPEC:DEST, as in popen:/tmp/copy or ssh=host:/srv/site");
        }
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(source + " is not a directory");
        }
        String gatewaySpec = target.substring(0, colon);
        String dest = target.substring(colon + 1);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = quiet ? new Progress() : Terminal.isTerminal(Terminal.STDERR) ? new Bar() : new Lines(err);
        long start = System.nanoTime();
        try (Group group = new Group(gatewaySpec)) {
            Gateway gateway = group.get(0);
            try {
                new RSync(source).addTarget(gateway, dest, delete ? RSync.Extras.DELETE : RSync.Extras.KEEP).listener(progress).send();
                progress.finish();
            } finally {
                progress.close();
            }
        }
        out.printf(Locale.ROOT, "%s -> %s: %d files updated, %,d bytes sent, %d ms%n", source, target, progress.files.get(),
                progress.bytes.get(), (System.nanoTime() - start) / 1_000_000);
        return 0;
    }

    /** Counts what was sent; shows nothing (--no-progress). */
    private static class Progress implements RSync.Listener, AutoCloseable {
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void transferred(Gateway target, String path, long sent) {
            files.incrementAndGet();
            bytes.addAndGet(sent);
        }

        /** Everything arrived. */
        void finish() {}

        @Override
        public void close() {}
    }

    /** A line per file: what a log or a CI job can read. */
    private static final class Lines extends Progress {
        private final PrintWriter err;

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void listed(Gateway target, int count, long total) {
            err.printf(Locale.ROOT, "rsync: %d files to send to %s, %,d bytes%n", count, target.id(), total);
            err.flush();
        }

        @Override
        public void transferred(Gateway target, String path, long sent) {
            super.transferred(target, path, sent);
            err.printf(Locale.ROOT, "rsync: sent %s (%,d bytes)%n", path, sent);
            err.flush();
        }
    }

    /** A progress bar on the terminal: the bytes, the rate once there is one, and the file in progress. */
    private static final class Bar extends Progress {
        private ProgressBar bar;
        private final AtomicLong before = new AtomicLong(); // bytes of the files finished before the one in progress
        private long started;

        @Override
        public synchronized void listed(Gateway target, int count, long total) {
            if (total > 0) {
                bar = new ProgressBarBuilder().setTaskName("rsync").setInitialMax(total).setUnit(" MB", 1_000_000)
                        .setStyle(ProgressBarStyle.ASCII).hideEta().build();
                started = System.nanoTime();
            }
        }

        @Override
        public synchronized void progress(Gateway target, String path, long done, long total) {
            if (bar != null) {
                long sent = before.get() + done;
                bar.stepTo(sent);
                double seconds = (System.nanoTime() - started) / 1e9;
                String rate = seconds >= 1 ? String.format(Locale.ROOT, "%.1f MB/s ", sent / 1e6 / seconds) : "";
                bar.setExtraMessage(" " + rate + path);
            }
        }

        @Override
        public synchronized void transferred(Gateway target, String path, long sent) {
            super.transferred(target, path, sent);
            before.addAndGet(sent);
        }

        @Override
        synchronized void finish() {
            if (bar != null) {
                bar.stepTo(bar.getMax());
            }
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
